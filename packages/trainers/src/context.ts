import { SeedStream } from '@gan/core';
import type { Critic } from '@gan/losses';
import type { Optimizer, Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Ema } from './ema';

/** Extra arguments every loss receives from a step. */
export interface LossContext {
  /** A fresh seed for this loss's randomness (label flips): pass it on for reproducible runs. */
  seed: number;
}

/**
 * A discriminator loss over the discriminator's outputs on real and generated batches: any
 * `xxxDiscriminatorLoss` of `@gan/losses` fits, e.g. `wassersteinDiscriminatorLoss`, or
 * `(r, f, c) => minimaxDiscriminatorLoss(r, f, { ...c, realLabel: 0.9 })`.
 */
export type DiscriminatorLossFn = (
  realOutput: Tensor,
  fakeOutput: Tensor,
  context: LossContext,
) => Scalar;

/** A generator loss over the discriminator's outputs on generated samples (`nonSaturatingGeneratorLoss`, …). */
export type GeneratorLossFn = (fakeOutput: Tensor, context: LossContext) => Scalar;

/**
 * A penalty on the critic added to the discriminator loss: `gradientPenalty` fits as it is;
 * R1 is `(d, real, _fake, c) => r1Penalty(d, real, c)`.
 */
export type PenaltyFn = (
  critic: Critic,
  real: Tensor,
  fake: Tensor,
  context: LossContext,
) => Scalar;

/** Differentiable augmentation applied to real and generated images alike (DiffAugment). */
export type AugmentFn = (images: Tensor, seed: number) => Tensor;

/**
 * An augmentation that checkpoints can name: its `name` and `config` are recorded, so a
 * checkpoint written with another augmentation does not load silently, and its state (if any)
 * is saved and restored. `@gan/data`'s `diffAugmentation()` makes one; a bare {@link AugmentFn}
 * is recorded as "custom function".
 */
export interface Augmentation {
  readonly name: string;
  /** JSON describing the settings (compared on load). */
  readonly config?: unknown;
  apply: AugmentFn;
  /** JSON state that changes during training (restored exactly on load). */
  getState?(): unknown;
  setState?(state: unknown): void;
}

export interface GanLosses {
  discriminator: DiscriminatorLossFn;
  generator: GeneratorLossFn;
  penalty?: PenaltyFn;
}

export interface GanOptimizers {
  generator: Optimizer;
  discriminator: Optimizer;
}

/** Everything a step needs; steps read it and update the models, optimizers, RNG and EMA in it. */
export interface GanContext {
  generator: tfl.LayersModel;
  discriminator: tfl.LayersModel;
  latentDim: number;
  losses: GanLosses;
  optimizers: GanOptimizers;
  /** Every random draw of the steps (z, penalty α, label flips, augmentation) comes from here. */
  rng: SeedStream;
  /** Clip the discriminator's weights to [−c, c] after each of its updates (original WGAN). */
  clipValue?: number;
  augment?: AugmentFn;
  ema?: Ema;
  /** Also report each update's global gradient L2 norm (a little extra work per step). */
  gradientNorms?: boolean;
}

export interface ContextOptions {
  generator: tfl.LayersModel;
  discriminator: tfl.LayersModel;
  losses: GanLosses;
  optimizers: GanOptimizers;
  /** Default: the generator's input size. */
  latentDim?: number;
  /** Seed of the context's random stream. Default 0. */
  seed?: number;
  clipValue?: number;
  augment?: AugmentFn;
  ema?: Ema;
  gradientNorms?: boolean;
}

/** Builds a {@link GanContext}, checking that the two models fit together. */
export function createContext(options: ContextOptions): GanContext {
  const { generator, discriminator, losses, optimizers } = options;
  if (generator?.inputs?.length !== 1 || discriminator?.inputs?.length !== 1)
    throw new Error(
      'createContext: generator and discriminator must be single-input tfjs-layers models',
    );
  const inputSize = generator.inputs[0].shape[1];
  const latentDim = options.latentDim ?? inputSize;
  if (!(Number.isInteger(latentDim) && (latentDim as number) > 0))
    throw new Error(`createContext: latentDim must be a positive integer, got ${latentDim}`);
  const produced = generator.outputs[0].shape.slice(1).join('×');
  const expected = discriminator.inputs[0].shape.slice(1).join('×');
  if (produced !== expected)
    throw new Error(
      `createContext: the generator makes ${produced} samples but the discriminator takes ${expected}`,
    );
  if (typeof losses?.discriminator !== 'function' || typeof losses.generator !== 'function')
    throw new Error('createContext: losses.discriminator and losses.generator must be functions');
  if (optimizers?.generator == null || optimizers.discriminator == null)
    throw new Error(
      'createContext: optimizers.generator and optimizers.discriminator are required',
    );
  if (optimizers.generator === optimizers.discriminator)
    throw new Error(
      'createContext: use two optimizers; one would mix the networks’ moment estimates',
    );
  if (options.clipValue != null && !(options.clipValue > 0))
    throw new Error(`createContext: clipValue must be > 0, got ${options.clipValue}`);
  return {
    generator,
    discriminator,
    latentDim: latentDim as number,
    losses,
    optimizers,
    rng: new SeedStream(options.seed ?? 0),
    clipValue: options.clipValue,
    augment: options.augment,
    ema: options.ema,
    gradientNorms: options.gradientNorms,
  };
}

/** A model's trainable weights as the tf.Variables optimizers update, in a fixed order. */
export function trainableVariables(model: tfl.LayersModel): Variable[] {
  return model.trainableWeights.map((w) => w.read() as Variable);
}
