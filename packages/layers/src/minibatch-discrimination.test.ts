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
import {
  MinibatchDiscrimination,
  minibatchDiscrimination,
  minibatchFeatures,
} from './minibatch-discrimination';

describe(`minibatchDiscrimination [${testBackend()}]`, () => {
  it('matches Salimans et al.’s formula (PyTorch float64 fixture), flattening images', () => {
    for (const f of [fixture.minibatchDiscrimination, fixture.minibatchDiscriminationImages]) {
      const layer = minibatchDiscrimination({ numKernels: f.numKernels, kernelDim: f.kernelDim });
      const x = tf.tensor(f.x);
      layer.build(x.shape);
      layer.setWeights([tf.tensor(f.T)]);
      const out = expectNoLeaks(() => layer.apply(x) as tf.Tensor);
      expect(out.shape).toEqual([x.shape[0], x.size / x.shape[0] + f.numKernels]);
      expectClose(out, f.expected, { rtol: 2e-5 });
      tf.dispose([x, out]);
      for (const w of layer.weights) w.dispose(); // built, never applied symbolically
    }
  });

  it('gives exactly zero features, and finite gradients, for a batch of one', () => {
    const x = tf.randomNormal([1, 4], 0, 1, 'float32', 1);
    const kernel = tf.randomNormal([4, 6], 0, 1, 'float32', 2) as tf.Tensor2D;
    const out = minibatchFeatures(x, kernel, 3, 2);
    expect(Array.from(out.dataSync().slice(4))).toEqual([0, 0, 0]);
    const g = tf.grads((xi: tf.Tensor, k: tf.Tensor) =>
      tf.sum(minibatchFeatures(xi, k as tf.Tensor2D, 3, 2)),
    )([x, kernel]);
    for (const t of g) expect(Array.from(t.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([x, kernel, out, ...g]);
  });

  it('excludes the self-pair: identical samples score exactly N − 1 per kernel', () => {
    const x = tf.tile(tf.tensor2d([[0.3, -1, 2]]), [4, 1]);
    const kernel = tf.randomNormal([3, 4], 0, 1, 'float32', 3) as tf.Tensor2D;
    const out = minibatchFeatures(x, kernel, 2, 2);
    expectClose(tf.slice(out, [0, 3], [4, 2]), new Array(8).fill(3), { rtol: 0 });
    tf.dispose([x, kernel, out]);
  });

  const x = () => tf.randomNormal([4, 5], 0, 1, 'float32', 11);
  const kernel = () => tf.randomNormal([5, 6], 0, 0.5, 'float32', 12);
  const probe = () => tf.randomNormal([4, 8], 0, 1, 'float32', 13);

  it('has correct first-order gradients in x and T', () => {
    const [xs, k, r] = [x(), kernel(), probe()];
    const f = (xi: tf.Tensor, ki: tf.Tensor) =>
      tf.sum(tf.mul(minibatchFeatures(xi, ki as tf.Tensor2D, 3, 2), r)) as tf.Scalar;
    checkGradients(f, [xs, k]);
    tf.dispose([xs, k, r]);
  });

  it('has correct second-order gradients (∂/∂(x, T) of ‖∇ₓ‖², as a gradient penalty takes)', () => {
    const [xs, k, r] = [x(), kernel(), probe()];
    const f = gradientNormSquared(
      (xi: tf.Tensor, ki: tf.Tensor) =>
        tf.sum(tf.mul(minibatchFeatures(xi, ki as tf.Tensor2D, 3, 2), r)) as tf.Scalar,
    );
    checkGradients(f, [xs, k]);
    tf.dispose([xs, k, r]);
  });

  it('infers shapes in a model and survives save → load with identical outputs', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [4, 4, 2], filters: 3, kernelSize: 3, strides: 2 }),
        minibatchDiscrimination({ numKernels: 5, kernelDim: 3 }),
        tfl.layers.dense({ units: 1 }),
      ],
    });
    expect(model.layers[1].outputShape).toEqual([null, 1 * 1 * 3 + 5]);
    const restored = await saveAndLoad(model);
    expect(restored.layers[1]).toBeInstanceOf(MinibatchDiscrimination);
    const input = tf.randomNormal([3, 4, 4, 2], 0, 1, 'float32', 4);
    expectSamePredictions(model, restored, input);
    input.dispose();
    model.dispose();
    restored.dispose();
  });

  it('rejects bad arguments with the argument named', () => {
    expect(() => minibatchDiscrimination({ numKernels: 0, kernelDim: 5 })).toThrow(
      /numKernels must be a positive integer, got 0/,
    );
    expect(() => minibatchDiscrimination({ numKernels: 2, kernelDim: 1.5 })).toThrow(
      /kernelDim must be a positive integer/,
    );
  });
});
