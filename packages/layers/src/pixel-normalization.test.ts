import {
  checkGradients,
  expectClose,
  expectNoLeaks,
  expectSamePredictions,
  gradientNormSquared,
  saveAndLoad,
  testBackend,
} from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/layers.json';
import { PixelNormalization, pixelNormalization, pixelNormalize } from './pixel-normalization';

describe(`pixelNormalization [${testBackend()}]`, () => {
  it('matches ProGAN’s formula (PyTorch float64 fixture)', () => {
    const x = tf.tensor(fixture.pixelNormalization.x);
    const out = expectNoLeaks(() => pixelNormalization().apply(x) as tf.Tensor);
    expectClose(out, fixture.pixelNormalization.expected, { rtol: 1e-5 });
    tf.dispose([x, out]);
  });

  it('has correct first- and second-order gradients', () => {
    const x = tf.randomNormal([2, 2, 2, 3], 0, 1, 'float32', 41);
    const r = tf.randomNormal([2, 2, 2, 3], 0, 1, 'float32', 42);
    const fn = (xi: tf.Tensor) => tf.sum(tf.mul(pixelNormalize(xi), r)) as tf.Scalar;
    checkGradients(fn, [x]);
    checkGradients(gradientNormSquared(fn), [x]);
    tf.dispose([x, r]);
  });

  it('survives save → load', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [3], units: 4 }),
        pixelNormalization({ epsilon: 1e-6 }),
      ],
    });
    const restored = await saveAndLoad(model);
    expect(restored.layers[1]).toBeInstanceOf(PixelNormalization);
    expect((restored.layers[1] as PixelNormalization).epsilon).toBe(1e-6);
    const x = tf.randomNormal([2, 3], 0, 1, 'float32', 7);
    expectSamePredictions(model, restored, x);
    x.dispose();
    model.dispose();
    restored.dispose();
  });
});
