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
import { MinibatchStdDev, minibatchStdDev, minibatchStdDevFeatures } from './minibatch-stddev';

describe(`minibatchStdDev [${testBackend()}]`, () => {
  it('matches ProGAN’s formula (PyTorch float64 fixture): groups n mod N/G', () => {
    const f = fixture.minibatchStdDev;
    const x = tf.tensor(f.x);
    const layer = minibatchStdDev({ groupSize: f.groupSize });
    const out = expectNoLeaks(() => layer.apply(x) as tf.Tensor);
    expect(out.shape).toEqual([6, 3, 2, 3]);
    expectClose(out, f.expected, { rtol: 1e-5 });
    tf.dispose([x, out]);
  });

  it('handles a batch smaller than the group (one group) and a batch of one', () => {
    const x = tf.randomNormal([1, 2, 2, 3], 0, 1, 'float32', 1);
    const out = minibatchStdDevFeatures(x, 4);
    // One sample: zero variance, so the feature is √ε.
    expectClose(tf.slice(out, [0, 0, 0, 3], [1, 2, 2, 1]), [1e-4, 1e-4, 1e-4, 1e-4], {
      rtol: 1e-3,
    });
    tf.dispose([x, out]);
    const x3 = tf.randomNormal([3, 2, 2, 1], 0, 1, 'float32', 2);
    expect(minibatchStdDevFeatures(x3, 4).shape).toEqual([3, 2, 2, 2]);
    tf.dispose(x3);
  });

  it('names an indivisible batch', () => {
    const x = tf.zeros([6, 2, 2, 1]);
    expect(() => minibatchStdDevFeatures(x, 4)).toThrow(
      /batch size 6 is not a multiple of groupSize 4/,
    );
    tf.dispose(x);
  });

  const input = () => tf.randomNormal([4, 2, 2, 2], 0, 1, 'float32', 21);
  const probe = () => tf.randomNormal([4, 2, 2, 3], 0, 1, 'float32', 22);

  it('has correct first- and second-order gradients', () => {
    const [x, r] = [input(), probe()];
    const f = (xi: tf.Tensor) => tf.sum(tf.mul(minibatchStdDevFeatures(xi, 2), r)) as tf.Scalar;
    checkGradients(f, [x]);
    // ‖∇ₓ f‖² with a mixing weight, so the second order reaches a weight as under a penalty.
    const w = tf.randomNormal([3, 3], 0, 1, 'float32', 23);
    const g = gradientNormSquared(
      (xi: tf.Tensor, wi: tf.Tensor) =>
        tf.sum(
          tf.mul(
            tf.square(tf.matMul(tf.reshape(minibatchStdDevFeatures(xi, 2), [-1, 3]), wi)),
            0.5,
          ),
        ) as tf.Scalar,
    );
    checkGradients(g, [x, w]);
    tf.dispose([x, r, w]);
  });

  it('infers shapes and survives save → load', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3, padding: 'same' }),
        minibatchStdDev({ groupSize: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 1 }),
      ],
    });
    expect(model.layers[1].outputShape).toEqual([null, 4, 4, 3]);
    const restored = await saveAndLoad(model);
    expect(restored.layers[1]).toBeInstanceOf(MinibatchStdDev);
    expect((restored.layers[1] as MinibatchStdDev).groupSize).toBe(2);
    const x = tf.randomNormal([4, 4, 4, 1], 0, 1, 'float32', 5);
    expectSamePredictions(model, restored, x);
    x.dispose();
    model.dispose();
    restored.dispose();
  });
});
