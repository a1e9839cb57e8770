// Test support (not exported by the package): a WGAN-GP critic step built from raw ops, shared by
// the finite-difference suite and the WebGPU cross-backend suite.
import { rawCritic } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { SeedStream } from '../seed';

/**
 * A WGAN-GP critic step built from raw ops, the way a layers critic runs them (fused conv/dense):
 * conv(3×3, s2) + bias → leakyRelu(0.2) → conv(3×3, s2) + bias → leakyRelu → dense → score,
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

export function parameters(seed: number) {
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
export function criticLoss(
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
export function signPatterns(
  real: tf.Tensor,
  fake: tf.Tensor,
  alpha: tf.Tensor,
  weights: tf.Tensor[],
): tf.Tensor[][] {
  return [real, fake, interpolate(real, fake, alpha)].map((x) => critic.signPattern(x, weights));
}

/** Weight gradients of one critic step, as plain arrays. */
export function weightGradients(seed: number): number[][] {
  return tf.tidy(() => {
    const { real, fake, alpha, weights } = parameters(seed);
    const grads = tf.grads((...w: tf.Tensor[]) => criticLoss(real, fake, alpha, w))(weights);
    return grads.map((g) => Array.from(g.dataSync()));
  });
}
