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
  SpectralNormalization,
  spectralNormalization,
  spectralNormalize,
} from './spectral-normalization';

const dispose = (layer: { weights: { dispose(): void }[] }) => {
  for (const w of layer.weights) w.dispose();
};

describe(`spectralNormalization [${testBackend()}]`, () => {
  const dense = fixture.spectralDense;

  for (const iterations of [1, 3] as const) {
    it(`equals PyTorch's spectral_norm on Dense in training (${iterations} power iteration${iterations > 1 ? 's' : ''})`, () => {
      const expected = dense.iterations[iterations];
      const layer = spectralNormalization(tfl.layers.dense({ units: 3 }), {
        powerIterations: iterations,
      });
      const x = tf.tensor2d(dense.x);
      layer.build(x.shape);
      layer.setWeights([tf.tensor(dense.kernel), tf.tensor(dense.bias), tf.tensor(dense.u)]);
      const out = expectNoLeaks(() => layer.apply(x, { training: true }) as tf.Tensor);
      expectClose(out, expected.expected, { rtol: 1e-5 });
      expectClose(layer.getWeights()[2], expected.u, { rtol: 1e-5, label: 'u after the step' });
      tf.dispose([x, out]);
      dispose(layer);
    });
  }

  it("equals PyTorch's spectral_norm on a 3×3 Conv2D", () => {
    const f = fixture.spectralConv;
    const layer = spectralNormalization(
      tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }),
    );
    const x = tf.tensor(f.x);
    layer.build(x.shape);
    layer.setWeights([tf.tensor(f.kernel), tf.tensor(f.bias), tf.tensor(f.u)]);
    const out = layer.apply(x, { training: true }) as tf.Tensor;
    expectClose(out, f.expected, { rtol: 1e-5 });
    expectClose(layer.getWeights()[2], f.uAfter, { rtol: 1e-5 });
    tf.dispose([x, out]);
    dispose(layer);
  });

  it('leaves u alone outside training and divides by ‖W u‖ then', () => {
    const layer = spectralNormalization(tfl.layers.dense({ units: 3, useBias: false }));
    const x = tf.tensor2d(dense.x);
    layer.build(x.shape);
    const kernel = tf.tensor2d(dense.kernel);
    const u = tf.tensor1d(dense.u);
    layer.setWeights([kernel, u]);
    const out = layer.apply(x) as tf.Tensor;
    expect(Array.from(layer.getWeights()[1].dataSync())).toEqual(Array.from(u.dataSync()));
    const sigma = tf.norm(tf.matMul(kernel, tf.reshape(u, [3, 1])));
    expectClose(out, tf.matMul(x, tf.div(kernel, sigma)), { rtol: 1e-5 });
    tf.dispose([x, kernel, u, out, sigma]);
    dispose(layer);
  });

  it('converges to the largest singular value', () => {
    const kernel = tf.tensor2d(dense.kernel);
    const u = tf.tensor1d(dense.u);
    const { sigma, kernel: normalised, u: uNext } = spectralNormalize(kernel, u, 50);
    expect(sigma.dataSync()[0]).toBeCloseTo(dense.sigmaExact, 4);
    tf.dispose([kernel, u, sigma, normalised, uNext]);
  });

  // At convergence the gradient with u, v held constant is the exact gradient of W/σ(W)
  // (σ = uᵀWv is stationary in u and v), so finite differences through the whole power
  // iteration must agree with it.
  const converged = (k: tf.Tensor, u: tf.Tensor1D) => spectralNormalize(k, u, 60).kernel;

  it('has the exact first- and second-order gradients at convergence', () => {
    const x = tf.randomNormal([4, 5], 0, 1, 'float32', 51);
    const k = tf.tensor2d(dense.kernel);
    const u = tf.tensor1d(dense.u);
    const r = tf.randomNormal([4, 3], 0, 1, 'float32', 52);
    const critic = (xi: tf.Tensor, ki: tf.Tensor) =>
      tf.sum(tf.mul(tf.tanh(tf.matMul(xi, converged(ki, u))), r)) as tf.Scalar;
    checkGradients(critic, [x, k]);
    checkGradients(gradientNormSquared(critic), [x, k]);
    tf.dispose([x, k, u, r]);
  });

  it('sends the gradient to the wrapped kernel through the normalisation', () => {
    const layer = spectralNormalization(tfl.layers.dense({ units: 3 }));
    const x = tf.tensor2d(dense.x);
    layer.build(x.shape);
    layer.setWeights([tf.tensor(dense.kernel), tf.tensor(dense.bias), tf.tensor(dense.u)]);
    const [kernelVar] = layer.trainableWeights.map(
      (w) => (w as unknown as { val: tf.Variable }).val,
    );
    const { grads, value } = tf.variableGrads(
      () => tf.sum(tf.square(layer.apply(x, { training: false }) as tf.Tensor)) as tf.Scalar,
      [kernelVar],
    );
    const u = tf.tensor1d(dense.u);
    const expected = tf.grad((k: tf.Tensor) =>
      tf.sum(tf.square(tf.add(tf.matMul(x, spectralNormalize(k, u, 0).kernel), dense.bias))),
    )(tf.tensor2d(dense.kernel));
    expectClose(grads[kernelVar.name], expected, { rtol: 1e-5 });
    tf.dispose([x, u, value, expected, ...Object.values(grads)]);
    dispose(layer);
  });

  it('saves u with the model and restores identical outputs and state', async () => {
    const model = tfl.sequential({
      layers: [
        spectralNormalization(tfl.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2 }), {
          inputShape: [5, 5, 1],
          powerIterations: 2,
        }),
        tfl.layers.flatten(),
        spectralNormalization(tfl.layers.dense({ units: 1 })),
      ],
    });
    expect(model.outputs[0].shape).toEqual([null, 1]);
    const x = tf.randomNormal([2, 5, 5, 1], 0, 1, 'float32', 8);
    tf.dispose(model.apply(x, { training: true }) as tf.Tensor); // advance u once
    const restored = await saveAndLoad(model);
    const layer = restored.layers[0] as SpectralNormalization;
    expect(layer).toBeInstanceOf(SpectralNormalization);
    expect(layer.powerIterations).toBe(2);
    expect(layer.layer.getClassName()).toBe('Conv2D');
    const [before, after] = [model.getWeights(), restored.getWeights()];
    expect(after.map((w) => w.shape)).toEqual(before.map((w) => w.shape));
    after.forEach((w, i) => {
      expect(Array.from(w.dataSync())).toEqual(Array.from(before[i].dataSync()));
    });
    expectSamePredictions(model, restored, x);
    x.dispose();
    model.dispose();
    restored.dispose();
  });

  it('refuses layers without a kernel and bad options', () => {
    expect(() =>
      spectralNormalization(tfl.layers.dense({ units: 2 }), { powerIterations: -1 }),
    ).toThrow(/powerIterations must be an integer ≥ 0/);
    expect(() =>
      tfl.sequential({
        layers: [spectralNormalization(tfl.layers.flatten(), { inputShape: [2, 2] })],
      }),
    ).toThrow(/Flatten has no kernel/);
    expect(() => spectralNormalization({} as never)).toThrow(/must be a tfjs-layers Layer/);
  });
});
