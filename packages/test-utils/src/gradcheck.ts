import { SeedStream } from '@gan/core';
import * as tf from '@tensorflow/tfjs-core';

export interface GradientCheckOptions {
  /** Random directions to probe. Default 3. */
  directions?: number;
  /** Step of the central difference (the extrapolation also uses h/2). Default 1e-2. */
  h?: number;
  /** Tolerance on max |analytic − numeric| over directions, relative to max(max |numeric|, `floor`). Default 3e-3. */
  rtol?: number;
  /** Scale below which derivatives count as zero (absolute tolerance = rtol · floor). Default 1e-4. */
  floor?: number;
  seed?: number;
  /**
   * A direction is redrawn when its difference quotients at h and h/2 disagree by more than this
   * (relative): the step crossed a kink (relu family) where finite differences mean nothing.
   * Default 0.05.
   */
  smoothness?: number;
  /** Directions drawn at most before giving up. Default 4 × directions. */
  maxAttempts?: number;
}

export interface GradientCheckResult {
  analytic: number[];
  numeric: number[];
  /** max |analytic − numeric| / max(max |numeric|, floor): the error relative to the gradient's scale. */
  maxError: number;
  /** Directions redrawn because the step crossed a kink. */
  redrawn: number;
}

/**
 * Checks tf.grads(f) against finite differences along random directions v:
 * ⟨∇f(θ), v⟩ versus a Richardson-extrapolated central difference
 * (4·D(h/2) − D(h))/3, D(h) = (f(θ + h v) − f(θ − h v)) / 2h, which is accurate to O(h⁴) so
 * float32 noise, not truncation, sets the tolerance. f may itself take gradients (second order).
 * Directions whose step crosses a kink (D(h) and D(h/2) disagree) are redrawn, not judged.
 */
export function checkGradients(
  f: (...xs: tf.Tensor[]) => tf.Scalar,
  xs: tf.Tensor[],
  options: GradientCheckOptions = {},
): GradientCheckResult {
  const {
    directions = 3,
    h = 1e-2,
    rtol = 3e-3,
    floor = 1e-4,
    seed = 7,
    smoothness = 0.05,
  } = options;
  const maxAttempts = options.maxAttempts ?? 4 * directions;
  const stream = new SeedStream(seed);
  const analytic: number[] = [];
  const numeric: number[] = [];
  const gradTensors = tf.tidy(() => tf.grads(f)(xs));
  const grads = gradTensors.map((g) => Float64Array.from(g.dataSync()));
  tf.dispose(gradTensors);
  const evaluate = (shift: tf.Tensor[], step: number) =>
    tf.tidy(() => f(...xs.map((x, i) => tf.add(x, tf.mul(shift[i], step)))).dataSync()[0]);
  let attempts = 0;
  while (numeric.length < directions) {
    if (attempts++ >= maxAttempts) {
      throw new Error(
        `gradient check: ${attempts - 1} directions drawn, ${numeric.length} smooth; f has kinks everywhere at h = ${h}`,
      );
    }
    const v = xs.map((x) => tf.randomNormal(x.shape, 0, 1, 'float32', stream.nextSeed()));
    const central = (step: number) => (evaluate(v, step) - evaluate(v, -step)) / (2 * step);
    const [coarse, fine] = [central(h), central(h / 2)];
    if (Math.abs(coarse - fine) <= smoothness * Math.max(Math.abs(fine), floor)) {
      let directional = 0;
      v.forEach((t, i) => {
        const values = t.dataSync();
        for (let j = 0; j < values.length; j++) directional += grads[i][j] * values[j];
      });
      analytic.push(directional);
      numeric.push((4 * fine - coarse) / 3);
    }
    tf.dispose(v);
  }
  // Judged against the largest directional derivative: one direction nearly orthogonal to the
  // gradient must not turn float32 noise into a relative error.
  const scale = Math.max(floor, ...numeric.map(Math.abs));
  const maxError = Math.max(...analytic.map((a, i) => Math.abs(a - numeric[i]))) / scale;
  if (!(maxError <= rtol)) {
    throw new Error(
      `gradient check failed: analytic [${analytic.map((a) => a.toPrecision(6))}] vs finite differences ` +
        `[${numeric.map((n) => n.toPrecision(6))}] (max error ${maxError.toExponential(2)} > ${rtol})`,
    );
  }
  return { analytic, numeric, maxError, redrawn: attempts - directions };
}

/** ‖∇ₓ g(x, …)‖², the quantity a gradient penalty or R1 differentiates. */
export function gradientNormSquared(g: (...xs: tf.Tensor[]) => tf.Scalar) {
  return (...xs: tf.Tensor[]): tf.Scalar =>
    tf.tidy(() => {
      const [x, ...rest] = xs;
      const dx = tf.grad((xi: tf.Tensor) => g(xi, ...rest))(x);
      return tf.sum(tf.square(dx));
    });
}
