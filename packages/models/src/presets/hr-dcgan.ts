import { optionsArg } from '@gan/core';
import { type Init, optionalSeed } from '../blocks';
import { buildDiscriminator, buildGenerator, discriminatorConfig, generatorConfig } from '../dcgan';
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
  const fn = 'hrDcgan';
  optionsArg(fn, options);
  const { resolution = 64, latentDim = 100, init = 'lecun' } = options;
  const seed = optionalSeed(fn, options.seed);
  const common = {
    resolution,
    channels: options.channels,
    baseFilters: options.baseFilters,
    maxFilters: options.maxFilters,
    activation: 'selu' as const,
    extraConv: true,
    init,
  };
  const g = generatorConfig(fn, { ...common, latentDim, seed });
  const d = discriminatorConfig(fn, { ...common, seed: discriminatorSeed(seed) });
  return { generator: buildGenerator(g), discriminator: buildDiscriminator(d), latentDim };
}
