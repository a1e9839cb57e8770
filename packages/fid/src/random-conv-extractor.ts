import { integerArg, optionsArg, positiveInteger, SeedStream, seedArg } from '@gan/core';
import {
  conv2d,
  mean,
  relu,
  sub,
  type Tensor2D,
  type Tensor4D,
  tensor4d,
  tidy,
} from '@tensorflow/tfjs-core';
import { checkExtractorImages, type FeatureExtractor } from './extractor';

export interface RandomConvExtractorOptions {
  /** Feature dimension (channels of the last convolution). Default 32. */
  dim?: number;
  /** Input side length. Default 32. */
  size?: number;
  seed?: number;
}

/**
 * A tiny deterministic feature network — two seeded random 3 × 3 stride-2 convolutions with ReLU
 * and a global average — for fast tests and smoke runs on any backend. Random features still
 * separate distributions (random-network FID tracks the real one coarsely), but its numbers mean
 * nothing outside the run that produced them.
 */
export function randomConvExtractor(options: RandomConvExtractorOptions = {}): FeatureExtractor {
  const fn = 'randomConvExtractor';
  const { dim = 32, size = 32, seed = 0 } = optionsArg(fn, options);
  positiveInteger(fn, 'dim', dim);
  integerArg(fn, 'size', size, { min: 4 });
  seedArg(fn, 'seed', seed);
  const stream = new SeedStream(seed);
  const hidden = Math.max(8, dim >> 1);
  const kernel = (cin: number, cout: number) => {
    // He-normal so activations keep their scale through the ReLUs.
    const std = Math.sqrt(2 / (9 * cin));
    const values = Float32Array.from({ length: 9 * cin * cout }, () => stream.normal() * std);
    return tensor4d(values, [3, 3, cin, cout]);
  };
  const w1 = kernel(3, hidden);
  const w2 = kernel(hidden, dim);
  return {
    name: `random-conv (seed ${seed}, ${dim}-d, ${size}×${size})`,
    dim,
    inputSize: [size, size],
    standard: false,
    extract(images: Tensor4D): Tensor2D {
      checkExtractorImages('randomConvExtractor.extract', images, { size: [size, size] });
      return tidy(() => {
        const centred = sub(images, 0.5);
        const h = relu(conv2d(centred as Tensor4D, w1, 2, 'same'));
        const f = relu(conv2d(h, w2, 2, 'same'));
        return mean(f, [1, 2]) as Tensor2D;
      });
    },
    dispose() {
      w1.dispose();
      w2.dispose();
    },
  };
}
