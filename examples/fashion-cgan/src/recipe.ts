import { conditionalDcganDiscriminator, conditionalDcganGenerator } from '@gan/models';
import { acganLosses, hinge, type TrainerOptions } from '@gan/trainers';

/** Fashion-MNIST's size and classes. */
export const RESOLUTION = 28;
export const CLASSES = 10;

export interface RecipeOptions {
  latentDim: number;
  /** Base filters of both networks. */
  filters: number;
  /** How D uses the labels. */
  conditioning: 'projection' | 'acgan' | 'both';
  /** D's normalisation. */
  norm: 'spectral' | 'layer' | 'none';
  /** EMA decay of the sampled generator (0: none). */
  emaDecay: number;
  /** Adam's learning rates (G, D). */
  learningRate: number;
  criticLearningRate: number;
  seed: number;
}

/** The measured defaults (README: "How the recipe was chosen"). */
export const DEFAULTS: RecipeOptions & { batchSize: number; epochs: number } = {
  latentDim: 64,
  filters: 32,
  conditioning: 'both',
  norm: 'spectral',
  emaDecay: 0.999,
  learningRate: 2e-4,
  criticLearningRate: 2e-4,
  seed: 1,
  batchSize: 64,
  epochs: 6,
};

/**
 * A class-conditional DCGAN for 28×28 gray images and 10 classes: G with the label embedded and
 * joined to z and conditional batch norm (per-class γ, β); D with a projection term and an
 * auxiliary classifier head ('both'), hinge loss + ACGAN's auxiliary losses.
 */
export function fashionCgan(options: RecipeOptions): TrainerOptions {
  const { latentDim, filters, conditioning, norm, seed } = options;
  const generator = conditionalDcganGenerator({
    resolution: RESOLUTION,
    channels: 1,
    latentDim,
    numClasses: CLASSES,
    baseFilters: filters,
    embeddingDim: 32,
    seed,
  });
  const discriminator = conditionalDcganDiscriminator({
    resolution: RESOLUTION,
    channels: 1,
    numClasses: CLASSES,
    baseFilters: filters,
    conditioning,
    norm,
    output: 'logit',
    seed: seed + 1,
  });
  const preset = hinge({
    generatorLearningRate: options.learningRate,
    discriminatorLearningRate: options.criticLearningRate,
    beta1: 0.5,
    beta2: 0.999,
  });
  return {
    ...preset,
    losses:
      conditioning === 'projection'
        ? preset.losses
        : { ...preset.losses, auxiliary: acganLosses() },
    generator,
    discriminator,
    seed,
    ema: options.emaDecay > 0 ? { decay: options.emaDecay } : false,
  };
}
