import { argError, optionsArg, positiveInteger } from '@gan/core';
import {
  mul,
  reshape,
  slice,
  sub,
  type Tensor2D,
  type Tensor4D,
  tidy,
} from '@tensorflow/tfjs-core';
import { checkExtractorImages, type FeatureExtractor } from './extractor';

export interface PixelExtractorOptions {
  /** Image side length (images of other sizes are resized to it). */
  size: number;
  /** Channels of the images. Default 3. */
  channels?: 1 | 3;
}

/**
 * Raw pixels as features, back in [−1, 1]: a distance between image distributions without any
 * network, for the smallest images and for tests. KID on pixels falls as a generator learns but
 * is NOT comparable to Inception-feature KID or FID; FID on pixels needs more samples than
 * dimensions (h·w·c) to mean anything.
 */
export function pixelExtractor(options: PixelExtractorOptions): FeatureExtractor {
  const fn = 'pixelExtractor';
  optionsArg(fn, options, { required: true });
  const size = positiveInteger(fn, 'size', options.size);
  const channels = options.channels ?? 3;
  if (channels !== 1 && channels !== 3) argError(fn, 'channels', '1 or 3', channels);
  return {
    name: `pixels (${size}×${size}×${channels})`,
    dim: size * size * channels,
    inputSize: [size, size],
    standard: false,
    extract(images: Tensor4D): Tensor2D {
      checkExtractorImages(`${fn}.extract`, images, { size: [size, size] });
      // extractFeatures hands [0, 1], RGB; grey images are one of the repeated channels.
      return tidy(() => {
        const x = channels === 1 ? slice(images, [0, 0, 0, 0], [-1, -1, -1, 1]) : images;
        return reshape(sub(mul(x, 2), 1), [images.shape[0], size * size * channels]);
      });
    },
    dispose() {},
  };
}
