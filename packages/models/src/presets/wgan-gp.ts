import { assertArg, oneOf, optionsArg } from '@gan/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { DiscriminatorNorm, Init } from '../blocks';
import { buildDiscriminator, discriminatorConfig } from '../dcgan';

export interface WganGpCriticOptions {
  /** Default 64. */
  resolution?: number;
  channels?: number;
  baseFilters?: number;
  maxFilters?: number;
  /** Default 'instance' (the anime-face write-up's choice); 'layer' is Gulrajani et al.'s. */
  norm?: Exclude<DiscriminatorNorm, 'batch'>;
  init?: Init;
  seed?: number;
}

/**
 * A WGAN-GP critic (Gulrajani et al. 2017): the DCGAN discriminator with no batch norm
 * (instance, layer or spectral norm, or none) and a linear score. Pair it with
 * `dcganGenerator` and `gradientPenalty`.
 */
export function wganGpCritic(options: WganGpCriticOptions = {}): tfl.LayersModel {
  const fn = 'wganGpCritic';
  optionsArg(fn, options);
  const norm = options.norm ?? 'instance';
  assertArg(
    (norm as DiscriminatorNorm) !== 'batch',
    fn,
    "norm 'batch' mixes the samples the gradient penalty must treat separately; use 'instance', 'layer', 'spectral' or 'none'",
    'norm',
  );
  oneOf(fn, 'norm', norm, ['instance', 'layer', 'spectral', 'none']);
  const config = discriminatorConfig(fn, {
    resolution: options.resolution ?? 64,
    channels: options.channels,
    baseFilters: options.baseFilters,
    maxFilters: options.maxFilters,
    norm,
    output: 'score',
    init: options.init,
    seed: options.seed,
  });
  return buildDiscriminator(config);
}
