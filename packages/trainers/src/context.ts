import {
  aliasArg,
  argError,
  assertArg,
  functionArg,
  optionsArg,
  positiveInteger,
  positiveNumber,
  SeedStream,
  seedArg,
} from '@gan/core';
import type { Critic } from '@gan/losses';
import type { Optimizer, Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { deprecatedField } from './deprecated-field';
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

/** What a discriminator step shows an {@link Augmentation}'s `observe` besides D's real outputs. */
export interface ObservedStep {
  /** D's outputs on the augmented generated batch of the same step. */
  fakeOutput: Tensor;
  /**
   * D (as updated by the step) on other images, e.g. held-out reals for a validation
   * heuristic; a new tensor the caller disposes (or calls inside a tidy).
   */
  discriminate(images: Tensor): Tensor;
}

/**
 * An augmentation that checkpoints can name: its `name` and `config` are recorded, so a
 * checkpoint written with another augmentation does not load silently, and its state (if any)
 * is saved and restored. `@gan/data`'s `diffAugmentation()` and `adaptiveAugmentation()` make
 * one; a bare {@link AugmentFn} is recorded as "custom function". The trainer never disposes it.
 */
export interface Augmentation {
  readonly name: string;
  /** JSON describing the settings (compared on load). */
  readonly config?: unknown;
  apply: AugmentFn;
  /**
   * Called by every discriminator step (and `simultaneousStep`) after D's update, outside the
   * gradient tape, with D's outputs on the augmented real batch and {@link ObservedStep} —
   * adaptive augmentation steers its p from them. Keep it on the device (no `data()`): the step
   * disposes the tensors after.
   */
  observe?(realOutput: Tensor, step: ObservedStep): void;
  /**
   * Scalars reported with the trainer's metrics (`augmentP`), read in the same sync as the losses
   * at `logEvery`: new tensors, which the trainer disposes after reading.
   */
  metrics?(): Record<string, Scalar>;
  /**
   * JSON state that changes during training (restored exactly on load), or a promise of it:
   * the trainer awaits it, so reading it from the device need not block.
   */
  getState?(): unknown;
  setState?(state: unknown): void;
}

/**
 * An `augment` option (a function, an {@link Augmentation} or nothing) as an Augmentation, after
 * checking it under `fn`: a bare function is named "custom function".
 */
export function augmentationArg(
  fn: string,
  arg: string,
  value: AugmentFn | Augmentation | null | undefined,
): Augmentation | undefined {
  if (value == null) return undefined;
  if (typeof value === 'function') return { name: 'custom function', apply: value };
  if (typeof value !== 'object')
    argError(fn, arg, 'a function (images, seed) => images, or an Augmentation', value);
  functionArg(fn, `${arg}.apply`, value.apply);
  for (const hook of ['observe', 'metrics', 'getState', 'setState'] as const)
    if (value[hook] != null) functionArg(fn, `${arg}.${hook}`, value[hook]);
  return value;
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
  /**
   * Clip the discriminator's weights to [−c, c] after each of its updates (original WGAN), with
   * `@gan/losses`' `weightClipping(weights, c)`.
   */
  weightClipping?: number;
  /**
   * @deprecated Renamed `weightClipping`; on a context from `createContext` or `createTrainer` it
   * reads and writes `weightClipping`, and the steps still honour it, until the next minor.
   */
  clipValue?: number;
  /**
   * Applied to everything D sees, real and generated: a function, or an {@link Augmentation},
   * whose `observe` the discriminator steps then call (adaptive augmentation).
   */
  augment?: AugmentFn | Augmentation;
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
  /** Clip the discriminator's weights to [−c, c] after each of its updates (c > 0; original WGAN: 0.01). */
  weightClipping?: number;
  /** @deprecated Renamed `weightClipping`; this name still works until the next minor. */
  clipValue?: number;
  /** A function or an {@link Augmentation} (`@gan/data`'s `adaptiveAugmentation()`). */
  augment?: AugmentFn | Augmentation;
  ema?: Ema;
  gradientNorms?: boolean;
}

/** Builds a {@link GanContext}, checking that the two models fit together. */
export function createContext(options: ContextOptions): GanContext {
  return buildContext('createContext', options);
}

const isModel = (m: unknown): m is tfl.LayersModel =>
  (m as tfl.LayersModel)?.inputs?.length === 1 &&
  typeof (m as tfl.LayersModel).apply === 'function';

/**
 * The generator's latent size, after checking that G and D are single-input models that fit
 * together (what G makes is what D takes). `fn` is the function the user called.
 */
export function checkModels(
  fn: string,
  generator: unknown,
  discriminator: unknown,
  latentDim?: unknown,
): number {
  if (!isModel(generator)) argError(fn, 'generator', 'a single-input tfjs-layers model', generator);
  if (!isModel(discriminator))
    argError(fn, 'discriminator', 'a single-input tfjs-layers model', discriminator);
  const input = generator.inputs[0].shape;
  assertArg(
    input.length === 2,
    fn,
    () =>
      `generator must take latent vectors [n, latentDim], its input is [${input.map((d) => d ?? 'n')}]`,
    'generator',
  );
  const size = input[1] as number;
  if (latentDim !== undefined) {
    positiveInteger(fn, 'latentDim', latentDim);
    assertArg(
      latentDim === size || size == null,
      fn,
      () => `latentDim is ${latentDim}, but the generator takes ${size}`,
      'latentDim',
    );
  }
  const produced = generator.outputs[0].shape.slice(1).join('×');
  const expected = discriminator.inputs[0].shape.slice(1).join('×');
  assertArg(
    produced === expected,
    fn,
    () => `the generator makes ${produced} samples but the discriminator takes ${expected}`,
  );
  return positiveInteger(fn, 'latentDim', latentDim ?? size);
}

const isOptimizer = (o: unknown): o is Optimizer =>
  typeof (o as Optimizer)?.minimize === 'function' &&
  typeof (o as Optimizer)?.applyGradients === 'function';

/** {@link createContext} reporting errors under `fn` (createTrainer's options are the same). */
export function buildContext(fn: string, options: ContextOptions): GanContext {
  const opts = optionsArg(fn, options, { required: true });
  const { generator, discriminator, losses, optimizers } = opts;
  const latentDim = checkModels(fn, generator, discriminator, opts.latentDim);
  optionsArg(fn, losses, { arg: 'losses', required: true });
  functionArg(fn, 'losses.discriminator', losses.discriminator);
  functionArg(fn, 'losses.generator', losses.generator);
  if (losses.penalty != null) functionArg(fn, 'losses.penalty', losses.penalty);
  optionsArg(fn, optimizers, { arg: 'optimizers', required: true });
  for (const net of ['generator', 'discriminator'] as const)
    if (!isOptimizer(optimizers[net]))
      argError(fn, `optimizers.${net}`, 'a tf.Optimizer (tf.train.adam(…), …)', optimizers[net]);
  assertArg(
    optimizers.generator !== optimizers.discriminator,
    fn,
    'use two optimizers; one would mix the networks’ moment estimates',
    'optimizers',
  );
  const weightClipping = aliasArg(fn, opts, 'weightClipping', 'clipValue');
  if (weightClipping != null)
    positiveNumber(
      fn,
      opts.clipValue !== undefined ? 'clipValue' : 'weightClipping',
      weightClipping,
    );
  augmentationArg(fn, 'augment', opts.augment);
  const ctx: GanContext = {
    generator,
    discriminator,
    latentDim,
    losses,
    optimizers,
    rng: new SeedStream(seedArg(fn, 'seed', opts.seed ?? 0)),
    weightClipping,
    augment: opts.augment,
    ema: opts.ema,
    gradientNorms: opts.gradientNorms,
  };
  return deprecatedField(ctx, 'clipValue', 'weightClipping');
}

/**
 * The clipping bound a step applies: `ctx.weightClipping`, or the deprecated `ctx.clipValue` of
 * a context built by hand (on a built one the two are the same field).
 */
export function contextClipping(ctx: GanContext): number | undefined {
  return ctx.weightClipping ?? ctx.clipValue;
}

/** A model's trainable weights as the tf.Variables optimizers update, in a fixed order. */
export function trainableVariables(model: tfl.LayersModel): Variable[] {
  if (!Array.isArray(model?.trainableWeights))
    argError('trainableVariables', 'model', 'a tfjs-layers model', model);
  return model.trainableWeights.map((w) => w.read() as Variable);
}
