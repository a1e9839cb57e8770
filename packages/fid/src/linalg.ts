/**
 * Dense symmetric linear algebra in float64 for the Fréchet distance: a pivoted (rank-revealing)
 * Cholesky factorisation, the congruence Lᵀ S L, Householder tridiagonalisation and implicit QL
 * eigenvalues. Matrices are row-major `Float64Array`s; every inner loop runs along contiguous
 * rows so the JIT keeps it in cache, and products are register-blocked 2 × 2.
 */

const EPS = 2 ** -52;

/** A pivoted Cholesky factor: Pᵀ A P ≈ L Lᵀ with L n × rank, stored transposed. */
export interface PivotedCholesky {
  /** rank × n, row j = column j of L (zero before position j). */
  lt: Float64Array;
  /** perm[i] = the original index at permuted position i. */
  perm: Int32Array;
  rank: number;
}

/**
 * Factors the symmetric positive semi-definite `a` (n × n), choosing the largest remaining
 * diagonal as pivot and stopping when it falls to `tol` (default n · ε · max diagonal, LAPACK's
 * dpstrf rule). The rank found is the numerical rank, so a covariance of m < n samples costs
 * O(n m²) instead of O(n³): this is the "fewer samples than dimensions" fast path.
 */
export function pivotedCholesky(a: Float64Array, n: number, tol?: number): PivotedCholesky {
  const perm = new Int32Array(n);
  const diag = new Float64Array(n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) {
    perm[i] = i;
    diag[i] = a[i * n + i];
    if (diag[i] > maxDiag) maxDiag = diag[i];
  }
  const stop = tol ?? n * EPS * maxDiag;
  // Row-major L (row i = permuted position i); column j is filled at step j.
  const l = new Float64Array(n * n);
  let rank = 0;
  for (let j = 0; j < n; j++) {
    let p = j;
    for (let i = j + 1; i < n; i++) if (diag[i] > diag[p]) p = i;
    if (!(diag[p] > stop)) break;
    if (p !== j) {
      [perm[j], perm[p]] = [perm[p], perm[j]];
      [diag[j], diag[p]] = [diag[p], diag[j]];
      for (let k = 0; k < j; k++) {
        const t = l[j * n + k];
        l[j * n + k] = l[p * n + k];
        l[p * n + k] = t;
      }
    }
    const ljj = Math.sqrt(diag[j]);
    l[j * n + j] = ljj;
    const rowA = perm[j] * n;
    const rowJ = j * n;
    // Column j below the pivot: L_ij = (A_ij − L_i,<j · L_j,<j) / L_jj, four rows at a time.
    let i = j + 1;
    for (; i + 3 < n; i += 4) {
      const r0 = i * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < j; k++) {
        const ljk = l[rowJ + k];
        s0 += l[r0 + k] * ljk;
        s1 += l[r1 + k] * ljk;
        s2 += l[r2 + k] * ljk;
        s3 += l[r3 + k] * ljk;
      }
      const v0 = (a[rowA + perm[i]] - s0) / ljj;
      const v1 = (a[rowA + perm[i + 1]] - s1) / ljj;
      const v2 = (a[rowA + perm[i + 2]] - s2) / ljj;
      const v3 = (a[rowA + perm[i + 3]] - s3) / ljj;
      l[r0 + j] = v0;
      l[r1 + j] = v1;
      l[r2 + j] = v2;
      l[r3 + j] = v3;
      diag[i] -= v0 * v0;
      diag[i + 1] -= v1 * v1;
      diag[i + 2] -= v2 * v2;
      diag[i + 3] -= v3 * v3;
    }
    for (; i < n; i++) {
      const rowI = i * n;
      let s = 0;
      for (let k = 0; k < j; k++) s += l[rowI + k] * l[rowJ + k];
      const v = (a[rowA + perm[i]] - s) / ljj;
      l[rowI + j] = v;
      diag[i] -= v * v;
    }
    rank = j + 1;
  }
  const lt = new Float64Array(rank * n);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    const upto = Math.min(i + 1, rank);
    for (let j = 0; j < upto; j++) lt[j * n + i] = l[rowI + j];
  }
  return { lt, perm, rank };
}

/** Columns per k-tile of productNT: 8 rows of this length stay in L1 while a block is summed. */
const K_TILE = 256;

/**
 * out[p·qy + q] = Σ_k x[p][k] · y[q][k] for p < px, q < qy, rows of length `len`. With
 * `triangularX`, x[p][k] = 0 for k < p and those terms are skipped; with `upper` only q ≥ p is
 * computed (for symmetric results). Register-blocked 4 × 4 (each loaded value feeds four
 * multiply-adds) and tiled over k; block edges reuse the last row and drop its results.
 */
function productNT(
  x: Float64Array,
  px: number,
  y: Float64Array,
  qy: number,
  len: number,
  out: Float64Array,
  triangularX: boolean,
  upper: boolean,
): void {
  out.fill(0, 0, px * qy);
  for (let p = 0; p < px; p += 4) {
    const from = triangularX ? p : 0;
    const np = Math.min(4, px - p);
    const rx0 = p * len;
    const rx1 = (p + Math.min(1, np - 1)) * len;
    const rx2 = (p + Math.min(2, np - 1)) * len;
    const rx3 = (p + Math.min(3, np - 1)) * len;
    for (let k0 = from; k0 < len; k0 += K_TILE) {
      const k1 = Math.min(len, k0 + K_TILE);
      for (let q = upper ? p : 0; q < qy; q += 4) {
        const nq = Math.min(4, qy - q);
        const ry0 = q * len;
        const ry1 = (q + Math.min(1, nq - 1)) * len;
        const ry2 = (q + Math.min(2, nq - 1)) * len;
        const ry3 = (q + Math.min(3, nq - 1)) * len;
        block4x4(x, rx0, rx1, rx2, rx3, y, ry0, ry1, ry2, ry3, k0, k1, np, nq, out, p * qy + q, qy);
      }
    }
  }
}

/** One 4 × 4 block of productNT over k ∈ [k0, k1), added into out (np × nq of it kept). */
function block4x4(
  x: Float64Array,
  rx0: number,
  rx1: number,
  rx2: number,
  rx3: number,
  y: Float64Array,
  ry0: number,
  ry1: number,
  ry2: number,
  ry3: number,
  k0: number,
  k1: number,
  np: number,
  nq: number,
  out: Float64Array,
  o: number,
  stride: number,
): void {
  let s00 = 0;
  let s01 = 0;
  let s02 = 0;
  let s03 = 0;
  let s10 = 0;
  let s11 = 0;
  let s12 = 0;
  let s13 = 0;
  let s20 = 0;
  let s21 = 0;
  let s22 = 0;
  let s23 = 0;
  let s30 = 0;
  let s31 = 0;
  let s32 = 0;
  let s33 = 0;
  for (let k = k0; k < k1; k++) {
    const b0 = y[ry0 + k];
    const b1 = y[ry1 + k];
    const b2 = y[ry2 + k];
    const b3 = y[ry3 + k];
    let a = x[rx0 + k];
    s00 += a * b0;
    s01 += a * b1;
    s02 += a * b2;
    s03 += a * b3;
    a = x[rx1 + k];
    s10 += a * b0;
    s11 += a * b1;
    s12 += a * b2;
    s13 += a * b3;
    a = x[rx2 + k];
    s20 += a * b0;
    s21 += a * b1;
    s22 += a * b2;
    s23 += a * b3;
    a = x[rx3 + k];
    s30 += a * b0;
    s31 += a * b1;
    s32 += a * b2;
    s33 += a * b3;
  }
  if (np === 4 && nq === 4) {
    out[o] += s00;
    out[o + 1] += s01;
    out[o + 2] += s02;
    out[o + 3] += s03;
    o += stride;
    out[o] += s10;
    out[o + 1] += s11;
    out[o + 2] += s12;
    out[o + 3] += s13;
    o += stride;
    out[o] += s20;
    out[o + 1] += s21;
    out[o + 2] += s22;
    out[o + 3] += s23;
    o += stride;
    out[o] += s30;
    out[o + 1] += s31;
    out[o + 2] += s32;
    out[o + 3] += s33;
    return;
  }
  // A block on the edge: keep its np × nq corner.
  const sums = [s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33];
  for (let r = 0; r < np; r++)
    for (let c = 0; c < nq; c++) out[o + r * stride + c] += sums[r * 4 + c];
}

/**
 * C = Lᵀ (Pᵀ S P) L for the factor of another matrix: rank × rank, symmetric positive
 * semi-definite, with the eigenvalues of Pᵀ A P · Pᵀ S P, i.e. of A S (similar matrices).
 */
export function congruence(factor: PivotedCholesky, s: Float64Array, n: number): Float64Array {
  const { lt, perm, rank } = factor;
  const sp = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const src = perm[i] * n;
    const dst = i * n;
    for (let k = 0; k < n; k++) sp[dst + k] = s[src + perm[k]];
  }
  // Wᵀ = Lᵀ Spᵀ = Lᵀ Sp (S symmetric): rank × n; then C = Lᵀ W.
  const wt = new Float64Array(rank * n);
  productNT(lt, rank, sp, n, n, wt, true, false);
  const c = new Float64Array(rank * rank);
  productNT(lt, rank, wt, rank, n, c, true, true);
  for (let i = 0; i < rank; i++) for (let j = 0; j < i; j++) c[i * rank + j] = c[j * rank + i];
  return c;
}

/**
 * Householder vector for the column below the subdiagonal of step k (entries a[i][k], i > k, of
 * the lower triangle): H = I − β v vᵀ maps them onto α e₁. Returns α; v is written at k+1…n−1.
 */
function householder(a: Float64Array, n: number, k: number, v: Float64Array): [number, number] {
  let norm2 = 0;
  for (let i = k + 1; i < n; i++) {
    const x = a[i * n + k];
    v[i] = x;
    norm2 += x * x;
  }
  if (norm2 === 0) return [0, 0];
  const x0 = v[k + 1];
  const alpha = x0 >= 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
  v[k + 1] = x0 - alpha;
  // vᵀv = 2(α² − α x₀), so β = 2 / vᵀv = 1 / (α² − α x₀).
  return [alpha, 1 / (norm2 - alpha * x0)];
}

const sums = new Float64Array(4);

/**
 * The fused sweep over rows i…i+3 for columns [from, i): a_rj −= v_r w_j + w_r v_j, then
 * p_j += Σ_r a_rj u_r, and the row sums Σ_j a_rj u_j are returned (in a reused array). Four rows
 * share each load of v_j, w_j, u_j and p_j.
 */
function sweepRows4(
  a: Float64Array,
  n: number,
  i: number,
  from: number,
  v: Float64Array,
  w: Float64Array,
  u: Float64Array,
  p: Float64Array,
): Float64Array {
  const r0 = i * n;
  const r1 = r0 + n;
  const r2 = r1 + n;
  const r3 = r2 + n;
  const v0 = v[i];
  const v1 = v[i + 1];
  const v2 = v[i + 2];
  const v3 = v[i + 3];
  const w0 = w[i];
  const w1 = w[i + 1];
  const w2 = w[i + 2];
  const w3 = w[i + 3];
  const u0 = u[i];
  const u1 = u[i + 1];
  const u2 = u[i + 2];
  const u3 = u[i + 3];
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let j = from; j < i; j++) {
    const vj = v[j];
    const wj = w[j];
    const uj = u[j];
    const a0 = a[r0 + j] - v0 * wj - w0 * vj;
    const a1 = a[r1 + j] - v1 * wj - w1 * vj;
    const a2 = a[r2 + j] - v2 * wj - w2 * vj;
    const a3 = a[r3 + j] - v3 * wj - w3 * vj;
    a[r0 + j] = a0;
    a[r1 + j] = a1;
    a[r2 + j] = a2;
    a[r3 + j] = a3;
    s0 += a0 * uj;
    s1 += a1 * uj;
    s2 += a2 * uj;
    s3 += a3 * uj;
    p[j] += a0 * u0 + a1 * u1 + a2 * u2 + a3 * u3;
  }
  sums[0] = s0;
  sums[1] = s1;
  sums[2] = s2;
  sums[3] = s3;
  return sums;
}

/** Finishes row i of the fused sweep: columns [from, i) one by one, then the diagonal. */
function finishRow(
  a: Float64Array,
  n: number,
  i: number,
  from: number,
  partial: number,
  v: Float64Array,
  w: Float64Array,
  u: Float64Array,
  p: Float64Array,
): void {
  const row = i * n;
  const vi = v[i];
  const wi = w[i];
  const ui = u[i];
  let s = partial;
  for (let j = from; j < i; j++) {
    const aij = a[row + j] - vi * w[j] - wi * v[j];
    a[row + j] = aij;
    s += aij * u[j];
    p[j] += aij * ui;
  }
  const aii = a[row + i] - 2 * vi * wi;
  a[row + i] = aii;
  p[i] += s + aii * ui;
}

/**
 * Eigenvalues of the symmetric n × n matrix `a` (its lower triangle is used and overwritten):
 * Householder reduction to tridiagonal form, then implicit QL. Each step's rank-2 update is fused
 * with the next step's symmetric matrix–vector product, so the shrinking lower triangle is swept
 * once per step (the reduction is bound by memory traffic, not flops). No eigenvectors.
 */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  let v = new Float64Array(n);
  let vNext = new Float64Array(n);
  const w = new Float64Array(n);
  let p = new Float64Array(n);
  let pNext = new Float64Array(n);
  if (n === 0) return d;
  let [alpha, beta] = householder(a, n, 0, v);
  // p = A v over the trailing block, from the lower triangle.
  for (let i = 1; i < n; i++) {
    const rowI = i * n;
    const vi = v[i];
    let s = 0;
    for (let j = 1; j < i; j++) {
      const aij = a[rowI + j];
      s += aij * v[j];
      p[j] += aij * vi;
    }
    p[i] += s + a[rowI + i] * vi;
  }
  for (let k = 0; k < n - 2; k++) {
    d[k] = a[k * n + k];
    e[k] = alpha;
    // w = β p − (β² pᵀv / 2) v; the trailing block becomes A − v wᵀ − w vᵀ.
    let pv = 0;
    for (let i = k + 1; i < n; i++) pv += p[i] * v[i];
    const half = (beta * beta * pv) / 2;
    for (let i = k + 1; i < n; i++) w[i] = beta * p[i] - half * v[i];
    // Column k+1 first: it defines the next Householder vector.
    const c = k + 1;
    const vc = v[c];
    const wc = w[c];
    for (let i = c; i < n; i++) a[i * n + c] -= v[i] * wc + w[i] * vc;
    const next = householder(a, n, c, vNext);
    pNext.fill(0, c + 1);
    // Rows k+2…: finish the update and accumulate the next product in the same sweep, two rows
    // at a time so each load of v, w, u and p serves both.
    let i = c + 1;
    for (; i + 3 < n; i += 4) {
      const s = sweepRows4(a, n, i, c + 1, v, w, vNext, pNext);
      for (let r = 0; r < 4; r++) finishRow(a, n, i + r, i, s[r], v, w, vNext, pNext);
    }
    for (; i < n; i++) finishRow(a, n, i, c + 1, 0, v, w, vNext, pNext);
    [alpha, beta] = next;
    [v, vNext] = [vNext, v];
    [p, pNext] = [pNext, p];
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2];
    e[n - 2] = a[(n - 1) * n + n - 2];
  }
  d[n - 1] = a[n * n - 1];
  tridiagonalEigenvalues(d, e);
  return d;
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
