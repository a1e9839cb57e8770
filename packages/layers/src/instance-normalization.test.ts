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
  InstanceNormalization,
  instanceNormalization,
  instanceNormalize,
} from './instance-normalization';

describe(`instanceNormalization [${testBackend()}]`, () => {
  const f = fixture.instanceNormalization;

  it('matches PyTorch’s instance_norm, with and without γ/β', () => {
    const x = tf.tensor(f.x);
    const layer = instanceNormalization({ epsilon: f.epsilon });
    layer.build(x.shape);
    layer.setWeights([tf.tensor(f.gamma), tf.tensor(f.beta)]);
    const out = expectNoLeaks(() => layer.apply(x) as tf.Tensor);
    expectClose(out, f.expected, { rtol: 1e-5 });
    const plain = instanceNormalization({ affine: false, epsilon: f.epsilon });
    const outPlain = plain.apply(x) as tf.Tensor;
    expect(plain.weights).toHaveLength(0);
    expectClose(outPlain, f.expectedPlain, { rtol: 1e-5 });
    tf.dispose([x, out, outPlain]);
    for (const w of layer.weights) w.dispose();
  });

  it('has correct first- and second-order gradients in x, γ and β', () => {
    const x = tf.randomNormal([2, 3, 3, 2], 0.5, 2, 'float32', 31);
    const gamma = tf.tensor1d([1.3, 0.7]);
    const beta = tf.tensor1d([0.2, -0.4]);
    const r = tf.randomNormal([2, 3, 3, 2], 0, 1, 'float32', 32);
    const fn = (xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.square(instanceNormalize(xi, 1e-5, g, b)), r)) as tf.Scalar;
    checkGradients(fn, [x, gamma, beta]);
    checkGradients(gradientNormSquared(fn), [x, gamma, beta]);
    tf.dispose([x, gamma, beta, r]);
  });

  it('survives save → load with identical outputs', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3 }),
        instanceNormalization({ epsilon: 1e-3 }),
      ],
    });
    model.layers[1].setWeights([tf.tensor1d([2, 3]), tf.tensor1d([0.5, -1])]);
    const restored = await saveAndLoad(model);
    expect(restored.layers[1]).toBeInstanceOf(InstanceNormalization);
    expect((restored.layers[1] as InstanceNormalization).epsilon).toBe(1e-3);
    const x = tf.randomNormal([2, 4, 4, 1], 0, 1, 'float32', 6);
    expectSamePredictions(model, restored, x);
    x.dispose();
    model.dispose();
    restored.dispose();
  });

  it('rejects inputs without spatial axes and a bad epsilon', () => {
    expect(() => instanceNormalization({ epsilon: -1 })).toThrow(
      /epsilon must be a finite number > 0/,
    );
    expect(() => tfl.sequential({ layers: [instanceNormalization({ inputShape: [3] })] })).toThrow(
      /expects \[N, …spatial, C\]/,
    );
  });
});
