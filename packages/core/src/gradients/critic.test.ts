import {
  checkGradients,
  expectClose,
  expectNoLeaks,
  rawCritic,
  runOnBackend,
  testBackend,
} from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { SeedStream } from '../seed';

/**
 * A WGAN-GP critic step built from raw ops, the way a layers critic runs them (fused conv/dense):
 * conv(4×4, s2) + bias → leakyRelu(0.2) → conv(3×3, s2) + bias → leakyRelu → dense → score,
 * loss = mean D(fake) − mean D(real) + 10 · mean (‖∇D(x̂)‖ − 1)².
 */
const SHAPES = {
  images: [2, 6, 6, 2],
  w1: [3, 3, 2, 3],
  b1: [3],
  w2: [3, 3, 3, 2],
  b2: [2],
  wd: [8, 1],
  bd: [1],
};

function parameters(seed: number) {
  const stream = new SeedStream(seed);
  const normal = (shape: number[], std: number) =>
    tf.randomNormal(shape, 0, std, 'float32', stream.nextSeed());
  return {
    real: normal(SHAPES.images, 1),
    fake: normal(SHAPES.images, 1),
    alpha: tf.randomUniform([2, 1, 1, 1], 0, 1, 'float32', stream.nextSeed()),
    weights: [
      normal(SHAPES.w1, 0.5),
      normal(SHAPES.b1, 0.1),
      normal(SHAPES.w2, 0.5),
      normal(SHAPES.b2, 0.1),
      normal(SHAPES.wd, 0.5),
      normal(SHAPES.bd, 0.1),
    ],
  };
}

const critic = rawCritic([
  { stride: 2, pad: 'same' },
  { stride: 2, pad: 'same' },
]);

const interpolate = (real: tf.Tensor, fake: tf.Tensor, alpha: tf.Tensor) =>
  tf.add(tf.mul(alpha, real), tf.mul(tf.sub(1, alpha), fake));

/** `masks` (for real, fake, x̂) freeze every leakyRelu's sign pattern: the loss is then smooth in the weights. */
function criticLoss(
  real: tf.Tensor,
  fake: tf.Tensor,
  alpha: tf.Tensor,
  weights: tf.Tensor[],
  masks?: tf.Tensor[][],
): tf.Scalar {
  const gradient = tf.grad((x: tf.Tensor) => tf.sum(critic.apply(x, weights, masks?.[2])))(
    interpolate(real, fake, alpha),
  );
  const norm = tf.sqrt(tf.add(tf.sum(tf.square(gradient), [1, 2, 3]), 1e-12));
  const penalty = tf.mean(tf.square(tf.sub(norm, 1)));
  const wasserstein = tf.sub(
    tf.mean(critic.apply(fake, weights, masks?.[1])),
    tf.mean(critic.apply(real, weights, masks?.[0])),
  );
  return tf.add(wasserstein, tf.mul(10, penalty)) as tf.Scalar;
}

/** The sign patterns of the critic's leakyRelus at these weights, for real, fake and x̂. */
function signPatterns(
  real: tf.Tensor,
  fake: tf.Tensor,
  alpha: tf.Tensor,
  weights: tf.Tensor[],
): tf.Tensor[][] {
  return [real, fake, interpolate(real, fake, alpha)].map((x) => critic.signPattern(x, weights));
}

/** Weight gradients of one critic step, as plain arrays. */
function weightGradients(seed: number): number[][] {
  return tf.tidy(() => {
    const { real, fake, alpha, weights } = parameters(seed);
    const grads = tf.grads((...w: tf.Tensor[]) => criticLoss(real, fake, alpha, w))(weights);
    return grads.map((g) => Array.from(g.dataSync()));
  });
}

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
