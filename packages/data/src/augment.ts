import {
  argError,
  nonNegativeInteger,
  numberArg,
  oneOf,
  optionsArg,
  probability,
  SeedStream,
  seedArg,
  tensorArg,
} from '@gan/core';
import {
  add,
  concat,
  less,
  mean,
  mul,
  pad,
  randomUniform,
  reshape,
  reverse,
  slice,
  sub,
  type Tensor,
  tensor1d,
  tidy,
  where,
} from '@tensorflow/tfjs-core';
import { type RawImage, rawImageArg } from './raw-image';

/**
 * Mirrors a host image left–right with probability p, drawn from (seed, epoch, index): each
 * image flips or not independently every epoch, reproducibly (the anime-face write-up's
 * augmentation, p = 0.5). Use it in `dataset.map((img, i, epoch) => randomFlip(img, seed, epoch, i))`.
 */
export function randomFlip(
  image: RawImage,
  seed: number,
  epoch: number,
  index: number,
  p = 0.5,
): RawImage {
  const fn = 'randomFlip';
  rawImageArg(fn, 'image', image);
  seedArg(fn, 'seed', seed);
  nonNegativeInteger(fn, 'epoch', epoch);
  nonNegativeInteger(fn, 'index', index);
  probability(fn, 'p', p);
  const stream = new SeedStream(
    (seed ^ Math.imul(epoch + 1, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0,
  );
  if (stream.uniform() >= p) return image;
  const { width, height, channels: c } = image;
  const out = new Uint8Array(image.data.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      out.set(
        image.data.subarray((y * width + x) * c, (y * width + x + 1) * c),
        (y * width + width - 1 - x) * c,
      );
  return { ...image, data: out };
}

/** Flips each image of a [n, h, w, c] batch left–right with probability p (seeded). Differentiable. */
export function randomFlipBatch(images: Tensor, seed: number, p = 0.5): Tensor {
  const fn = 'randomFlipBatch';
  tensorArg(fn, 'images', images, { rank: 4, layout: '[n, h, w, c]' });
  seedArg(fn, 'seed', seed);
  probability(fn, 'p', p);
  return tidy(() => {
    const n = images.shape[0];
    const flip = reshape(less(randomUniform([n], 0, 1, 'float32', seed), p), [n, 1, 1, 1]);
    return where(flip, reverse(images, 2), images);
  });
}

export type DiffAugmentPolicy = 'color' | 'translation' | 'cutout';

const POLICIES = ['color', 'translation', 'cutout'] as const;

/** DiffAugment's options, checked under `fn` (`diffAugment` or `diffAugmentation`), defaults filled in. */
function diffAugmentConfig(fn: string, options: DiffAugmentOptions): Required<DiffAugmentOptions> {
  optionsArg(fn, options);
  const { policies = [...POLICIES], translation = 1 / 8, cutout = 1 / 2 } = options;
  if (!Array.isArray(policies))
    argError(fn, 'policies', "an array of 'color' | 'translation' | 'cutout'", policies);
  for (const [i, policy] of policies.entries()) oneOf(fn, `policies[${i}]`, policy, POLICIES);
  numberArg(fn, 'translation', translation, { min: 0, max: 1 });
  numberArg(fn, 'cutout', cutout, { min: 0, max: 1 });
  return { policies, translation, cutout };
}

export interface DiffAugmentOptions {
  /** Default all three, as Zhao et al. recommend for small datasets. */
  policies?: DiffAugmentPolicy[];
  /** Largest shift as a fraction of the size, in [0, 1]. Default 1/8. */
  translation?: number;
  /** Side of the cut-out square as a fraction of the size, in [0, 1]. Default 1/2. */
  cutout?: number;
}

/** Per-sample U(lo, hi) broadcast over [n, 1, 1, 1]. */
const perSample = (n: number, lo: number, hi: number, seed: number) =>
  randomUniform([n, 1, 1, 1], lo, hi, 'float32', seed);

/**
 * DiffAugment (Zhao et al. 2020): random brightness/saturation/contrast, translation with zero
 * padding and cut-out, built from differentiable ops, so the same augmentation applies to real
 * and generated batches and the generator's gradient flows through it. Images [n, h, w, c] in
 * [−1, 1]; all randomness from `seed`. Pass it as a trainer's `augment`.
 */
export function diffAugment(
  images: Tensor,
  seed: number,
  options: DiffAugmentOptions = {},
): Tensor {
  const fn = 'diffAugment';
  tensorArg(fn, 'images', images, {
    rank: 4,
    layout: '[n, h, w, c]',
    dtype: 'float32',
    nonEmpty: true,
  });
  seedArg(fn, 'seed', seed);
  const { policies, translation, cutout } = diffAugmentConfig(fn, options);
  const stream = new SeedStream(seed);
  const [n, h, w] = images.shape;
  return tidy(() => {
    let x = images;
    for (const policy of policies) {
      if (policy === 'color') {
        x = add(x, perSample(n, -0.5, 0.5, stream.nextSeed())); // brightness
        const grey = mean(x, 3, true);
        x = add(mul(sub(x, grey), perSample(n, 0, 2, stream.nextSeed())), grey); // saturation
        const avg = mean(x, [1, 2, 3], true);
        x = add(mul(sub(x, avg), perSample(n, 0.5, 1.5, stream.nextSeed())), avg); // contrast
      } else if (policy === 'translation') {
        // Integer shifts per sample; pixels moved in from outside are 0. A window sliced out of a
        // zero-padded copy: slice's gradient is a pad, which every backend has (gather's needs
        // UnsortedSegmentSum, missing on wasm).
        const [sx, sy] = [Math.round(w * translation), Math.round(h * translation)];
        const rows: Tensor[] = [];
        for (let i = 0; i < n; i++) {
          const dx = Math.round((stream.uniform() * 2 - 1) * sx);
          const dy = Math.round((stream.uniform() * 2 - 1) * sy);
          const padded = pad(slice(x, [i, 0, 0, 0], [1, h, w, -1]), [
            [0, 0],
            [sy, sy],
            [sx, sx],
            [0, 0],
          ]);
          rows.push(slice(padded, [0, sy - dy, sx - dx, 0], [1, h, w, -1]));
        }
        x = concat(rows, 0);
      } else if (policy === 'cutout') {
        const [ch, cw] = [Math.round(h * cutout), Math.round(w * cutout)];
        const masks: number[] = [];
        for (let i = 0; i < n; i++) {
          const cy = Math.floor(stream.uniform() * (h + 1 - (ch % 2))) - Math.floor(ch / 2);
          const cx = Math.floor(stream.uniform() * (w + 1 - (cw % 2))) - Math.floor(cw / 2);
          for (let r = 0; r < h; r++)
            for (let c = 0; c < w; c++)
              masks.push(r >= cy && r < cy + ch && c >= cx && c < cx + cw ? 0 : 1);
        }
        x = mul(x, reshape(tensor1d(masks), [n, h, w, 1]));
      }
    }
    return x;
  });
}

/**
 * DiffAugment as a trainer's named augmentation (`createTrainer({ augment: diffAugmentation() })`):
 * the same function as {@link diffAugment}, with its name and settings, which checkpoints record —
 * a checkpoint trained with other augmentation then refuses to load silently.
 */
export function diffAugmentation(options: DiffAugmentOptions = {}) {
  // Checked now, under this name, not at the first training step.
  const config = diffAugmentConfig('diffAugmentation', options);
  return {
    name: 'diffAugment',
    config,
    apply: (images: Tensor, seed: number) => diffAugment(images, seed, config),
  };
}
