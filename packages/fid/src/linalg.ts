/**
 * Dense symmetric linear algebra in float64 for the Fréchet distance: a pivoted (rank-revealing)
 * Cholesky factorisation, the congruence Lᵀ S L, Householder tridiagonalisation and implicit QL
 * eigenvalues. Matrices live row-major in one heap (`Kernels`), rows padded to an even length
 * with zeros so the SIMD kernels always take element pairs; the inner loops are those kernels.
 */
import { ArgumentError, argError, nonNegativeInteger, numbersArg, optionsArg } from '@gan/core';
import { createKernels, type Kernels } from './wasm/runtime';

const EPS = 2 ** -52;
const even = (x: number) => x + (x & 1);
const evenDown = (x: number) => x - (x & 1);

/**
 * Tr((A B)^{1/2}) for symmetric positive semi-definite A and B (n × n, row-major), in float64.
 * A B is similar to Lᵀ B L for a Cholesky factor A = L Lᵀ, which is symmetric positive
 * semi-definite, so the trace is Σ √λᵢ over its eigenvalues: no complex arithmetic, no sqrtm.
 * The factor is pivoted and stops at A's numerical rank, so with m < n samples behind A the work
 * is O(n² m): the fast path for fewer samples than dimensions. `simd: false` forces the
 * JavaScript kernels (the default uses WebAssembly SIMD where available).
 */
export function traceSqrtProduct(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  n: number,
  options: { simd?: boolean } = {},
): number {
  const fn = 'traceSqrtProduct';
  const { simd } = optionsArg(fn, options);
  if (simd !== undefined && typeof simd !== 'boolean')
    argError(fn, 'simd', 'true, false or undefined', simd);
  nonNegativeInteger(fn, 'n', n);
  for (const [name, m] of [
    ['a', a],
    ['b', b],
  ] as const) {
    numbersArg(fn, name, m);
    if (m.length !== n * n)
      throw new ArgumentError(
        fn,
        name,
        `${name} must hold ${n * n} values (${n} × ${n}, row-major), got ${m.length}`,
      );
    for (let i = 0; i < m.length; i++)
      if (!Number.isFinite(m[i]))
        throw new ArgumentError(
          fn,
          name,
          `${name} must hold finite values, got ${m[i]} at [${Math.floor(i / n)}, ${i % n}]`,
        );
  }
  if (n === 0) return 0;
  const s = even(n);
  // Heap: [0, ns) L, then T, then C · [ns, 2ns) Lᵀ · [2ns, 3ns) Mᵀ · vectors and scratch.
  const size = 3 * n * s + 5 * s + 32;
  const kernels = simd === undefined ? createKernels(size) : createKernels(size, simd);
  const factor = pivotedCholesky(kernels, a, n, s);
  if (factor.rank === 0) return 0;
  congruence(kernels, factor, b, n, s);
  let trace = 0;
  // Eigenvalues that should be 0 come out as ±(rounding); the negative ones contribute nothing.
  for (const lambda of symmetricEigenvalues(kernels, 0, factor.rank, 3 * n * s))
    if (lambda > 0) trace += Math.sqrt(lambda);
  return trace;
}

/** Where a pivoted Cholesky factor sits: Pᵀ A P ≈ L Lᵀ, L n × rank. */
export interface PivotedCholesky {
  /** Heap offset of Lᵀ: rank rows of stride s, row j = column j of L (zero before j). */
  lt: number;
  /** perm[i] = the original index at permuted position i. */
  perm: Int32Array;
  rank: number;
}

/**
 * Factors the symmetric positive semi-definite `a`, choosing the largest remaining diagonal as
 * pivot and stopping when it falls to n · ε · max diagonal (LAPACK dpstrf's rule): the rank
 * found is the numerical rank. L is built at heap offset 0 (row i = permuted position i),
 * column by column, four rows per kernel call; Lᵀ is copied to offset n·s.
 */
export function pivotedCholesky(
  k: Kernels,
  a: ArrayLike<number>,
  n: number,
  s: number,
): PivotedCholesky {
  const h = k.heap;
  const perm = new Int32Array(n);
  const diag = new Float64Array(n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) {
    perm[i] = i;
    diag[i] = a[i * n + i];
    if (diag[i] > maxDiag) maxDiag = diag[i];
  }
  const stop = n * EPS * maxDiag;
  const out = 3 * n * s + 5 * s;
  let rank = 0;
  for (let j = 0; j < n; j++) {
    let p = j;
    for (let i = j + 1; i < n; i++) if (diag[i] > diag[p]) p = i;
    if (!(diag[p] > stop)) break;
    if (p !== j) {
      [perm[j], perm[p]] = [perm[p], perm[j]];
      [diag[j], diag[p]] = [diag[p], diag[j]];
      for (let c = 0; c < j; c++) {
        const t = h[j * s + c];
        h[j * s + c] = h[p * s + c];
        h[p * s + c] = t;
      }
    }
    const ljj = Math.sqrt(diag[j]);
    h[j * s + j] = ljj;
    const rowA = perm[j] * n;
    // L_ij = (A_ij − L_i,<j · L_j,<j) / L_jj. The dot runs to an even length: the extra
    // column j is still zero in the rows below.
    const count = even(j);
    let i = j + 1;
    for (; i + 3 < n; i += 4) {
      k.dot4x1(i * s, (i + 1) * s, (i + 2) * s, (i + 3) * s, j * s, count, out);
      for (let r = 0; r < 4; r++) {
        const v = (a[rowA + perm[i + r]] - h[out + r]) / ljj;
        h[(i + r) * s + j] = v;
        diag[i + r] -= v * v;
      }
    }
    for (; i < n; i++) {
      let dot = 0;
      for (let c = 0; c < j; c++) dot += h[i * s + c] * h[j * s + c];
      const v = (a[rowA + perm[i]] - dot) / ljj;
      h[i * s + j] = v;
      diag[i] -= v * v;
    }
    rank = j + 1;
  }
  const lt = n * s;
  for (let i = 0; i < n; i++) {
    const upto = Math.min(i + 1, rank);
    for (let j = 0; j < upto; j++) h[lt + j * s + i] = h[i * s + j];
  }
  return { lt, perm, rank };
}

/** Columns per k-tile of productNT: the block's rows stay in L1 while it is summed. */
const K_TILE = 256;

/**
 * heap[out + p·outStride + q] = Σ_k x[p][k] · y[q][k] for p < px, q < qy (rows of stride s at
 * heap offsets x, y), each 4 × 2 block summing only k ∈ [kFrom(p₀, q₀), kTo(p₁, q₁)) — callers
 * pass the range outside which their triangular factors are zero, rounded here to even ends.
 * Block edges reuse the last row and drop its results.
 */
function productNT(
  k: Kernels,
  x: number,
  px: number,
  y: number,
  qy: number,
  s: number,
  out: number,
  outStride: number,
  kFrom: (p: number, q: number) => number,
  kTo: (p: number, q: number) => number,
  scratch: number,
): void {
  const h = k.heap;
  for (let p = 0; p < px; p++) h.fill(0, out + p * outStride, out + p * outStride + qy);
  for (let p = 0; p < px; p += 4) {
    const np = Math.min(4, px - p);
    const row = (r: number) => x + (p + Math.min(r, np - 1)) * s;
    const [x0, x1, x2, x3] = [row(0), row(1), row(2), row(3)];
    for (let q = 0; q < qy; q += 2) {
      const nq = Math.min(2, qy - q);
      const y0 = y + q * s;
      const y1 = y + (q + nq - 1) * s;
      const from = evenDown(Math.max(0, kFrom(p, q)));
      const to = Math.min(s, even(kTo(p + np - 1, q + nq - 1)));
      for (let k0 = from; k0 < to; k0 += K_TILE) {
        const count = Math.min(K_TILE, to - k0);
        k.dot4x2(x0 + k0, x1 + k0, x2 + k0, x3 + k0, y0 + k0, y1 + k0, count, scratch);
        for (let r = 0; r < np; r++)
          for (let c = 0; c < nq; c++)
            h[out + (p + r) * outStride + q + c] += h[scratch + 2 * r + c];
      }
    }
  }
}

/**
 * C = Lᵀ (Pᵀ S P) L for the factor of another matrix: rank × rank, symmetric positive
 * semi-definite, with the eigenvalues of Pᵀ A P · Pᵀ S P, i.e. of A S (similar matrices);
 * written at heap offset 0 with row stride rank.
 *
 * Computed as LAPACK's dsygst does, from half of S: with T = the lower triangle of Pᵀ S P and
 * half its diagonal (so Pᵀ S P = T + Tᵀ), C = N + Nᵀ where N = Lᵀ (T L). T L is lower
 * trapezoidal (n³/6 multiply-adds) and N costs n³/3: half of forming S L in full.
 */
export function congruence(
  k: Kernels,
  factor: PivotedCholesky,
  b: ArrayLike<number>,
  n: number,
  s: number,
): void {
  const h = k.heap;
  const { lt, perm, rank } = factor;
  // T over L's place (L is no longer needed: Lᵀ holds it).
  for (let i = 0; i < n; i++) {
    const src = perm[i] * n;
    const dst = i * s;
    for (let c = 0; c < i; c++) h[dst + c] = b[src + perm[c]];
    h[dst + i] = b[src + perm[i]] / 2;
    h.fill(0, dst + i + 1, dst + s);
  }
  const mt = 2 * n * s;
  const scratch = 3 * n * s + 5 * s;
  // Mᵀ (rank × n): M_ij = Σ_{j ≤ c ≤ i} T_ic L_cj — T is zero beyond i, L before j.
  for (let j = 0; j < rank; j++) h.fill(0, mt + j * s + n, mt + (j + 1) * s);
  productNT(
    k,
    lt,
    rank,
    0,
    n,
    s,
    mt,
    s,
    (j) => j,
    (_, i) => i + 1,
    scratch,
  );
  // N_ij = Σ_{c ≥ max(i, j)} L_ci M_cj, at offset 0 (T is used up), then C = N + Nᵀ in place.
  productNT(
    k,
    lt,
    rank,
    mt,
    rank,
    s,
    0,
    rank,
    (i, j) => Math.max(i, j),
    () => n,
    scratch,
  );
  for (let i = 0; i < rank; i++) {
    h[i * rank + i] *= 2;
    for (let j = i + 1; j < rank; j++) {
      const sum = h[i * rank + j] + h[j * rank + i];
      h[i * rank + j] = sum;
      h[j * rank + i] = sum;
    }
  }
}

/**
 * Householder vector for step k's column (entries a[i][k], i > k, of the n × n matrix at heap
 * offset `a`): H = I − β v vᵀ maps them onto α e₁. Writes v at heap offset `v` + (k+1 … n−1)
 * and zeros v[k−1], v[k] (the sweep kernels may start there, to take pairs); returns [α, β].
 */
function householder(
  h: Float64Array,
  a: number,
  n: number,
  k: number,
  v: number,
): [number, number] {
  let norm2 = 0;
  h[v + k] = 0;
  if (k > 0) h[v + k - 1] = 0;
  for (let i = k + 1; i < n; i++) {
    const x = h[a + i * n + k];
    h[v + i] = x;
    norm2 += x * x;
  }
  if (norm2 === 0) return [0, 0];
  const x0 = h[v + k + 1];
  const alpha = x0 >= 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
  h[v + k + 1] = x0 - alpha;
  // vᵀv = 2(α² − α x₀), so β = 2 / vᵀv = 1 / (α² − α x₀).
  return [alpha, 1 / (norm2 - alpha * x0)];
}

/**
 * Eigenvalues of the symmetric n × n matrix at heap offset `a` (its lower triangle is used and
 * overwritten): Householder reduction to tridiagonal form, then implicit QL. Each step's rank-2
 * update is fused with the next step's symmetric matrix–vector product, so the shrinking lower
 * triangle is swept once per step, four rows per kernel call. `work` points at 5n + 32 free
 * heap elements. No eigenvectors.
 */
export function symmetricEigenvalues(k: Kernels, a: number, n: number, work: number): Float64Array {
  const h = k.heap;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const s = even(n);
  let v = work;
  let vNext = work + s;
  const w = work + 2 * s;
  let p = work + 3 * s;
  let pNext = work + 4 * s;
  const coef = work + 5 * s + 8;
  const out = work + 5 * s + 24;
  h.fill(0, work, work + 5 * s);
  let [alpha, beta] = householder(h, a, n, 0, v);
  // p = A v over the trailing block, from the lower triangle.
  for (let i = 1; i < n; i++) {
    const row = a + i * n;
    const vi = h[v + i];
    let sum = 0;
    for (let j = 1; j < i; j++) {
      const aij = h[row + j];
      sum += aij * h[v + j];
      h[p + j] += aij * vi;
    }
    h[p + i] += sum + h[row + i] * vi;
  }
  for (let step = 0; step < n - 2; step++) {
    d[step] = h[a + step * n + step];
    e[step] = alpha;
    // w = β p − (β² pᵀv / 2) v; the trailing block becomes A − v wᵀ − w vᵀ.
    let pv = 0;
    for (let i = step + 1; i < n; i++) pv += h[p + i] * h[v + i];
    const half = (beta * beta * pv) / 2;
    for (let i = step + 1; i < n; i++) h[w + i] = beta * h[p + i] - half * h[v + i];
    // Column c = step + 1 first: it defines the next Householder vector.
    const c = step + 1;
    const vc = h[v + c];
    const wc = h[w + c];
    for (let i = c; i < n; i++) h[a + i * n + c] -= h[v + i] * wc + h[w + i] * vc;
    const next = householder(h, a, n, c, vNext);
    h.fill(0, pNext + c, pNext + n);
    // Rows c+1…: finish the update and accumulate the next product in the same sweep. The kernel
    // may start a column early (columns ≤ c are done with; there u = vNext is 0) to take pairs.
    const from = evenDown(c);
    let i = c + 1;
    for (; i + 3 < n; i += 4) {
      const count = evenDown(i - from);
      for (let r = 0; r < 4; r++) {
        h[coef + r] = h[v + i + r];
        h[coef + 4 + r] = h[w + i + r];
        h[coef + 8 + r] = h[vNext + i + r];
      }
      const r0 = a + i * n + from;
      k.sweep4(
        r0,
        r0 + n,
        r0 + 2 * n,
        r0 + 3 * n,
        v + from,
        w + from,
        vNext + from,
        pNext + from,
        count,
        coef,
        out,
      );
      for (let r = 0; r < 4; r++)
        finishRow(h, a, n, i + r, from + count, h[out + r], v, w, vNext, pNext);
    }
    for (; i < n; i++) finishRow(h, a, n, i, c + 1, 0, v, w, vNext, pNext);
    [alpha, beta] = next;
    [v, vNext] = [vNext, v];
    [p, pNext] = [pNext, p];
  }
  if (n >= 2) {
    d[n - 2] = h[a + (n - 2) * n + n - 2];
    e[n - 2] = h[a + (n - 1) * n + n - 2];
  }
  d[n - 1] = h[a + n * n - 1];
  tridiagonalEigenvalues(d, e);
  return d;
}

/** Finishes row i of the fused sweep: columns [from, i) one by one, then the diagonal. */
function finishRow(
  h: Float64Array,
  a: number,
  n: number,
  i: number,
  from: number,
  partial: number,
  v: number,
  w: number,
  u: number,
  p: number,
): void {
  const row = a + i * n;
  const vi = h[v + i];
  const wi = h[w + i];
  const ui = h[u + i];
  let sum = partial;
  for (let j = from; j < i; j++) {
    const aij = h[row + j] - vi * h[w + j] - wi * h[v + j];
    h[row + j] = aij;
    sum += aij * h[u + j];
    h[p + j] += aij * ui;
  }
  const aii = h[row + i] - 2 * vi * wi;
  h[row + i] = aii;
  h[p + i] += sum + aii * ui;
}

/**
 * Eigenvalues of the symmetric tridiagonal matrix with diagonal d and off-diagonal e
 * (e[i] couples i and i+1; e[n−1] unused), in place into d, by implicit QL sweeps with
 * a shift from the leading 2 × 2 block; converged off-diagonals split the problem.
 */
export function tridiagonalEigenvalues(d: Float64Array, e: Float64Array): void {
  const n = d.length;
  if (n > 0) e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    for (let iter = 0; ; iter++) {
      let m = l;
      while (m < n - 1) {
        const scale = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= EPS * scale) break;
        m++;
      }
      if (m === l) break;
      if (iter === 60) throw new Error('symmetricEigenvalues: QL iteration did not converge');
      // Shift: the eigenvalue of the leading 2 × 2 block closer to d[l].
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // An exact zero split the block: undo the last shift and restart on it.
          d[i + 1] -= p;
          e[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
      }
      if (underflow) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}
