import { aliasArg, oneOf, optionsArg } from '@gan/core';
import { type Init, optionalSeed } from '../blocks';
import {
  buildDiscriminator,
  buildGenerator,
  discriminatorConfig,
  generatorConfig,
  type MinibatchDiscriminationOptions,
} from '../dcgan';
import { discriminatorSeed, type GanModels, type PresetOptions } from './types';

export interface PokemonGanOptions extends PresetOptions {
  /** 64 or 256 (the write-up's gan_64 / gan_256); other s·2^k sizes work too. Default 64. */
  resolution?: number;
  /**
   * 'dcgan': the discriminator outputs a logit (the write-up's sigmoid lives in the BCE loss);
   * 'wgan': a linear score for the Wasserstein loss with weight clipping. Default 'dcgan'.
   */
  mode?: 'dcgan' | 'wgan';
  /** Default 64. */
  baseFilters?: number;
  /** Default 512, so the 256 px models stay ~10M parameters rather than ~45M. */
  maxFilters?: number;
  /**
   * The minibatch-discrimination layer before the output (always there): `dcganDiscriminator`'s
   * option of the same name. Default { numKernels: 100, kernelDim: 5 }.
   */
  minibatchDiscrimination?: MinibatchDiscriminationOptions;
  /** @deprecated Renamed `minibatchDiscrimination`; this name still works until the next minor. */
  minibatch?: MinibatchDiscriminationOptions;
  init?: Init;
}

/**
 * The Pokémon write-up's GAN: a DCGAN generator, and a DCGAN discriminator with a
 * minibatch-discrimination layer before its output so it can see a collapsed batch. Batch norm
 * and minibatch discrimination couple the samples, so this discriminator is for BCE and
 * weight-clipped WGAN training, not for gradient penalties (which refuse it).
 */
export function pokemonGan(options: PokemonGanOptions = {}): GanModels {
  const fn = 'pokemonGan';
  optionsArg(fn, options);
  const {
    resolution = 64,
    mode = 'dcgan',
    latentDim = 100,
    baseFilters = 64,
    maxFilters = 512,
    init,
  } = options;
  oneOf(fn, 'mode', mode, ['dcgan', 'wgan']);
  // Errors name the option the caller wrote.
  const minibatchName = options.minibatch !== undefined ? 'minibatch' : 'minibatchDiscrimination';
  const minibatch = optionsArg(fn, aliasArg(fn, options, 'minibatchDiscrimination', 'minibatch'), {
    arg: minibatchName,
  });
  const seed = optionalSeed(fn, options.seed);
  // Both models' options are checked before either is built.
  const g = generatorConfig(fn, { resolution, latentDim, baseFilters, maxFilters, init, seed });
  const d = discriminatorConfig(
    fn,
    {
      resolution,
      baseFilters,
      maxFilters,
      minibatchDiscrimination: { numKernels: 100, kernelDim: 5, ...minibatch },
      output: mode === 'dcgan' ? 'logit' : 'score',
      init,
      seed: discriminatorSeed(seed),
    },
    minibatchName,
  );
  return { generator: buildGenerator(g), discriminator: buildDiscriminator(d), latentDim };
}
