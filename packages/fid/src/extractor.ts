import { ArgumentError, argError, oneOf, tensorArg } from '@gan/core';
import type { Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';

/**
 * A feature network for FID/KID: `extract` maps images [n, h, w, 3] with values in [0, 1], at
 * `inputSize`, to features [n, dim]. `extractFeatures` does the resizing and range conversion.
 */
export interface FeatureExtractor {
  /** Names the network in saved statistics and next to every score. */
  readonly name: string;
  readonly dim: number;
  /** [height, width] the network expects. */
  readonly inputSize: readonly [number, number];
  /**
   * True only for the standard FID network (TF InceptionV3 pool3 with the 2015-12-05 weights):
   * scores from any other extractor are not comparable with published FID.
   */
  readonly standard: boolean;
  extract(images: Tensor4D): Tensor2D;
  dispose(): void;
}

/**
 * How to print a score from an extractor: "FID" for the standard network, otherwise
 * "FID-like (name; not comparable to published FID)" — and likewise for KID.
 */
export function scoreLabel(
  extractor: Pick<FeatureExtractor, 'name' | 'standard'> | { name?: unknown; standard?: unknown },
  metric: 'FID' | 'KID' = 'FID',
): string {
  if (typeof extractor !== 'object' || extractor === null)
    argError('scoreLabel', 'extractor', 'a FeatureExtractor (or { name, standard })', extractor);
  oneOf('scoreLabel', 'metric', metric, ['FID', 'KID']);
  if (extractor.standard === true) return metric;
  return `${metric}-like (${String(extractor.name ?? 'unknown extractor')}; not comparable to published ${metric})`;
}

/**
 * What an extractor's `extract` takes: float32 [n, h, w, 3] (values in [0, 1], not checked: that
 * would read the data), at `size` exactly, or at least `minSize` for fully convolutional nets.
 */
export function checkExtractorImages(
  fn: string,
  images: unknown,
  { size, minSize }: { size?: readonly (number | null)[]; minSize?: number },
): void {
  const t = tensorArg(fn, 'images', images, { rank: 4, layout: '[n, h, w, 3]', dtype: 'float32' });
  const [, h, w, c] = t.shape;
  const fits = size
    ? (size[0] == null || h === size[0]) && (size[1] == null || w === size[1])
    : h >= (minSize ?? 1) && w >= (minSize ?? 1);
  if (c !== 3 || !fits) {
    const want = size
      ? `[n, ${size.map((d) => d ?? '·').join(', ')}, 3]`
      : `[n, h, w, 3] with h, w ≥ ${minSize}`;
    throw new ArgumentError(
      fn,
      'images',
      `images must have shape ${want} (RGB in [0, 1]; extractFeatures resizes and converts), got [${t.shape}]`,
    );
  }
}
