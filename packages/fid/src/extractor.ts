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
  if (extractor.standard === true) return metric;
  return `${metric}-like (${String(extractor.name ?? 'unknown extractor')}; not comparable to published ${metric})`;
}
