import {
  checkGradients,
  expectArgError,
  expectClose,
  expectNoLeaks,
  gradientNormSquared,
  saveAndLoad,
  testBackend,
} from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/conditional.json';
import { ClassProjection, classProjection } from './class-projection';

const f = fixture.projection;
const oneHot = (labels: number[], k: number) =>
  tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), k), 'float32');

/** D(φ, y) = ψ(φ) + yᵀVφ as a two-input model, the fixture's weights set. */
function projectionModel() {
  const phi = tfl.input({ shape: [6] });
  const y = tfl.input({ shape: [f.K] });
  const linear = tfl.layers.dense({ units: 1 }).apply(phi) as tfl.SymbolicTensor;
  const projection = classProjection();
  const term = projection.apply([phi, y]) as tfl.SymbolicTensor;
  const model = tfl.model({
    inputs: [phi, y],
    outputs: tfl.layers.add().apply([linear, term]) as tfl.SymbolicTensor,
  });
  (linear.sourceLayer as tfl.layers.Layer).setWeights([tf.tensor(f.w), tf.tensor(f.b)]);
  projection.setWeights([tf.tensor(f.V)]);
  return { model, projection };
}

describe(`classProjection [${testBackend()}]`, () => {
  it('matches PyTorch: ψ(φ) + yᵀVφ, and its gradients in φ, V, w and b', () => {
    const { model, projection } = projectionModel();
    const phi = tf.tensor(f.phi);
    const y = oneHot(f.labels, f.K);
    const u = tf.tensor(f.u);
    expectClose(projection.apply([phi, y]) as tf.Tensor, f.projectionTerm, { rtol: 1e-5 });
    const out = expectNoLeaks(() => model.apply([phi, y]) as tf.Tensor);
    expectClose(out, f.out, { rtol: 1e-5 });
    const vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.mul(model.apply([phi, y]) as tf.Tensor, u)) as tf.Scalar,
      vars,
    );
    expectClose(value, f.loss, { rtol: 1e-5 });
    const expected = [f.dw, f.db, f.dV];
    vars.forEach((v, i) => {
      expectClose(grads[v.name], expected[i], { rtol: 1e-4, atol: 1e-6, label: v.name });
    });
    const dphi = tf.grad((p: tf.Tensor) => tf.sum(tf.mul(model.apply([p, y]) as tf.Tensor, u)))(
      phi,
    );
    expectClose(dphi, f.dphi, { rtol: 1e-4, atol: 1e-6, label: '∂/∂φ' });
  });

  it('second-order gradients through a conditional critic (a gradient penalty’s), labels held fixed', () => {
    const { model } = projectionModel();
    const y = oneHot([2, 0, 1], f.K);
    const phi = tf.randomNormal([3, 6], 0, 1, 'float32', 9);
    const critic = (p: tf.Tensor) => tf.sum(tf.tanh(model.apply([p, y]) as tf.Tensor)) as tf.Scalar;
    checkGradients(critic, [phi]);
    checkGradients(gradientNormSquared(critic), [phi]);
  });

  it('survives save → load; misuse names the argument', async () => {
    const { model } = projectionModel();
    const restored = await saveAndLoad(model);
    expect(restored.layers.some((l) => l instanceof ClassProjection)).toBe(true);
    const phi = tf.tensor(f.phi);
    const y = oneHot(f.labels, f.K);
    expectClose(restored.predict([phi, y]) as tf.Tensor, f.out, { rtol: 1e-5 });
    const image = tfl.input({ shape: [2, 2, 3] });
    const labels = tfl.input({ shape: [3] });
    expectArgError(
      () => classProjection().apply([image, labels]),
      'classProjection',
      'inputShape',
      /flatten first/,
    );
    expectArgError(() => classProjection().apply(labels), 'classProjection', 'inputShape');
  });
});
