// adaptiveAugmentation on WebGPU (opt-in project: GAN_WEBGPU=1; Dawn from the npm package `webgpu`).
// WebGPU cannot read synchronously in Node, so this suite reads with `data()` and compares with the
// cpu reference computed in the same process; the shared suite (ada.test.ts) covers the rest.
import { expectClose, runOnBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { adaptiveAugmentation } from './ada';

/** The augmented images and the gradient of Σ r ⊙ apply(x) with respect to x, on the active backend. */
function forwardBackward(p: number): { tensors: tf.Tensor[]; dispose(): void } {
  const ada = adaptiveAugmentation({ initialP: p });
  const tensors = tf.tidy(() => {
    const x = tf.randomUniform([3, 8, 8, 3], -1, 1, 'float32', 1);
    const r = tf.randomNormal([3, 8, 8, 3], 0, 1, 'float32', 2);
    const f = (xi: tf.Tensor) => tf.sum(tf.mul(ada.apply(xi, 3), r));
    return [ada.apply(x, 3), tf.grad(f)(x)];
  });
  return { tensors, dispose: () => ada.dispose() };
}

describe('adaptiveAugmentation on WebGPU', () => {
  it('augments and differentiates as on cpu (every group, p = 0.7), and p = 0 is the identity', async () => {
    const run = forwardBackward(0.7);
    const [images, gradient] = await Promise.all(run.tensors.map((t) => t.data()));
    tf.dispose(run.tensors);
    run.dispose();
    const reference = await runOnBackend('cpu', () => {
      const ref = forwardBackward(0.7);
      const values = ref.tensors.map((t) => Array.from(t.dataSync()));
      tf.dispose(ref.tensors);
      ref.dispose();
      return values;
    });
    expectClose(Array.from(images), reference[0], { rtol: 1e-4, atol: 1e-5 });
    expectClose(Array.from(gradient), reference[1], { rtol: 1e-4, atol: 1e-5 });
    expect(Math.max(...Array.from(gradient, Math.abs))).toBeGreaterThan(0);

    const ada = adaptiveAugmentation();
    const x = tf.randomUniform([2, 8, 8, 3], -1, 1, 'float32', 4);
    const y = ada.apply(x, 5);
    expect(Array.from(await y.data())).toEqual(Array.from(await x.data()));
    tf.dispose([x, y]);
    ada.dispose();
  });

  it('steers p on the device and reads it back asynchronously', async () => {
    const ada = adaptiveAugmentation({ interval: 2, speed: 40 });
    const logits = tf.tensor2d([1, 2, 3, -1], [4, 1]);
    ada.observe(logits);
    ada.observe(logits);
    // r_t = 0.5 < 0.6 at p = 0: stays 0; then all positive: up by 8/40.
    expect((await ada.getState()).p).toBe(0);
    const positive = tf.ones([4, 1]);
    ada.observe(positive);
    ada.observe(positive);
    expect(await ada.getState()).toMatchObject({ p: Math.fround(0.2), updates: 2, steps: 0 });
    const { augmentP } = ada.metrics();
    expect((await augmentP.data())[0]).toBe(Math.fround(0.2));
    tf.dispose([logits, positive, augmentP]);
    ada.dispose();
  });
});
