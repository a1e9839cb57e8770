import { SeedStream } from '@gan/core';
import { adaptiveAugmentation, diffAugmentation } from '@gan/data';
import { dcganDiscriminator, dcganGenerator } from '@gan/models';
import { type TrainerOptions, wganGp } from '@gan/trainers';
import type { Tensor } from '@tensorflow/tfjs-core';

/** Chosen by measurement (README: "How the quick recipe was chosen"): the most that fits 10 minutes. */
const QUICK_EPOCHS = 480;

/**
 * The two configurations of the CLI (`--quick` and the full one); the browser page trains the
 * quick one. Flags override single fields.
 */
export const CONFIGS = {
  quick: {
    resolution: 16,
    filters: 16,
    latentDim: 32,
    epochs: QUICK_EPOCHS,
    // Measured (README): 2 critic updates per generator update scored 2.1–3.4× the real-vs-real
    // floor (4 runs, 2 seeds), against 3.8–5.2× with WGAN-GP's 5 and 5.4× with 1.
    nCritic: 2,
    emaDecay: 0.99,
    // Lazy regularisation: measured, a third less time an iteration for the same or better scores.
    penaltyEvery: 4,
    fidSamples: 64,
    gridEvery: 10,
    kidEvery: 50,
  },
  full: {
    resolution: 64,
    filters: 64,
    latentDim: 100,
    epochs: 100,
    nCritic: 5,
    emaDecay: 0.999,
    penaltyEvery: 1, // not measured at 64 px yet
    fidSamples: 512,
    gridEvery: 1,
    kidEvery: 10,
  },
} as const;

/**
 * Epochs of the quick run on wasm or the plain cpu backend (no native kernels: a machine without a
 * compiler): an iteration there is ~6× slower (measured: 94 vs 16 ms), so a quarter of the epochs
 * keeps the run near 7 minutes (measured: 6 min 41 s), Inception scoring (~2.5 min on wasm) included.
 */
export const QUICK_EPOCHS_PORTABLE = 80;

/** What both configurations share. */
export const DEFAULTS = { batchSize: 32, augment: 'none', seed: 1 } as const;

/** What the critic's inputs are augmented with. */
export type AugmentKind = 'diffaugment' | 'ada' | 'none';

export interface RecipeOptions {
  resolution: number;
  latentDim: number;
  /** Base filters of both networks. */
  filters: number;
  /** Critic updates per generator update. */
  nCritic: number;
  /** EMA decay of the sampled generator. */
  emaDecay: number;
  /**
   * Augmentation of everything the critic sees: DiffAugment (Zhao et al. 2020), ADA (Karras et al.
   * 2020: p steered by the critic's overfitting) or none. `true`/`false` mean DiffAugment/none.
   */
  augment: AugmentKind | boolean;
  seed: number;
  /**
   * Minibatch discrimination (Salimans et al. 2016) in the critic. Default false: measured, it
   * triples an iteration here (the penalty's second derivative runs through it) for no gain.
   */
  minibatchDiscrimination?: boolean;
  /** Lazy regularisation: the gradient penalty on every k-th critic step. Default 1. */
  penaltyEvery?: number;
  /** Adam's learning rate of the generator (and of the critic, unless `criticLearningRate`). Default 2e-4. */
  learningRate?: number;
  /** Adam's learning rate of the critic. Default `learningRate`. */
  criticLearningRate?: number;
  /**
   * Held-out real images ADA's r_v heuristic scores the critic on (`augment: 'ada'` needs them:
   * a Wasserstein critic's outputs have no fixed offset, so stylegan2-ada's r_t = E[sign D] says
   * nothing here). Copied; the caller keeps its tensor. `heldOutImages` says how many to keep back.
   */
  validation?: Tensor;
}

/** Images to hold out of training for ADA's r_v: an eighth of the set, at most 64. */
export const heldOutImages = (n: number) => Math.min(64, Math.max(1, Math.floor(n / 8)));

function augmentation(kind: AugmentKind | boolean, validation: Tensor | undefined) {
  if (kind === 'ada') {
    if (!validation)
      throw new Error("pokemonWganGp: augment 'ada' needs validation (held-out real images)");
    // p can go from 0 to 1 within 100k real images (a seventh of a quick run; stylegan2-ada: 500k).
    // Target 0.3, measured (README): r_v stayed below 0.21 on the full set all run long, and
    // sat at 0.2–0.5 on 14 sprites, where the critic does start to memorise.
    return adaptiveAugmentation({ heuristic: 'rv', validation, target: 0.3, speed: 100_000 });
  }
  return kind === true || kind === 'diffaugment' ? diffAugmentation() : undefined;
}

/**
 * The example's recipe, shared by the CLI and the browser page: WGAN-GP (Gulrajani et al. 2017;
 * λ 10, Adam 2e-4, β = (0.5, 0.9)) with DCGAN-shaped networks (Radford et al. 2016), the critic
 * without a normaliser (the paper's advice under a gradient penalty), an EMA generator (Yazıcı
 * et al. 2019); minibatch discrimination (Salimans et al. 2016), DiffAugment (Zhao et al. 2020)
 * and ADA (Karras et al. 2020) as options. The networks are new; the caller disposes them.
 */
export function pokemonWganGp(options: RecipeOptions): TrainerOptions {
  const { resolution, latentDim, filters, seed } = options;
  const stream = new SeedStream(seed);
  const generator = dcganGenerator({
    resolution,
    latentDim,
    baseFilters: filters,
    seed: stream.nextSeed(),
  });
  const discriminator = dcganDiscriminator({
    resolution,
    baseFilters: filters,
    norm: 'none',
    minibatchDiscrimination: options.minibatchDiscrimination
      ? { numKernels: 16, kernelDim: 4 }
      : undefined,
    output: 'score',
    seed: stream.nextSeed(),
  });
  return {
    // Minibatch discrimination mixes the batch: accept it under the penalty, as ProGAN does.
    ...wganGp({
      nCritic: options.nCritic,
      allowBatchCoupling: options.minibatchDiscrimination === true,
      penaltyEvery: options.penaltyEvery,
      generatorLearningRate: options.learningRate,
      discriminatorLearningRate: options.criticLearningRate ?? options.learningRate,
    }),
    generator,
    discriminator,
    seed,
    ema: options.emaDecay > 0 ? { decay: options.emaDecay } : undefined,
    augment: augmentation(options.augment, options.validation),
  };
}

/** Frees what `pokemonWganGp` made: both networks and an ADA augmentation's state (after the trainer). */
export function disposeRecipe(recipe: TrainerOptions): void {
  recipe.generator.dispose();
  recipe.discriminator.dispose();
  const augment = recipe.augment as { dispose?: () => void } | undefined;
  augment?.dispose?.();
}
