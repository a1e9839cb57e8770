import { optionsArg, positiveNumber, tensorArg } from '@gan/core';
import {
  add,
  mean,
  mul,
  rsqrt,
  serialization,
  square,
  type Tensor,
  tidy,
} from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { oneTensor } from './internal';

export interface PixelNormalizationArgs extends LayerArgs {
  /** Added to the mean square. Default 1e-8 (ProGAN). */
  epsilon?: number;
}

/** x / √(mean over channels of x² + ε), per sample and position (channels last). */
export function pixelNormalize(x: Tensor, epsilon = 1e-8): Tensor {
  const fn = 'pixelNormalize';
  tensorArg(fn, 'x', x, { minRank: 1, layout: '[…, c]' });
  positiveNumber(fn, 'epsilon', epsilon);
  return tidy(() => mul(x, rsqrt(add(mean(square(x), -1, true), epsilon))));
}

/**
 * Pixelwise feature normalisation (Karras et al. 2018, ProGAN): scales each position's feature
 * vector to unit mean square. Used in generators instead of batch norm; no weights.
 */
export class PixelNormalization extends tfl.layers.Layer {
  static className = 'PixelNormalization';
  readonly epsilon: number;

  constructor(args: PixelNormalizationArgs = {}) {
    const fn = 'pixelNormalization';
    const epsilon = positiveNumber(
      fn,
      'epsilon',
      optionsArg(fn, args, { arg: 'args' }).epsilon ?? 1e-8,
    );
    super(args);
    this.epsilon = epsilon;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return pixelNormalize(oneTensor('pixelNormalization', this.name, inputs), this.epsilon);
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
serialization.registerClass(PixelNormalization);

export function pixelNormalization(args?: PixelNormalizationArgs) {
  return new PixelNormalization(args);
}
