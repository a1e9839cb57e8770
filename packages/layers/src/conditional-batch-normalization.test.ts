import {
  checkGradients,
  expectArgError,
  expectClose,
  expectNoLeaks,
  saveAndLoad,
  testBackend,
} from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/conditional.json';
import {
  ConditionalBatchNormalization,
  conditionalBatchNormalization,
} from './conditional-batch-normalization';

const f = fixture.conditionalBatchNorm;
const oneHot = (labels: number[], k: number) =>
  tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), k), 'float32');

/** The fixture's layer as a two-input model, γ and β set. */
function fixtureModel() {
  const x = tfl.input({ shape: [3, 3, 5] });
  const y = tfl.input({ shape: [3] });
  const layer = conditionalBatchNormalization({ epsilon: f.epsilon, momentum: f.momentum });
  const model = tfl.model({ inputs: [x, y], outputs: layer.apply([x, y]) as tfl.SymbolicTensor });
  layer.setWeights([tf.tensor(f.gamma), tf.tensor(f.beta), tf.zeros([5]), tf.ones([5])]);
  return { model, layer };
}

describe(`conditionalBatchNormalization [${testBackend()}]`, () => {
  it('matches PyTorch: batch statistics and γ[y], β[y] in training, moving statistics after', () => {
    const { model, layer } = fixtureModel();
    const x = tf.tensor(f.x);
    const y = oneHot(f.labels, 3);
    const out = expectNoLeaks(() => model.apply([x, y], { training: true }) as tf.Tensor);
    expectClose(out, f.out, { rtol: 1e-4, atol: 1e-5, label: 'training output' });
    const [, , movingMean, movingVariance] = layer.getWeights();
    expectClose(movingMean, f.movingMean, { rtol: 1e-4, atol: 1e-6, label: 'moving mean' });
    expectClose(movingVariance, f.movingVariance, { rtol: 1e-5, label: 'moving variance' });
    const inference = model.predict([x, y]) as tf.Tensor;
    expectClose(inference, f.outInference, { rtol: 1e-4, atol: 1e-5, label: 'inference output' });
    expect(layer.trainableWeights.map((w) => w.shape)).toEqual([
      [3, 5],
      [3, 5],
    ]);
    tf.dispose([x, y, out, inference]);
  });

  it('gradients in x, γ and β match PyTorch and finite differences', () => {
    const { model, layer } = fixtureModel();
    const x = tf.tensor(f.x);
    const y = oneHot(f.labels, 3);
    const w = tf.tensor(f.w);
    const [gamma, beta] = layer.trainableWeights.map(
      (v) => (v as unknown as { val: tf.Variable }).val,
    );
    const { value, grads } = expectNoLeaks(() =>
      tf.variableGrads(
        () => tf.sum(tf.mul(model.apply([x, y], { training: true }) as tf.Tensor, w)) as tf.Scalar,
        [gamma, beta],
      ),
    );
    expectClose(value, f.loss, { rtol: 1e-4 });
    expectClose(grads[gamma.name], f.dgamma, { rtol: 1e-4, atol: 1e-4, label: '∂/∂γ' });
    expectClose(grads[beta.name], f.dbeta, { rtol: 1e-4, atol: 1e-4, label: '∂/∂β' });
    const dx = tf.grad((xi: tf.Tensor) =>
      tf.sum(tf.mul(model.apply([xi, y], { training: true }) as tf.Tensor, w)),
    )(x);
    expectClose(dx, f.dx, { rtol: 1e-3, atol: 1e-4, label: '∂/∂x' });
    // Finite differences, in a smaller batch (training mode: batch statistics are differentiated).
    const small = tf.randomNormal([3, 2, 2, 5], 0, 1, 'float32', 5);
    const r = tf.randomNormal([3, 2, 2, 5], 0, 1, 'float32', 6);
    const ys = oneHot([2, 0, 2], 3);
    checkGradients(
      (xi: tf.Tensor) =>
        tf.sum(
          tf.mul(tf.square(model.apply([xi, ys], { training: true }) as tf.Tensor), r),
        ) as tf.Scalar,
      [small],
    );
    tf.dispose([x, y, w, value, dx, small, r, ys, ...Object.values(grads)]);
  });

  it('one-hot rows pick their class; survives save → load', async () => {
    const x = tfl.input({ shape: [2, 2, 2] });
    const y = tfl.input({ shape: [2] });
    const model = tfl.model({
      inputs: [x, y],
      outputs: conditionalBatchNormalization({ momentum: 0.5 }).apply([x, y]) as tfl.SymbolicTensor,
    });
    model.layers[2].setWeights([
      tf.tensor2d([
        [1, 1],
        [3, -2],
      ]),
      tf.tensor2d([
        [0, 0],
        [10, 20],
      ]),
      tf.tensor1d([1, -1]),
      tf.tensor1d([4, 9]),
    ]);
    const xs = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    const out = model.predict([xs, oneHot([1], 2)]) as tf.Tensor;
    // Inference: (x − m)/√(v + ε) · γ[1] + β[1].
    const expected = [1, 2, 3, 4, 5, 6, 7, 8].map((v, i) =>
      i % 2 === 0 ? ((v - 1) / Math.sqrt(4.001)) * 3 + 10 : ((v + 1) / Math.sqrt(9.001)) * -2 + 20,
    );
    expectClose(out, expected, { rtol: 1e-5 });
    const restored = await saveAndLoad(model);
    expect(restored.layers[2]).toBeInstanceOf(ConditionalBatchNormalization);
    expect((restored.layers[2] as ConditionalBatchNormalization).momentum).toBe(0.5);
    expectClose(restored.predict([xs, oneHot([1], 2)]) as tf.Tensor, expected, { rtol: 1e-5 });
  });

  it('misuse names the argument', () => {
    expectArgError(
      () => conditionalBatchNormalization({ momentum: 2 }),
      'conditionalBatchNormalization',
      'momentum',
    );
    expectArgError(
      () => conditionalBatchNormalization({ epsilon: 0 }),
      'conditionalBatchNormalization',
      'epsilon',
    );
    const x = tfl.input({ shape: [2, 2, 2] });
    expectArgError(
      () => conditionalBatchNormalization().apply(x),
      'conditionalBatchNormalization',
      'inputShape',
      /two inputs, \[x, labels\]/,
    );
  });
});
