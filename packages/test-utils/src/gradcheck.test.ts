import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { checkGradients, gradientNormSquared } from './gradcheck';

describe('checkGradients (the judge must be able to fail)', () => {
  const x = () => tf.tensor1d([0.3, -1.2, 0.8]);

  it('accepts a correct gradient and returns matching directional derivatives', () => {
    const input = x();
    const result = checkGradients((t) => tf.sum(tf.sin(t)), [input]);
    expect(result.analytic).toHaveLength(3);
    expect(result.maxError).toBeLessThan(3e-3);
    input.dispose();
  });

  it('rejects a gradient that is 1% off', () => {
    const wrong = tf.customGrad((t, save) => {
      (save as tf.GradSaveFunc)([t as tf.Tensor]);
      return {
        value: tf.sum(tf.sin(t as tf.Tensor)),
        gradFunc: (dy, [s]) => tf.mul(dy, tf.mul(tf.cos(s), 1.01)),
      };
    });
    const input = x();
    expect(() => checkGradients((t) => wrong(t) as tf.Scalar, [input])).toThrow(
      /gradient check failed/,
    );
    input.dispose();
  });

  it('redraws directions that cross a kink instead of failing on them', () => {
    // ‖∇ₓ Σ w·relu(x)‖² is piecewise constant in x and jumps where x crosses 0; x = 0.004 sits
    // within one step of the kink for most directions.
    const input = tf.tensor1d([0.004, 0.9]);
    const w = tf.tensor1d([1.5, 0.7]);
    const f = gradientNormSquared((t, wi) => tf.sum(tf.mul(wi, tf.relu(t))) as tf.Scalar);
    const result = checkGradients(f, [input, w], { h: 1e-2, directions: 2, maxAttempts: 40 });
    expect(result.redrawn).toBeGreaterThan(0);
    tf.dispose([input, w]);
  });
});
