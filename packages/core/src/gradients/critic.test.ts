import {
  checkGradients,
  expectClose,
  expectNoLeaks,
  runOnBackend,
  testBackend,
} from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { criticLoss, parameters, signPatterns, weightGradients } from './critic.cases';

describe(`WGAN-GP critic step with leakyRelu [${testBackend()}]`, () => {
  // Finite differences across a leakyRelu kink mean nothing, and a critic has kinks everywhere
  // at float32-usable steps. So: the loss with the sign patterns frozen at θ is a polynomial in
  // the weights (finite differences are exact), its gradient at θ is the true gradient, and the
  // real leakyRelu critic's double-backprop gradient must equal it.
  it('weight gradients match finite differences of the loss (sign patterns frozen at θ)', () => {
    const { real, fake, alpha, weights } = parameters(1);
    const masks = tf.tidy(() => signPatterns(real, fake, alpha, weights));
    const frozen = (...w: tf.Tensor[]) => criticLoss(real, fake, alpha, w, masks);
    const result = expectNoLeaks(() =>
      checkGradients(frozen, weights, { directions: 4, rtol: 3e-3 }),
    );
    expect(Math.max(...result.numeric.map(Math.abs))).toBeGreaterThan(1e-2);
    const [actual, smooth] = tf.tidy(() => [
      tf
        .grads((...w: tf.Tensor[]) => criticLoss(real, fake, alpha, w))(weights)
        .map((g) => g.dataSync().slice()),
      tf
        .grads(frozen)(weights)
        .map((g) => g.dataSync().slice()),
    ]);
    actual.forEach((g, i) => {
      expectClose(g, smooth[i], { rtol: 1e-5, label: `weight ${i}` });
    });
    tf.dispose([real, fake, alpha, ...weights, ...masks.flat()]);
  });

  it('gives the same weight gradients as cpu (1e-4 relative)', async () => {
    const reference = await runOnBackend('cpu', () => weightGradients(2));
    const result = expectNoLeaks(() => weightGradients(2));
    result.forEach((g, i) => {
      expectClose(g, reference[i], { rtol: 1e-4, label: `weight ${i}` });
    });
  });
});
