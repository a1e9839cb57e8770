import * as tf from '@tensorflow/tfjs-core';

/** Nested arrays of any depth, as fixtures store tensors. */
export type NestedNumbers = number | NestedNumbers[];
export type Numeric = tf.Tensor | number | ArrayLike<number> | NestedNumbers[];

export function toArray(x: Numeric): Float64Array {
  if (x instanceof tf.Tensor) return Float64Array.from(x.dataSync());
  if (typeof x === 'number') return Float64Array.of(x);
  const flat = (
    Array.isArray(x) ? (x as unknown[]).flat(Number.POSITIVE_INFINITY) : Array.from(x)
  ) as number[];
  return Float64Array.from(flat);
}

export interface CloseOptions {
  /** Relative tolerance. Default 1e-5. */
  rtol?: number;
  /** Absolute tolerance. Default `rtol · max|expected|`, i.e. errors are judged against the tensor's scale. */
  atol?: number;
  label?: string;
}

/** Largest error of `actual` against `expected`, relative to max|expected| (∞-norm relative error). */
export function relativeError(actual: Numeric, expected: Numeric): number {
  const a = toArray(actual);
  const e = toArray(expected);
  if (a.length !== e.length) throw new Error(`size mismatch: ${a.length} vs ${e.length}`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - e[i]));
    den = Math.max(den, Math.abs(e[i]));
  }
  return den === 0 ? num : num / den;
}

/**
 * Asserts |actual − expected| ≤ atol + rtol·|expected| elementwise, with shapes checked for
 * tensors; the message names the worst element. Non-finite values must match exactly.
 */
export function expectClose(actual: Numeric, expected: Numeric, options: CloseOptions = {}): void {
  const label = options.label ?? 'expectClose';
  if (actual instanceof tf.Tensor && expected instanceof tf.Tensor) {
    if (actual.shape.join() !== expected.shape.join()) {
      throw new Error(`${label}: shape [${actual.shape}] ≠ expected [${expected.shape}]`);
    }
  }
  const a = toArray(actual);
  const e = toArray(expected);
  if (a.length !== e.length) throw new Error(`${label}: ${a.length} values ≠ expected ${e.length}`);
  const rtol = options.rtol ?? 1e-5;
  let scale = 0;
  for (const v of e) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  const atol = options.atol ?? rtol * scale;
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(e[i]) || !Number.isFinite(a[i])) {
      if (!Object.is(a[i], e[i]))
        throw new Error(`${label}: element ${i} is ${a[i]}, expected ${e[i]}`);
      continue;
    }
    const excess = Math.abs(a[i] - e[i]) - (atol + rtol * Math.abs(e[i]));
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (worst >= 0) {
    throw new Error(
      `${label}: element ${worst} is ${a[worst]}, expected ${e[worst]} (rtol ${rtol}, atol ${atol.toExponential(2)}, ` +
        `max relative error ${relativeError(a, e).toExponential(2)})`,
    );
  }
}
