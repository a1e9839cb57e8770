import { argError, assertArg, booleanArg, optionsArg, positiveInteger } from '@gan/core';
import type { FeatureExtractor } from './extractor';
import { type FeatureRows, type Features, featureRows } from './features';
import { createKernels, type Kernels } from './wasm/runtime';

export interface PrecisionRecallOptions {
  /**
   * Neighbourhood size: each sample's hypersphere reaches its k-th nearest neighbour in its own
   * set (itself excluded). Default 3, the paper's choice. Below each set's size.
   */
  k?: number;
  /**
   * Also each generated sample φ_g's realism score (Kynkäänniemi et al. 2019): the largest
   * ‖φ_r − NN_k(φ_r)‖ / ‖φ_g − φ_r‖ over the real samples φ_r whose radius is at most the median
   * radius. At least 1 inside one of those hyperspheres; Infinity for an exact copy of one.
   * Default false.
   */
  realism?: boolean;
  /** `false` forces the plain JavaScript loops. Default: WebAssembly SIMD where available. */
  simd?: boolean;
}

export interface PrecisionRecallResult {
  /** Fraction of generated samples inside at least one real sample's hypersphere. */
  precision: number;
  /** Fraction of real samples inside at least one generated sample's hypersphere. */
  recall: number;
  k: number;
  realCount: number;
  fakeCount: number;
  /** With `realism: true`: each generated sample's realism score, in `fake`'s row order. */
  realism?: Float64Array;
}

/** Columns per block: their rows stay in cache while every row of the other side passes by. */
const BLOCK_BYTES = 256 * 1024;

/** The sides laid out on one heap: rows of `stride` (the dimension rounded up to even) float64. */
interface Side {
  offset: number;
  rows: number;
}

/**
 * Calls `visit(i, j, d)` with d = ‖a_i − b_j‖² for every pair (exact differences, summed in
 * float64), or with `upper` (a = b) for every pair i < j once. 4×2 tiles, columns in blocks.
 */
function pairs(
  kernels: Kernels,
  a: Side,
  b: Side,
  stride: number,
  upper: boolean,
  out: number,
  visit: (i: number, j: number, d: number) => void,
): void {
  const block = Math.max(2, 2 * Math.floor(BLOCK_BYTES / (16 * stride)));
  const x = [0, 0, 0, 0];
  for (let c0 = 0; c0 < b.rows; c0 += block) {
    const c1 = Math.min(b.rows, c0 + block);
    for (let i0 = 0; i0 < a.rows; i0 += 4) {
      // Every column of this block is left of (below) the diagonal from here on.
      if (upper && i0 + 1 >= c1) break;
      const rows = Math.min(4, a.rows - i0);
      // A short last tile repeats its last row; those results are not visited.
      for (let r = 0; r < 4; r++) x[r] = a.offset + (i0 + Math.min(r, rows - 1)) * stride;
      for (let j = upper ? Math.max(c0, i0) : c0; j < c1; j += 2) {
        const two = j + 1 < c1;
        const y0 = b.offset + j * stride;
        kernels.sqdist4x2(x[0], x[1], x[2], x[3], y0, two ? y0 + stride : y0, stride, out);
        const h = kernels.heap;
        for (let r = 0; r < rows; r++) {
          const i = i0 + r;
          if (!upper || j > i) visit(i, j, h[out + 2 * r]);
          if (two && (!upper || j + 1 > i)) visit(i, j + 1, h[out + 2 * r + 1]);
        }
      }
    }
  }
}

/** Each row's squared distance to its k-th nearest other row of the same side. */
function radii(kernels: Kernels, side: Side, stride: number, k: number, out: number): Float64Array {
  // The k smallest so far per row, ascending.
  const best = new Float64Array(side.rows * k).fill(Number.POSITIVE_INFINITY);
  const insert = (row: number, d: number) => {
    const base = row * k;
    let p = base + k - 1;
    if (!(d < best[p])) return;
    while (p > base && best[p - 1] > d) {
      best[p] = best[p - 1];
      p--;
    }
    best[p] = d;
  };
  pairs(kernels, side, side, stride, true, out, (i, j, d) => {
    insert(i, d);
    insert(j, d);
  });
  const r = new Float64Array(side.rows);
  for (let i = 0; i < side.rows; i++) r[i] = best[i * k + k - 1];
  return r;
}

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019): each set's manifold is the union of
 * hyperspheres around its samples, each reaching the sample's k-th nearest neighbour in its own
 * set. Precision is the fraction of generated samples inside the real manifold (fidelity), recall
 * the fraction of real samples inside the generated one (coverage). A point on a sphere's surface
 * counts as inside.
 *
 * Distances are exact: Σ (x − y)² in float64 (WebAssembly SIMD where available), never the
 * ‖x‖² + ‖y‖² − 2xᵀy shortcut, so equal distances compare equal. Memory is the two feature sets
 * in float64 plus O(k · n): no n × n matrix is formed. Work: (m² + n²) / 2 + m n distances of
 * `dim` terms — 1,000 vs 1,000 2048-d features in about a second.
 */
export function precisionRecall(
  real: Features,
  fake: Features,
  options: PrecisionRecallOptions = {},
): PrecisionRecallResult {
  const fn = 'precisionRecall';
  const { k = 3, realism = false, simd } = optionsArg(fn, options);
  positiveInteger(fn, 'k', k);
  booleanArg(fn, 'realism', realism);
  if (simd !== undefined && typeof simd !== 'boolean')
    argError(fn, 'simd', 'true, false or undefined', simd);
  const sides: Record<'real' | 'fake', FeatureRows> = {
    real: featureRows(fn, 'real', real),
    fake: featureRows(fn, 'fake', fake),
  };
  const { real: x, fake: y } = sides;
  assertArg(x.dim === y.dim, fn, () => `real has ${x.dim}-d features, fake ${y.dim}-d`, 'fake');
  const smaller = x.rows <= y.rows ? 'real' : 'fake';
  const n = sides[smaller].rows;
  assertArg(n >= 2, fn, () => `${smaller} must hold at least 2 samples (rows), got ${n}`, smaller);
  if (k >= n)
    argError(
      fn,
      'k',
      `an integer in [1, ${n - 1}]`,
      k,
      `${smaller} holds ${n} samples, and each radius reaches the k-th nearest other one`,
    );

  const stride = x.dim + (x.dim % 2);
  const a: Side = { offset: 0, rows: x.rows };
  const b: Side = { offset: x.rows * stride, rows: y.rows };
  const out = (x.rows + y.rows) * stride;
  const size = out + 8;
  const kernels = simd === undefined ? createKernels(size) : createKernels(size, simd);
  // A fresh heap is zeroed: an odd dimension's padding column stays 0 and adds nothing.
  x.write(kernels.heap, a.offset, stride);
  y.write(kernels.heap, b.offset, stride);

  const realRadii = radii(kernels, a, stride, k, out);
  const fakeRadii = radii(kernels, b, stride, k, out);
  const fakeInside = new Uint8Array(y.rows);
  const realInside = new Uint8Array(x.rows);
  const bestRatio = realism ? new Float64Array(y.rows) : undefined;
  const cutoff = realism ? median(realRadii) : 0;
  pairs(kernels, a, b, stride, false, out, (i, j, d) => {
    const r = realRadii[i];
    if (d <= r) fakeInside[j] = 1;
    if (d <= fakeRadii[j]) realInside[i] = 1;
    if (bestRatio && r <= cutoff) {
      const ratio = d === 0 ? Number.POSITIVE_INFINITY : r / d;
      if (ratio > bestRatio[j]) bestRatio[j] = ratio;
    }
  });
  const fraction = (flags: Uint8Array) => flags.reduce((s, f) => s + f, 0) / flags.length;
  const result: PrecisionRecallResult = {
    precision: fraction(fakeInside),
    recall: fraction(realInside),
    k,
    realCount: x.rows,
    fakeCount: y.rows,
  };
  // Ratios of squared distances until here: the score is the ratio of distances.
  if (bestRatio) result.realism = bestRatio.map(Math.sqrt);
  return result;
}

/**
 * How to print precision and recall from an extractor's features: "precision/recall (k = 3, …)"
 * for the standard network (published values mostly use VGG-16 features, as the paper did), else
 * "precision/recall-like (k = 3, name; not comparable to published precision/recall)".
 */
export function precisionRecallLabel(
  extractor: Pick<FeatureExtractor, 'name' | 'standard'>,
  k: number,
): string {
  return extractor.standard === true
    ? `precision/recall (k = ${k}, ${extractor.name} features; the paper used VGG-16)`
    : `precision/recall-like (k = ${k}, ${extractor.name}; not comparable to published precision/recall)`;
}
