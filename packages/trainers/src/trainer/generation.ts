import {
  ArgumentError,
  integerArg,
  labelsArg,
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
  cast,
  clipByValue,
  div,
  fill,
  linspace,
  mul,
  norm,
  oneHot,
  reshape,
  sin,
  sub,
  sum,
  Tensor,
  type Tensor2D,
  tensor1d,
  tidy,
} from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { GanContext } from '../context';
import type { GenerateOptions } from './types';

/**
 * A conditional sampler's labels for `n` images as one-hot `[n, numClasses]`: one class for
 * all, one per image (an array or an int32 tensor), or by default the classes in turn
 * (0, 1, …, K − 1, 0, …), so any n shows every class alike.
 */
export function sampleLabels(
  fn: string,
  numClasses: number,
  n: number,
  labels: GenerateOptions['labels'],
): Tensor {
  const check = (c: unknown, arg: string) =>
    integerArg(fn, arg, c, { min: 0, max: numClasses - 1 });
  let indices: Tensor;
  if (labels instanceof Tensor) indices = labelsArg(fn, 'labels', labels, n);
  else if (Array.isArray(labels)) {
    if (labels.length !== n)
      throw new ArgumentError(
        fn,
        'labels',
        `labels must hold one class per image: ${n} images, ${labels.length} labels`,
      );
    indices = tensor1d(
      labels.map((c, i) => check(c, `labels[${i}]`)),
      'int32',
    );
  } else if (labels !== undefined) indices = fill([n], check(labels, 'labels'), 'int32');
  else
    indices = tensor1d(
      Array.from({ length: n }, (_, i) => i % numClasses),
      'int32',
    );
  return tidy(() => {
    const y = cast(oneHot(indices, numClasses), 'float32');
    if (indices !== labels) indices.dispose();
    return y;
  });
}

/** The images of `n` fresh latents, or of the latents given; the trainer's `generate`. */
export function generateImages(
  sampler: tfl.LayersModel,
  ctx: Pick<GanContext, 'latentDim' | 'numClasses'>,
  defaultStream: SeedStream,
  n: number | Tensor,
  options: GenerateOptions = {},
): Tensor {
  const fn = 'trainer.generate';
  const { latentDim, numClasses } = ctx;
  const opts = optionsArg(fn, options);
  if (opts.labels !== undefined && numClasses === undefined)
    throw new ArgumentError(
      fn,
      'labels',
      'labels are for a class-conditional generator; this one takes z alone',
    );
  const predict = (z: Tensor) => {
    if (numClasses === undefined) return sampler.predict(z) as Tensor;
    const y = sampleLabels(fn, numClasses, z.shape[0], opts.labels);
    return tidy(() => {
      const images = sampler.predict([z, y]) as Tensor;
      y.dispose();
      return images;
    });
  };
  if (n instanceof Tensor) {
    tensorArg(fn, 'latents', n, { rank: 2, shape: [null, latentDim], layout: '[n, latentDim]' });
    return tidy(() => predict(n));
  }
  positiveInteger(fn, 'n', n);
  const stream = opts.seed == null ? defaultStream : new SeedStream(seedArg(fn, 'seed', opts.seed));
  // Components beyond ±t are redrawn: below 0.1 (8% kept) the draws would take forever.
  if (opts.truncation != null) numberArg(fn, 'truncation', opts.truncation, { min: 0.1 });
  return tidy(() => predict(sampleLatents(n, latentDim, stream, opts.truncation)));
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
