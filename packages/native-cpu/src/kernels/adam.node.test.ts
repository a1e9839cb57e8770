import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect, it } from 'vitest';
import { loadAddon } from '../loader';
import { registerNativeKernels, unregisterNativeKernels } from '../register';
import { nativeSuite, randomness } from '../testing';
import { installFusedAdam, uninstallFusedAdam } from './adam';

nativeSuite("fused Adam: tfjs's AdamOptimizer, one pass per variable", () => {
  afterAll(() => unregisterNativeKernels());

  /** 25 Adam steps of a small least-squares problem: the weights, moments and accumulated powers. */
  function train(beta1: number, beta2: number): number[][] {
    const { random } = randomness(55);
    const x = random([12, 5]);
    const y = random([12, 3]);
    const w = tf.variable(random([5, 3]));
    const b = tf.variable(tf.zeros([3]));
    const unused = tf.variable(tf.ones([2])); // no gradient: skipped as tfjs skips it
    const adam = tf.train.adam(0.01, beta1, beta2, 1e-7);
    for (let i = 0; i < 25; i++)
      adam.minimize(
        () =>
          tf.add(
            tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), y))),
            tf.mul(tf.sum(unused), 0),
          ) as tf.Scalar,
        false,
        i % 2 ? [w, b] : [w, b, unused],
      );
    const internals = adam as unknown as {
      accBeta1: tf.Tensor;
      accBeta2: tf.Tensor;
      accumulatedFirstMoment: { variable: tf.Tensor }[];
      accumulatedSecondMoment: { variable: tf.Tensor }[];
    };
    const out = [
      w,
      b,
      unused,
      internals.accBeta1,
      internals.accBeta2,
      ...internals.accumulatedFirstMoment.map((s) => s.variable),
      ...internals.accumulatedSecondMoment.map((s) => s.variable),
    ].map((t) => Array.from(t.dataSync()));
    out.push([adam.iterations]);
    tf.dispose([x, y, w, b, unused]);
    adam.dispose();
    return out;
  }

  it("gives the same bits as tfjs's AdamOptimizer, slots and accumulated powers included", () => {
    const loaded = loadAddon();
    if ('reason' in loaded) throw new Error(loaded.reason);
    registerNativeKernels();
    for (const [b1, b2] of [
      [0.9, 0.999],
      [0.5, 0.9],
      [0, 0.99],
    ]) {
      // The same kernels for the loss and its gradient; only the optimizer's update differs.
      uninstallFusedAdam();
      const tfjs = train(b1, b2);
      installFusedAdam(loaded.addon);
      expect(train(b1, b2)).toEqual(tfjs);
    }
  });

  it('is undone by unregisterNativeKernels, and registering twice patches once', () => {
    unregisterNativeKernels();
    const tfjs = tf.AdamOptimizer.prototype.applyGradients;
    registerNativeKernels();
    const patched = tf.AdamOptimizer.prototype.applyGradients;
    expect(patched).not.toBe(tfjs);
    registerNativeKernels();
    expect(tf.AdamOptimizer.prototype.applyGradients).toBe(patched);
    unregisterNativeKernels();
    expect(tf.AdamOptimizer.prototype.applyGradients).toBe(tfjs);
  });
});
