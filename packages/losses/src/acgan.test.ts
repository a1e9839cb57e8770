import { expectArgError, expectClose, expectNoLeaks, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/acgan.json';
import { acganDiscriminatorLoss, acganGeneratorLoss } from './acgan';

const K = fixture.K;

describe(`ACGAN auxiliary losses match PyTorch (float64) [${testBackend()}]`, () => {
  for (const c of fixture.cases) {
    it(`labelSmoothing ${c.labelSmoothing}: values and gradients, labels as indices or one-hot`, () => {
      for (const form of ['indices', 'one-hot'] as const) {
        const { d, g, dGrads, gGrad } = expectNoLeaks(() =>
          tf.tidy(() => {
            const real = tf.tensor2d(fixture.realLogits);
            const fake = tf.tensor2d(fixture.fakeLogits);
            const indices = tf.tensor1d(fixture.labels, 'int32');
            const labels = form === 'indices' ? indices : tf.cast(tf.oneHot(indices, K), 'float32');
            const opts = { labelSmoothing: c.labelSmoothing };
            return {
              d: acganDiscriminatorLoss(real, fake, labels, opts),
              g: acganGeneratorLoss(fake, labels, opts),
              dGrads: tf.grads((r: tf.Tensor, f: tf.Tensor) =>
                acganDiscriminatorLoss(r, f, labels, opts),
              )([real, fake]),
              gGrad: tf.grad((f: tf.Tensor) => acganGeneratorLoss(f, labels, opts))(fake),
            };
          }),
        );
        expectClose(d, c.discriminatorLoss, { rtol: 1e-5, label: `${form} D` });
        expectClose(g, c.generatorLoss, { rtol: 1e-5, label: `${form} G` });
        expectClose(dGrads[0], c.dRealLogits, { rtol: 1e-4, atol: 1e-6, label: 'D ∂/∂real' });
        expectClose(dGrads[1], c.dFakeLogits, { rtol: 1e-4, atol: 1e-6, label: 'D ∂/∂fake' });
        expectClose(gGrad, c.gFakeLogits, { rtol: 1e-4, atol: 1e-6, label: 'G ∂/∂fake' });
        tf.dispose([d, g, ...dGrads, gGrad]);
      }
    });
  }

  it('per-sample weights and reductions', () => {
    tf.tidy(() => {
      const real = tf.tensor2d(fixture.realLogits);
      const fake = tf.tensor2d(fixture.fakeLogits);
      const labels = tf.tensor1d(fixture.labels, 'int32');
      const sampleWeights = tf.tensor1d(fixture.weighted.sampleWeights);
      const { weighted } = fixture;
      expectClose(
        acganDiscriminatorLoss(real, fake, labels, { sampleWeights }),
        weighted.discriminatorLoss,
        { rtol: 1e-5 },
      );
      expectClose(acganGeneratorLoss(fake, labels, { sampleWeights }), weighted.generatorLoss, {
        rtol: 1e-5,
      });
      const n = fixture.labels.length;
      expectClose(
        acganGeneratorLoss(fake, labels, { sampleWeights, reduction: 'sum' }),
        weighted.generatorLoss * n,
        { rtol: 1e-5 },
      );
      const perSample = acganDiscriminatorLoss(real, fake, labels, { reduction: 'none' });
      expect(perSample.shape).toEqual([2 * n]);
      expectClose(tf.mul(tf.mean(perSample), 2), fixture.cases[0].discriminatorLoss, {
        rtol: 1e-5,
      });
    });
  });

  it('misuse names the argument', () => {
    tf.tidy(() => {
      const logits = tf.zeros([3, 4]);
      const labels = tf.tensor1d([0, 1, 2], 'int32');
      expectArgError(
        () => acganGeneratorLoss(tf.zeros([3]), labels),
        'acganGeneratorLoss',
        'fakeClassLogits',
        /rank 2/,
      );
      expectArgError(
        () => acganGeneratorLoss(logits, tf.tensor1d([0, 1], 'int32')),
        'acganGeneratorLoss',
        'labels',
        /shape \[3\]/,
      );
      expectArgError(
        () => acganGeneratorLoss(logits, tf.tensor1d([0, 1, 2])),
        'acganGeneratorLoss',
        'labels',
        /rank 2/,
      );
      expectArgError(
        () => acganGeneratorLoss(logits, labels, { labelSmoothing: 2 }),
        'acganGeneratorLoss',
        'labelSmoothing',
      );
      expectArgError(
        () => acganDiscriminatorLoss(logits, tf.zeros([3, 5]), labels),
        'acganDiscriminatorLoss',
        'fakeClassLogits',
        /one shape/,
      );
    });
  });
});
