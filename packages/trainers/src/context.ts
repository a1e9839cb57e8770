import {
  ArgumentError,
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

/**
 * The auxiliary classifier's losses of a discriminator with a class head (ACGAN, Odena et al.
 * 2017), added to the adversarial ones: `acganLosses()` makes them from `@gan/losses`'
 * `acganDiscriminatorLoss` / `acganGeneratorLoss`. `labels` are the classes (one-hot
 * `[n, numClasses]`) of the real batch, which the generated batch of a discriminator step shares.
 */
export interface AuxiliaryLosses {
  discriminator(
    realClassLogits: Tensor,
    fakeClassLogits: Tensor,
    labels: Tensor,
    context: LossContext,
  ): Scalar;
  generator(fakeClassLogits: Tensor, labels: Tensor, context: LossContext): Scalar;
}

export interface GanLosses {
  discriminator: DiscriminatorLossFn;
  generator: GeneratorLossFn;
  penalty?: PenaltyFn;
  /** Needed when the discriminator has a class head (a second output, ACGAN): `acganLosses()`. */
  auxiliary?: AuxiliaryLosses;
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
  /**
   * Classes of a class-conditional GAN: the generator takes `[z, labels]` (labels one-hot
   * `[n, numClasses]`), batches are `{ images, labels }`. Absent for an unconditional GAN.
   */
  numClasses?: number;
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
  Array.isArray((m as tfl.LayersModel)?.inputs) &&
  typeof (m as tfl.LayersModel).apply === 'function';

const shapeText = (shape: (number | null)[]) => `[${shape.map((d) => d ?? 'n')}]`;

/**
 * What a pair of models is: unconditional (G takes z, D takes images and returns one score) or
 * class-conditional — G takes `[z, labels]`, D takes `[images, labels]` (a projection
 * discriminator), or images alone with a class head as a second output `[n, numClasses]`
 * (ACGAN), or both. Labels reach the models one-hot, `[n, numClasses]`.
 */
export interface ModelKinds {
  latentDim: number;
  numClasses?: number;
  /** D takes `[images, labels]`. */
  discriminatorTakesLabels: boolean;
  /** D returns `[score, classLogits]`. */
  classHead: boolean;
}

/**
 * The generator's latent size and the models' conditioning, after checking that G and D fit
 * together (what G makes is what D takes; both see the same classes). `fn` is the function the
 * user called.
 */
export function checkModels(
  fn: string,
  generator: unknown,
  discriminator: unknown,
  latentDim?: unknown,
): number {
  return modelKinds(fn, generator, discriminator, latentDim).latentDim;
}

/** {@link checkModels}, with the conditioning it found. */
export function modelKinds(
  fn: string,
  generator: unknown,
  discriminator: unknown,
  latentDim?: unknown,
): ModelKinds {
  const expectedG = 'a tfjs-layers model taking z, or [z, labels] for a class-conditional GAN';
  const expectedD =
    'a tfjs-layers model taking images (or [images, labels]), returning scores (or [scores, classLogits])';
  if (!isModel(generator) || generator.inputs.length > 2)
    argError(fn, 'generator', expectedG, generator);
  if (
    !isModel(discriminator) ||
    discriminator.inputs.length > 2 ||
    discriminator.outputs.length > 2
  )
    argError(fn, 'discriminator', expectedD, discriminator);
  const input = generator.inputs[0].shape;
  assertArg(
    input.length === 2,
    fn,
    () => `generator must take latent vectors [n, latentDim], its input is ${shapeText(input)}`,
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
  // Class counts, where each model shows one: G's and D's label inputs, D's class head.
  const labelWidth = (shape: (number | null)[], what: string, arg: string) => {
    assertArg(
      shape.length === 2 && shape[1] != null,
      fn,
      () => `${what} must be one-hot labels [n, numClasses], got ${shapeText(shape)}`,
      arg,
    );
    return shape[1] as number;
  };
  const counts: [string, number][] = [];
  if (generator.inputs.length === 2)
    counts.push([
      'the generator takes',
      labelWidth(generator.inputs[1].shape, "the generator's second input", 'generator'),
    ]);
  const discriminatorTakesLabels = discriminator.inputs.length === 2;
  if (discriminatorTakesLabels)
    counts.push([
      'the discriminator takes',
      labelWidth(
        discriminator.inputs[1].shape,
        "the discriminator's second input",
        'discriminator',
      ),
    ]);
  const classHead = discriminator.outputs.length === 2;
  if (classHead)
    counts.push([
      'the discriminator classifies',
      labelWidth(
        discriminator.outputs[1].shape,
        "the discriminator's second output (class logits)",
        'discriminator',
      ),
    ]);
  const score = discriminator.outputs[0].shape;
  assertArg(
    score.length === 2 && score[1] === 1,
    fn,
    () =>
      `the discriminator's ${classHead ? 'first ' : ''}output must be one score per image [n, 1], got ${shapeText(score)}`,
    'discriminator',
  );
  const conditional = generator.inputs.length === 2;
  if (!conditional && counts.length > 0)
    throw new ArgumentError(
      fn,
      'generator',
      `${counts[0][0]} ${counts[0][1]} classes but the generator takes no labels: a class-conditional GAN's generator takes [z, labels]`,
    );
  if (conditional && counts.length === 1)
    throw new ArgumentError(
      fn,
      'discriminator',
      'the generator takes labels but the discriminator neither takes them ([images, labels], projection) nor classifies (a class head, ACGAN): nothing would teach G the classes',
    );
  const numClasses = counts[0]?.[1];
  const other = counts.find(([, k]) => k !== numClasses);
  if (other)
    throw new ArgumentError(
      fn,
      'discriminator',
      `${counts[0][0]} ${numClasses} classes but ${other[0]} ${other[1]}`,
    );
  return {
    latentDim: positiveInteger(fn, 'latentDim', latentDim ?? size),
    numClasses,
    discriminatorTakesLabels,
    classHead,
  };
}

const isOptimizer = (o: unknown): o is Optimizer =>
  typeof (o as Optimizer)?.minimize === 'function' &&
  typeof (o as Optimizer)?.applyGradients === 'function';

/** {@link createContext} reporting errors under `fn` (createTrainer's options are the same). */
export function buildContext(fn: string, options: ContextOptions): GanContext {
  const opts = optionsArg(fn, options, { required: true });
  const { generator, discriminator, losses, optimizers } = opts;
  const kinds = modelKinds(fn, generator, discriminator, opts.latentDim);
  const { latentDim, numClasses } = kinds;
  optionsArg(fn, losses, { arg: 'losses', required: true });
  functionArg(fn, 'losses.discriminator', losses.discriminator);
  functionArg(fn, 'losses.generator', losses.generator);
  if (losses.penalty != null) functionArg(fn, 'losses.penalty', losses.penalty);
  if (losses.auxiliary != null) {
    optionsArg(fn, losses.auxiliary, { arg: 'losses.auxiliary' });
    functionArg(fn, 'losses.auxiliary.discriminator', losses.auxiliary.discriminator);
    functionArg(fn, 'losses.auxiliary.generator', losses.auxiliary.generator);
  }
  if (kinds.classHead && losses.auxiliary == null)
    throw new ArgumentError(
      fn,
      'losses.auxiliary',
      'the discriminator has a class head (a second output): give losses.auxiliary, e.g. acganLosses()',
    );
  if (!kinds.classHead && losses.auxiliary != null)
    throw new ArgumentError(
      fn,
      'losses.auxiliary',
      'losses.auxiliary needs a discriminator with a class head ([scores, classLogits] outputs)',
    );
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
    ...(numClasses === undefined ? {} : { numClasses }),
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
