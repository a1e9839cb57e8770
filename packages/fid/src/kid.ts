import {
  ArgumentError,
  argError,
  assertArg,
  optionsArg,
  positiveInteger,
  SeedStream,
  seedArg,
} from '@gan/core';
import { type Features, type Matrix, toMatrix } from './features';

export type { Features } from './features';

/** Both feature sets as matrices of the same dimension, each with at least 2 rows. */
function toMatrices(fn: string, a: Features, b: Features): [Matrix, Matrix] {
  const [x, y] = [toMatrix(fn, 'a', a), toMatrix(fn, 'b', b)];
  assertArg(x.dim === y.dim, fn, () => `a has ${x.dim}-d features, b ${y.dim}-d`, 'b');
  for (const [name, m] of [
    ['a', x],
    ['b', y],
  ] as const)
    assertArg(
      m.rows >= 2,
      fn,
      () => `${name} must hold at least 2 samples (rows), got ${m.rows}`,
      name,
    );
  return [x, y];
}

/** Row indices into a matrix of `rows` rows: at least 2, distinct integers in range. */
function rowSubset(fn: string, name: string, value: unknown, rows: number): number[] {
  if (!Array.isArray(value)) return argError(fn, name, 'an array of row indices', value);
  assertArg(
    value.length >= 2,
    fn,
    () => `${name} must hold at least 2 samples (row indices), got ${value.length}`,
    name,
  );
  const seen = new Uint8Array(rows);
  value.forEach((i, k) => {
    if (!(Number.isInteger(i) && i >= 0 && i < rows && seen[i] === 0))
      throw new ArgumentError(
        fn,
        name,
        `${name} must be distinct integers in [0, ${rows - 1}], got ${i} at index ${k}${
          Number.isInteger(i) && i >= 0 && i < rows ? ' (a repeat)' : ''
        }`,
      );
    seen[i] = 1;
  });
  return value;
}

/** Σ over pairs (i ∈ ia, j ∈ jb) of k(a_i, b_j) = (a_i·b_j / d + 1)³, skipping i = j when `offDiagonal`. */
function kernelSum(a: Matrix, ia: number[], b: Matrix, jb: number[], offDiagonal: boolean): number {
  const d = a.dim;
  let total = 0;
  for (let p = 0; p < ia.length; p++) {
    const rowA = ia[p] * d;
    for (let q = offDiagonal ? p + 1 : 0; q < jb.length; q++) {
      const rowB = jb[q] * d;
      let dot = 0;
      for (let k = 0; k < d; k++) dot += a.values[rowA + k] * b.values[rowB + k];
      const base = dot / d + 1;
      total += base * base * base;
    }
  }
  // The kernel is symmetric: the upper triangle counts each off-diagonal pair once.
  return offDiagonal ? 2 * total : total;
}

/**
 * Unbiased MMD² between two sets of feature vectors under the cubic polynomial kernel
 * k(x, y) = (xᵀy / d + 1)³ (Bińkowski et al. 2018), optionally restricted to row subsets:
 * Σ_{i≠j} k(a_i, a_j) / m(m−1) + Σ_{i≠j} k(b_i, b_j) / n(n−1) − 2 Σ k(a_i, b_j) / mn.
 */
export function polynomialMmd2(
  a: Features,
  b: Features,
  rowsA?: number[],
  rowsB?: number[],
): number {
  const fn = 'polynomialMmd2';
  const [x, y] = toMatrices(fn, a, b);
  const ia =
    rowsA === undefined
      ? Array.from({ length: x.rows }, (_, i) => i)
      : rowSubset(fn, 'rowsA', rowsA, x.rows);
  const jb =
    rowsB === undefined
      ? Array.from({ length: y.rows }, (_, i) => i)
      : rowSubset(fn, 'rowsB', rowsB, y.rows);
  return mmd2(x, ia, y, jb);
}

/** Callers ensure at least 2 distinct in-range rows per side. */
function mmd2(x: Matrix, ia: number[], y: Matrix, jb: number[]): number {
  const [m, n] = [ia.length, jb.length];
  return (
    kernelSum(x, ia, x, ia, true) / (m * (m - 1)) +
    kernelSum(y, jb, y, jb, true) / (n * (n - 1)) -
    (2 * kernelSum(x, ia, y, jb, false)) / (m * n)
  );
}

export interface KidOptions {
  /** Number of random subsets averaged. Default 100 (as clean-fid and TF-GAN). */
  subsets?: number;
  /** Samples drawn (without replacement) from each set per subset. Default min(1000, smaller set). */
  subsetSize?: number;
  /** Seed of the subset draws. Default 0. */
  seed?: number;
}

export interface KidResult {
  /** Mean unbiased MMD² over the subsets: the KID. */
  mean: number;
  /** Standard deviation over the subsets (population, as NumPy's std). */
  std: number;
  /** Every subset's MMD². */
  values: number[];
}

/** k distinct indices from 0…n−1 (a partial Fisher–Yates shuffle), sorted. */
function sample(n: number, k: number, stream: SeedStream): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(stream.uniform() * (n - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k).sort((p, q) => p - q);
}

/**
 * Kernel Inception Distance (Bińkowski et al. 2018): the unbiased polynomial-kernel MMD²
 * between two feature sets, averaged over random subsets, with its spread. Unbiased, so it is
 * meaningful with a few hundred samples where FID is not. Cost: O(subsets · subsetSize² · dim)
 * in float64 — 100 subsets of 200 2048-d features take seconds; lower `subsets` for larger sets.
 */
export function kernelInceptionDistance(
  a: Features,
  b: Features,
  options: KidOptions = {},
): KidResult {
  const fn = 'kernelInceptionDistance';
  const { subsets = 100, subsetSize, seed = 0 } = optionsArg(fn, options);
  positiveInteger(fn, 'subsets', subsets);
  seedArg(fn, 'seed', seed);
  const [x, y] = toMatrices(fn, a, b);
  const smaller = Math.min(x.rows, y.rows);
  const size = subsetSize ?? Math.min(1000, smaller);
  // Subsets are drawn without replacement: at most the smaller set.
  if (!(Number.isInteger(size) && size >= 2 && size <= smaller))
    argError(
      fn,
      'subsetSize',
      `an integer in [2, ${smaller}]`,
      size,
      `the smaller set holds ${smaller}`,
    );
  const stream = new SeedStream(seed);
  const values = Array.from({ length: subsets }, () =>
    mmd2(x, sample(x.rows, size, stream), y, sample(y.rows, size, stream)),
  );
  const mean = values.reduce((s, v) => s + v, 0) / subsets;
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / subsets);
  return { mean, std, values };
}
