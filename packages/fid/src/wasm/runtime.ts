import { KERNELS_WASM_BASE64 } from './kernels';

/**
 * The inner loops of the float64 linear algebra, over one heap: WebAssembly SIMD (f64x2, about
 * 3.5× plain JavaScript here) where the runtime has it, else the same loops in JavaScript.
 * Offsets and counts are in float64 elements; counts are even (callers pad rows with zeros).
 */
export interface Kernels {
  readonly simd: boolean;
  /** The heap: re-read after `reserve`, which may replace it. */
  heap: Float64Array;
  /** Makes the heap at least `elements` long (contents kept). */
  reserve(elements: number): void;
  /** heap[out + 2r + c] = Σ_k heap[x_r + k] · heap[y_c + k], r < 4, c < 2, k < count. */
  dot4x2(
    x0: number,
    x1: number,
    x2: number,
    x3: number,
    y0: number,
    y1: number,
    count: number,
    out: number,
  ): void;
  /** heap[out + r] = Σ_k heap[x_r + k] · heap[y + k], r < 4. */
  dot4x1(
    x0: number,
    x1: number,
    x2: number,
    x3: number,
    y: number,
    count: number,
    out: number,
  ): void;
  /** heap[out + 2r + c] = Σ_k (heap[x_r + k] − heap[y_c + k])², r < 4, c < 2, k < count. */
  sqdist4x2(
    x0: number,
    x1: number,
    x2: number,
    x3: number,
    y0: number,
    y1: number,
    count: number,
    out: number,
  ): void;
  /**
   * For rows r < 4 at offsets r_r and k < count: a −= V_r w + W_r v; s_r += a u; p += Σ_r a U_r,
   * with (V, W, U) at heap[c …c+12) and s written to heap[out …out+4).
   */
  sweep4(
    r0: number,
    r1: number,
    r2: number,
    r3: number,
    v: number,
    w: number,
    u: number,
    p: number,
    count: number,
    c: number,
    out: number,
  ): void;
}

let compiled: WebAssembly.Module | null | undefined;

function compile(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
    // Small enough for synchronous compilation, which browsers allow on the main thread.
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Whether WebAssembly SIMD kernels are available in this runtime. */
export function simdAvailable(): boolean {
  return typeof WebAssembly === 'object' && compile() !== null;
}

/** Fresh kernels with their own heap (`simd: false` forces the JavaScript loops). */
export function createKernels(elements: number, simd = simdAvailable()): Kernels {
  return simd ? wasmKernels(elements) : jsKernels(elements);
}

function wasmKernels(elements: number): Kernels {
  const module = compile();
  if (!module) throw new Error('@gan/fid: WebAssembly SIMD is not available here');
  const instance = new WebAssembly.Instance(module, {});
  const exports = instance.exports as unknown as {
    memory: WebAssembly.Memory;
    dot4x2: Kernels['dot4x2'];
    dot4x1: Kernels['dot4x1'];
    sqdist4x2: Kernels['sqdist4x2'];
    sweep4: Kernels['sweep4'];
  };
  const kernels: Kernels = {
    simd: true,
    heap: new Float64Array(exports.memory.buffer),
    reserve(n: number) {
      const bytes = n * 8;
      const have = exports.memory.buffer.byteLength;
      if (bytes > have) exports.memory.grow(Math.ceil((bytes - have) / 65536));
      kernels.heap = new Float64Array(exports.memory.buffer);
    },
    dot4x2: exports.dot4x2,
    dot4x1: exports.dot4x1,
    sqdist4x2: exports.sqdist4x2,
    sweep4: exports.sweep4,
  };
  kernels.reserve(elements);
  return kernels;
}

function jsKernels(elements: number): Kernels {
  const kernels: Kernels = {
    simd: false,
    heap: new Float64Array(elements),
    reserve(n: number) {
      if (n <= kernels.heap.length) return;
      const grown = new Float64Array(n);
      grown.set(kernels.heap);
      kernels.heap = grown;
    },
    dot4x2(x0, x1, x2, x3, y0, y1, count, out) {
      const h = kernels.heap;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      let s20 = 0;
      let s21 = 0;
      let s30 = 0;
      let s31 = 0;
      for (let k = 0; k < count; k++) {
        const b0 = h[y0 + k];
        const b1 = h[y1 + k];
        let a = h[x0 + k];
        s00 += a * b0;
        s01 += a * b1;
        a = h[x1 + k];
        s10 += a * b0;
        s11 += a * b1;
        a = h[x2 + k];
        s20 += a * b0;
        s21 += a * b1;
        a = h[x3 + k];
        s30 += a * b0;
        s31 += a * b1;
      }
      h[out] = s00;
      h[out + 1] = s01;
      h[out + 2] = s10;
      h[out + 3] = s11;
      h[out + 4] = s20;
      h[out + 5] = s21;
      h[out + 6] = s30;
      h[out + 7] = s31;
    },
    dot4x1(x0, x1, x2, x3, y, count, out) {
      const h = kernels.heap;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < count; k++) {
        const b = h[y + k];
        s0 += h[x0 + k] * b;
        s1 += h[x1 + k] * b;
        s2 += h[x2 + k] * b;
        s3 += h[x3 + k] * b;
      }
      h[out] = s0;
      h[out + 1] = s1;
      h[out + 2] = s2;
      h[out + 3] = s3;
    },
    sqdist4x2(x0, x1, x2, x3, y0, y1, count, out) {
      const h = kernels.heap;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      let s20 = 0;
      let s21 = 0;
      let s30 = 0;
      let s31 = 0;
      for (let k = 0; k < count; k++) {
        const b0 = h[y0 + k];
        const b1 = h[y1 + k];
        let a = h[x0 + k];
        let t = a - b0;
        s00 += t * t;
        t = a - b1;
        s01 += t * t;
        a = h[x1 + k];
        t = a - b0;
        s10 += t * t;
        t = a - b1;
        s11 += t * t;
        a = h[x2 + k];
        t = a - b0;
        s20 += t * t;
        t = a - b1;
        s21 += t * t;
        a = h[x3 + k];
        t = a - b0;
        s30 += t * t;
        t = a - b1;
        s31 += t * t;
      }
      h[out] = s00;
      h[out + 1] = s01;
      h[out + 2] = s10;
      h[out + 3] = s11;
      h[out + 4] = s20;
      h[out + 5] = s21;
      h[out + 6] = s30;
      h[out + 7] = s31;
    },
    sweep4(r0, r1, r2, r3, v, w, u, p, count, c, out) {
      const h = kernels.heap;
      const [v0, v1, v2, v3, w0, w1, w2, w3, u0, u1, u2, u3] = h.subarray(c, c + 12);
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < count; j++) {
        const vj = h[v + j];
        const wj = h[w + j];
        const uj = h[u + j];
        const a0 = h[r0 + j] - v0 * wj - w0 * vj;
        const a1 = h[r1 + j] - v1 * wj - w1 * vj;
        const a2 = h[r2 + j] - v2 * wj - w2 * vj;
        const a3 = h[r3 + j] - v3 * wj - w3 * vj;
        h[r0 + j] = a0;
        h[r1 + j] = a1;
        h[r2 + j] = a2;
        h[r3 + j] = a3;
        s0 += a0 * uj;
        s1 += a1 * uj;
        s2 += a2 * uj;
        s3 += a3 * uj;
        h[p + j] += a0 * u0 + a1 * u1 + a2 * u2 + a3 * u3;
      }
      h[out] = s0;
      h[out + 1] = s1;
      h[out + 2] = s2;
      h[out + 3] = s3;
    },
  };
  return kernels;
}
