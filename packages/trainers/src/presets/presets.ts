import {
  aliasArg,
  booleanArg,
  numberArg,
  oneOf,
  optionsArg,
  positiveInteger,
  positiveNumber,
  seedArg,
} from '@gan/core';
import {
  acganDiscriminatorLoss,
  acganGeneratorLoss,
  gradientPenalty,
  hingeDiscriminatorLoss,
  hingeGeneratorLoss,
  minimaxDiscriminatorLoss,
  nonSaturatingGeneratorLoss,
  wassersteinDiscriminatorLoss,
  wassersteinGeneratorLoss,
} from '@gan/losses';
import { mul, type Scalar, tidy, train } from '@tensorflow/tfjs-core';
import type { AuxiliaryLosses, GanLosses, GanOptimizers } from '../context';
import { deprecatedField } from '../deprecated-field';
import { boosted } from '../schedules/boosted';
import { classic } from '../schedules/classic';
import { critic } from '../schedules/critic';
import { monitored } from '../schedules/monitored';
import type { Schedule } from '../schedules/schedule';

/** Losses, optimizers and schedule of a known recipe: spread it into `createTrainer`. */
export interface TrainerPreset {
  losses: GanLosses;
  optimizers: GanOptimizers;
  schedule: Schedule;
  /** Clip the discriminator's weights to [−c, c] after each of its updates (`wgan()`: 0.01). */
  weightClipping?: number;
  /**
   * @deprecated Renamed `weightClipping` (as `@gan/losses`' `weightClipping(weights, c)`); still
   * readable on `wgan()`'s preset, and accepted by `createTrainer`, until the next minor.
   */
  readonly clipValue?: number;
  /** Lazy regularisation: the penalty on every k-th critic step, scaled by k. */
  penaltyEvery?: number;
}

const adam = (lr: number, beta1: number, beta2: number): GanOptimizers => ({
  generator: train.adam(lr, beta1, beta2),
  discriminator: train.adam(lr, beta1, beta2),
});

const bce = (realLabel = 1): GanLosses => ({
  discriminator: (r, f, c) => minimaxDiscriminatorLoss(r, f, { realLabel, seed: c.seed }),
  generator: (f) => nonSaturatingGeneratorLoss(f),
});

/** DCGAN (Radford et al. 2016): BCE (non-saturating G), Adam 2e-4, β = (0.5, 0.999), 1:1. */
export function dcgan(): TrainerPreset {
  return { losses: bce(), optimizers: adam(2e-4, 0.5, 0.999), schedule: classic() };
}

export interface PokemonDcganOptions {
  /** The write-up's three trainings. Default 'classic'. */
  schedule?: 'classic' | 'monitored' | 'boosted';
  /** Seed of the boosted schedule's draws. */
  seed?: number;
}

/**
 * The Pokémon write-up's DCGAN: BCE with one-sided label smoothing (real label 0.9), Adam
 * 1.5e-4, β = (0.5, 0.999); classic, monitored (D trains while L_D > 0.8·L_G) or boosted
 * (boosts + noisy labels) training.
 */
export function pokemonDcgan(options: PokemonDcganOptions = {}): TrainerPreset {
  const fn = 'pokemonDcgan';
  const opts = optionsArg(fn, options);
  const kind = oneOf(fn, 'schedule', opts.schedule ?? 'classic', [
    'classic',
    'monitored',
    'boosted',
  ]);
  const seed = seedArg(fn, 'seed', opts.seed ?? 0);
  const schedules = {
    classic: () => classic(),
    monitored: () => monitored({ ratio: 0.8 }),
    boosted: () => boosted({ seed }),
  };
  return { losses: bce(0.9), optimizers: adam(1.5e-4, 0.5, 0.999), schedule: schedules[kind]() };
}

/** The original WGAN (Arjovsky et al. 2017): weight clipping 0.01, RMSProp 5e-5, n_critic 5 (the Pokémon WGAN: 3). */
export function wgan(options: { nCritic?: number } = {}): TrainerPreset {
  const nCritic = positiveInteger('wgan', 'nCritic', optionsArg('wgan', options).nCritic ?? 5);
  const preset: TrainerPreset = {
    losses: {
      discriminator: (r, f) => wassersteinDiscriminatorLoss(r, f),
      generator: (f) => wassersteinGeneratorLoss(f),
    },
    optimizers: { generator: train.rmsprop(5e-5), discriminator: train.rmsprop(5e-5) },
    schedule: critic({ nCritic }),
    weightClipping: 0.01,
  };
  return deprecatedField(preset, 'clipValue', 'weightClipping');
}

export interface WganGpOptions extends AdamOptions {
  nCritic?: number;
  /** The gradient penalty's coefficient λ (`gradientPenalty`'s `weight`). Default 10. */
  penaltyWeight?: number;
  /** @deprecated Renamed `penaltyWeight`; this name still works until the next minor. */
  lambda?: number;
  /**
   * Accept a critic whose layers mix the batch (minibatch discrimination or -stddev, as ProGAN
   * does under WGAN-GP): the penalty then also constrains cross-sample gradient terms. Default false.
   */
  allowBatchCoupling?: boolean;
  /**
   * Lazy regularisation (Karras et al. 2020): the gradient penalty on every k-th critic step,
   * scaled by k (StyleGAN2 takes 16 for R1). Default 1.
   */
  penaltyEvery?: number;
}

/**
 * WGAN-GP (Gulrajani et al. 2017): λ (`penaltyWeight`) 10, n_critic 5, Adam 2e-4 for both
 * networks, β = (0.5, 0.9), as the anime-face write-up (the paper's Algorithm 1:
 * 1e-4, β = (0, 0.9) — pass them as `AdamOptions`).
 */
export function wganGp(options: WganGpOptions = {}): TrainerPreset {
  const fn = 'wganGp';
  const opts = optionsArg(fn, options);
  // Checked now, not at the first critic step (under the penalty's name).
  const given = aliasArg(fn, opts, 'penaltyWeight', 'lambda');
  const arg = opts.lambda !== undefined ? 'lambda' : 'penaltyWeight';
  const weight = numberArg(fn, arg, given ?? 10, { min: 0 });
  const allowBatchCoupling = booleanArg(fn, 'allowBatchCoupling', opts.allowBatchCoupling ?? false);
  const nCritic = positiveInteger(fn, 'nCritic', opts.nCritic ?? 5);
  const penaltyEvery = positiveInteger(fn, 'penaltyEvery', opts.penaltyEvery ?? 1);
  return {
    losses: {
      discriminator: (r, f) => wassersteinDiscriminatorLoss(r, f),
      generator: (f) => wassersteinGeneratorLoss(f),
      penalty: (d, r, f, c) =>
        gradientPenalty(d, r, f, { weight, seed: c.seed, allowBatchCoupling }),
    },
    optimizers: adamArgs(fn, opts, { learningRate: [2e-4, 2e-4], beta1: 0.5 }),
    schedule: critic({ nCritic }),
    ...(penaltyEvery > 1 ? { penaltyEvery } : {}),
  };
}

/** Adam settings of a preset, both networks' rates apart (as TTUR needs). */
export interface AdamOptions {
  generatorLearningRate?: number;
  discriminatorLearningRate?: number;
  beta1?: number;
  beta2?: number;
}

/** @deprecated Renamed `AdamOptions` (`wganGp` takes them too); still exported until the next minor. */
export type TturOptions = AdamOptions;

/**
 * TTUR (Heusel et al. 2017): separate learning rates, the discriminator's faster — default
 * 1e-4 for G and 4e-4 for D with Adam β = (0, 0.9) as in SAGAN — with BCE, 1:1.
 */
export function ttur(options: AdamOptions = {}): TrainerPreset {
  const fn = 'ttur';
  const optimizers = adamArgs(fn, optionsArg(fn, options), TTUR_ADAM);
  return { losses: bce(), optimizers, schedule: classic() };
}

const TTUR_ADAM = { learningRate: [1e-4, 4e-4], beta1: 0 } as const;

/** Both Adam optimizers from a preset's options, checked under its name (tfjs's Adam checks nothing). */
function adamArgs(
  fn: string,
  opts: AdamOptions,
  defaults: { learningRate: readonly [number, number]; beta1: number },
): GanOptimizers {
  const [g, d] = defaults.learningRate;
  const generatorLearningRate = positiveNumber(
    fn,
    'generatorLearningRate',
    opts.generatorLearningRate ?? g,
  );
  const discriminatorLearningRate = positiveNumber(
    fn,
    'discriminatorLearningRate',
    opts.discriminatorLearningRate ?? d,
  );
  const beta = { min: 0, max: 1, maxExclusive: true };
  const beta1 = numberArg(fn, 'beta1', opts.beta1 ?? defaults.beta1, beta);
  const beta2 = numberArg(fn, 'beta2', opts.beta2 ?? 0.9, beta);
  return {
    generator: train.adam(generatorLearningRate, beta1, beta2),
    discriminator: train.adam(discriminatorLearningRate, beta1, beta2),
  };
}

/** Hinge loss (Lim & Ye 2017; SN-GAN, SAGAN) with TTUR's Adam settings, 1:1. */
export function hinge(options: AdamOptions = {}): TrainerPreset {
  const fn = 'hinge';
  return {
    optimizers: adamArgs(fn, optionsArg(fn, options), TTUR_ADAM),
    schedule: classic(),
    losses: {
      discriminator: (r, f) => hingeDiscriminatorLoss(r, f),
      generator: (f) => hingeGeneratorLoss(f),
    },
  };
}

export interface AcganLossesOptions {
  /** Factor of the auxiliary loss in the discriminator's loss. Default 1 (Odena et al.). */
  discriminatorWeight?: number;
  /** Factor of the auxiliary loss in the generator's loss. Default 1. */
  generatorWeight?: number;
  /** Label smoothing of the class targets (`@gan/losses`' `acganDiscriminatorLoss`). Default 0. */
  labelSmoothing?: number;
}

/**
 * ACGAN's auxiliary classifier losses (Odena et al. 2017) for `losses.auxiliary`, when the
 * discriminator has a class head: softmax cross entropy of its class logits on real and
 * generated images (discriminator) and on generated ones (generator), weighted as TF-GAN's
 * `aux_cond_*_weight`. Pair them with any adversarial losses: `{ ...wganGp().losses, auxiliary:
 * acganLosses() }`.
 */
export function acganLosses(options: AcganLossesOptions = {}): AuxiliaryLosses {
  const fn = 'acganLosses';
  const opts = optionsArg(fn, options);
  const dWeight = numberArg(fn, 'discriminatorWeight', opts.discriminatorWeight ?? 1, { min: 0 });
  const gWeight = numberArg(fn, 'generatorWeight', opts.generatorWeight ?? 1, { min: 0 });
  const labelSmoothing = numberArg(fn, 'labelSmoothing', opts.labelSmoothing ?? 0, {
    min: 0,
    max: 1,
  });
  const scaled = (weight: number, loss: Scalar) =>
    weight === 1 ? loss : (mul(loss, weight) as Scalar);
  return {
    discriminator: (real, fake, labels) =>
      tidy(() => scaled(dWeight, acganDiscriminatorLoss(real, fake, labels, { labelSmoothing }))),
    generator: (fake, labels) =>
      tidy(() => scaled(gWeight, acganGeneratorLoss(fake, labels, { labelSmoothing }))),
  };
}
