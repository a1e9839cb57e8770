import type { Init } from '../blocks';
import { dcganDiscriminator, dcganGenerator } from '../dcgan';
import { discriminatorSeed, type GanModels, type PresetOptions } from './types';

export interface HrDcganOptions extends PresetOptions {
  /** Default 64. */
  resolution?: number;
  channels?: number;
  baseFilters?: number;
  maxFilters?: number;
  /** Default 'lecun': SELU's self-normalisation assumes LeCun-normal weights. */
  init?: Init;
}

/**
 * HR-DCGAN (Curtó et al. 2017), as the faces write-up describes it: the DCGAN chain with SELU
 * for every activation and an extra stride-1 convolution as the generator's first and the
 * discriminator's last convolution; batch norm kept.
 */
export function hrDcgan(options: HrDcganOptions = {}): GanModels {
  const { resolution = 64, latentDim = 100, init = 'lecun' } = options;
  const common = {
    resolution,
    channels: options.channels,
    baseFilters: options.baseFilters,
    maxFilters: options.maxFilters,
    activation: 'selu' as const,
    extraConv: true,
    init,
  };
  return {
    generator: dcganGenerator({ ...common, latentDim, seed: options.seed }),
    discriminator: dcganDiscriminator({ ...common, seed: discriminatorSeed(options.seed) }),
    latentDim,
  };
}
