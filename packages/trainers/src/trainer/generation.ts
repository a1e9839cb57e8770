import {
  numberArg,
  oneOf,
  optionsArg,
  positiveInteger,
  SeedStream,
  sampleLatents,
  seedArg,
  tensorArg,
} from '@gan/core';
import {
  acos,
  add,
  clipByValue,
  div,
  linspace,
  mul,
  norm,
  reshape,
  sin,
  sub,
  sum,
  Tensor,
  type Tensor2D,
  tidy,
} from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { GenerateOptions } from './types';

/** The images of `n` fresh latents, or of the latents given; the trainer's `generate`. */
export function generateImages(
  sampler: tfl.LayersModel,
  latentDim: number,
  defaultStream: SeedStream,
  n: number | Tensor,
  options: GenerateOptions = {},
): Tensor {
  const fn = 'trainer.generate';
  const opts = optionsArg(fn, options);
  if (n instanceof Tensor) {
    tensorArg(fn, 'latents', n, { rank: 2, shape: [null, latentDim], layout: '[n, latentDim]' });
    return tidy(() => sampler.predict(n) as Tensor);
  }
  positiveInteger(fn, 'n', n);
  const stream = opts.seed == null ? defaultStream : new SeedStream(seedArg(fn, 'seed', opts.seed));
  // Components beyond ±t are redrawn: below 0.1 (8% kept) the draws would take forever.
  if (opts.truncation != null) numberArg(fn, 'truncation', opts.truncation, { min: 0.1 });
  return tidy(
    () => sampler.predict(sampleLatents(n, latentDim, stream, opts.truncation)) as Tensor,
  );
}

/**
 * Spherical interpolation (Shoemake 1985; White 2016, "Sampling Generative Networks") between
 * latents `a` and `b` (`[..., d]`) at fractions `t` (broadcast against them): interpolants keep
 * the norm Gaussian latents have, where a straight line would pass through low-density space.
 */
export function slerp(a: Tensor, b: Tensor, t: Tensor): Tensor {
  return tidy(() => {
    const cos = div(
      sum(mul(a, b), -1, true),
      mul(norm(a, 'euclidean', -1, true), norm(b, 'euclidean', -1, true)),
    );
    const omega = acos(clipByValue(cos, -1 + 1e-6, 1 - 1e-6));
    const s = sin(omega);
    return add(mul(a, div(sin(mul(sub(1, t), omega)), s)), mul(b, div(sin(mul(t, omega)), s)));
  });
}

export interface LatentWalkOptions {
  /** Points on each path, ends included. Default 8. */
  steps?: number;
  /** 'slerp' (default) or 'linear'. */
  method?: 'slerp' | 'linear';
}

/**
 * Paths from `from[i]` to `to[i]` (both `[rows, d]`): `[rows · steps, d]` latents, row by row,
 * ready for `trainer.generate(latents)` and an image grid of `steps` columns.
 */
export function latentWalk(
  from: Tensor2D,
  to: Tensor2D,
  options: LatentWalkOptions = {},
): Tensor2D {
  const fn = 'latentWalk';
  tensorArg(fn, 'from', from, { rank: 2 });
  tensorArg(fn, 'to', to, { shape: from.shape });
  const opts = optionsArg(fn, options);
  const steps = positiveInteger(fn, 'steps', opts.steps ?? 8);
  const method = oneOf(fn, 'method', opts.method ?? 'slerp', ['slerp', 'linear'] as const);
  const [rows, d] = from.shape;
  return tidy(() => {
    const a = reshape(from, [rows, 1, d]);
    const b = reshape(to, [rows, 1, d]);
    const t = reshape(steps === 1 ? linspace(0, 0, 1) : linspace(0, 1, steps), [1, steps, 1]);
    const path = method === 'slerp' ? slerp(a, b, t) : add(a, mul(sub(b, a), t));
    return reshape(path, [rows * steps, d]) as Tensor2D;
  });
}
