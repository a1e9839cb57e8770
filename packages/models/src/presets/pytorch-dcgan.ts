import { optionsArg } from '@gan/core';
import { type Init, optionalSeed } from '../blocks';
import { buildDiscriminator, buildGenerator, discriminatorConfig, generatorConfig } from '../dcgan';
import { discriminatorSeed, type GanModels, type PresetOptions } from './types';

export interface PytorchDcganOptions extends PresetOptions {
  /** Default 64 (the tutorial's); any s·2^k works. */
  resolution?: number;
  /** nc. Default 3. */
  channels?: number;
  /** ngf = ndf. Default 64. */
  baseFilters?: number;
  /** Default 'dcgan' (the tutorial's weights_init). */
  init?: Init;
}

/**
 * PyTorch's DCGAN tutorial (nz = 100, ngf = ndf = 64, nc = 3, 64×64): the same layers and
 * trainable parameter counts (asserted against PyTorch in the tests). The discriminator's
 * final sigmoid is left to the BCE-with-logits loss, which is the numerically stable form.
 */
export function pytorchDcgan(options: PytorchDcganOptions = {}): GanModels {
  const fn = 'pytorchDcgan';
  optionsArg(fn, options);
  const { resolution = 64, channels = 3, baseFilters = 64, latentDim = 100, init } = options;
  const seed = optionalSeed(fn, options.seed);
  // Both models' options are checked before either is built.
  const g = generatorConfig(fn, { resolution, channels, baseFilters, latentDim, init, seed });
  const d = discriminatorConfig(fn, {
    resolution,
    channels,
    baseFilters,
    init,
    seed: discriminatorSeed(seed),
  });
  return { generator: buildGenerator(g), discriminator: buildDiscriminator(d), latentDim };
}
