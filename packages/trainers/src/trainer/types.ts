import type { Batch } from '@gan/core';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TrainerCallback } from '../callbacks/callback';
import type { Every } from '../callbacks/every';
import type { CheckpointStore, TrainerState } from '../checkpoint/types';
import type { Augmentation, AugmentFn, GanContext, GanLosses, GanOptimizers } from '../context';
import type { DataSource } from '../data-source';
import type { EmaOptions } from '../ema';
import type { TrainingWarning, WarningOptions } from '../monitor';
import type { Schedule } from '../schedules/schedule';

/** What a logged step reports. Losses are those of the latest update of each network. */
export interface StepMetrics {
  iteration: number;
  epoch: number;
  discriminatorSteps: number;
  generatorSteps: number;
  discriminatorLoss?: number;
  generatorLoss?: number;
  penalty?: number;
  /** Mean D(x) and D(G(z)) of the latest discriminator step. */
  realScore?: number;
  fakeScore?: number;
  /** realScore − fakeScore: a critic's estimate of the Wasserstein distance (WGAN losses). */
  wasserstein?: number;
  /** Global L2 norms of the latest updates' gradients (with `gradientNorms: true`). */
  discriminatorGradientNorm?: number;
  generatorGradientNorm?: number;
  /** The auxiliary classifier's losses (ACGAN: a class head), part of the networks' losses. */
  discriminatorAuxiliaryLoss?: number;
  generatorAuxiliaryLoss?: number;
  /**
   * The augmentation probability p of an adaptive augmentation (`@gan/data`'s
   * `adaptiveAugmentation()`), read with the losses; any {@link Augmentation}'s `metrics()` lands here.
   */
  augmentP?: number;
  /** The overfitting heuristic r (r_t or r_v) at adaptive augmentation's last update of p. */
  augmentR?: number;
  /** Real images seen per second since the previous read. */
  imagesPerSecond: number;
}

/**
 * The callbacks of releases before 0.1, as one object.
 * @deprecated Pass an array of {@link TrainerCallback}s (`callbacks: [{ onStep(trainer, m) {…} }]`)
 * and `onWarning` as a trainer option; this object still works and is converted to one callback.
 */
export interface TrainerCallbacks {
  /** Every `logEvery` iterations, with the losses read (one GPU sync). */
  onStep?(metrics: StepMetrics): void | Promise<void>;
  onEpochEnd?(epoch: number, metrics: StepMetrics | undefined): void | Promise<void>;
  /** Every `samples.every` iterations: G (EMA if enabled) on a fixed latent batch; disposed after the call. */
  onSamples?(images: Tensor4D, iteration: number): void | Promise<void>;
  onCheckpoint?(id: string, iteration: number): void;
  /** Default: console.warn. */
  onWarning?(warning: TrainingWarning): void;
}

/** How and when the trainer saves: sugar for the {@link saveCheckpoints} callback. */
export interface CheckpointPolicy {
  store: CheckpointStore;
  /** Save every this many iterations, or `{ epochs }` / `{ iterations }`. */
  every: number | Every;
  /** Also save when `fit` is aborted. Default true. */
  onAbort?: boolean;
}

export interface TrainerOptions {
  generator: tfl.LayersModel;
  discriminator: tfl.LayersModel;
  latentDim?: number;
  losses: GanLosses;
  /** Two optimizers; the trainer owns them from now on (it disposes and may replace them). */
  optimizers: GanOptimizers;
  /** Default `classic()`. */
  schedule?: Schedule;
  /**
   * Clip the discriminator's weights to [−c, c] after each of its updates (the original WGAN's
   * c = 0.01, as `wgan()` sets): `@gan/losses`' `weightClipping(weights, c)`. Recorded in checkpoints.
   */
  weightClipping?: number;
  /** @deprecated Renamed `weightClipping`; this name still works until the next minor. */
  clipValue?: number;
  /**
   * Lazy regularisation (Karras et al. 2020, StyleGAN2): the penalty (`losses.penalty`) on every
   * k-th critic step only, scaled by k — the same regularisation on average for a k-th of its
   * cost. Default 1 (every step). Recorded in checkpoints.
   */
  penaltyEvery?: number;
  /**
   * Differentiable augmentation of everything the discriminator sees: a function, or a named
   * {@link Augmentation} (recorded in checkpoints, its state restored; its `observe` sees D's
   * real outputs after each discriminator step and its `metrics` join the metrics). The trainer
   * does not dispose it: `adaptiveAugmentation()` holds tf.Variables, `dispose()` it when done.
   */
  augment?: AugmentFn | Augmentation;
  /** Seed of everything random in training (z, penalties, label flips, data order). Default 0. */
  seed?: number;
  /** Keep an EMA of the generator (`true` = decay 0.999); `generate` and samples use it. */
  ema?: boolean | EmaOptions;
  /** Report gradient norms in the metrics (see {@link StepMetrics}). Default false. */
  gradientNorms?: boolean;
  /** Update both networks from the same state when the schedule trains both (`simultaneousStep`). */
  simultaneous?: boolean;
  /** Read the losses (one sync) every this many iterations: the default `every` of callbacks. Default 10. */
  logEvery?: number;
  /**
   * Fixed latents that the collapse check (and the deprecated `onSamples`) samples every
   * `every` iterations.
   */
  samples?: { every: number; count?: number };
  /** The checkpoint policy; the NaN guard rolls back to its store. */
  checkpoints?: CheckpointPolicy;
  /**
   * Non-finite losses: 'stop' throws a {@link TrainingDivergedError}; 'rollback' reloads the
   * latest checkpoint with learning rates × `learningRateFactor` (at most `maxRollbacks` times).
   * Default 'stop'.
   */
  nanGuard?: 'stop' | { rollback: true; learningRateFactor?: number; maxRollbacks?: number };
  /**
   * Thresholds of the collapse and divergence checks; `null` for no checks. (`false`, the old
   * spelling of none, still works: deprecated, see {@link createTrainer}'s second signature.)
   */
  warnings?: WarningOptions | null;
  /** Where warnings go (collapse, divergence, rollbacks, partial loads). Default console.warn; `null` silences them. */
  onWarning?: ((warning: TrainingWarning) => void) | null;
  /** Extension points: run in order at their `every`, at the start and at the end of `fit`. */
  callbacks?: TrainerCallback[] | TrainerCallbacks;
}

export interface FitOptions {
  /** Batch size when `data` is a tensor. */
  batchSize?: number;
  /** Stop after this many epochs in total (counting those before a resume). */
  epochs?: number;
  /** Stop after this many iterations of this call. */
  steps?: number;
  signal?: AbortSignal;
  /** More callbacks, for this call only (after the trainer's). */
  callbacks?: TrainerCallback[];
  /** @deprecated Pass `callbacks: [{ onStep(trainer, metrics) {…} }]`. */
  onStep?(metrics: StepMetrics): void | Promise<void>;
  /** @deprecated Pass `callbacks: [{ every: { epochs: 1 }, onStep(trainer, metrics) {…} }]`. */
  onEpochEnd?(epoch: number, metrics: StepMetrics | undefined): void | Promise<void>;
}

export interface FitResult {
  iterations: number;
  epochs: number;
  stopped: 'done' | 'aborted';
  last: StepMetrics | undefined;
  /** The checkpoint written because of an abort, if any. */
  checkpoint?: string;
}

/** What a `fit` call is going to do: callbacks' `onTrainBegin` receives it. */
export interface FitPlan {
  /** Iteration and epoch the call starts at (not 0 after a resume). */
  startIteration: number;
  startEpoch: number;
  /** Iterations in one epoch, when the data source knows its length. */
  iterationsPerEpoch?: number;
  /** The iteration the call will stop at, when known (`steps`, or `epochs` of a sized source). */
  stopIteration?: number;
  epochs?: number;
}

export interface GenerateOptions {
  /**
   * A class-conditional generator's classes: one for every image, one per image (an array or an
   * int32 tensor [n]). Default: the classes in turn, 0, 1, …, K − 1, 0, …
   */
  labels?: number | number[] | Tensor;
  /** Seed of z; default a fresh one (never the training stream). */
  seed?: number;
  /** Truncation trick: z components beyond ±t are redrawn. */
  truncation?: number;
}

export interface LoadOptions {
  /** The checkpoint to load; default the latest. */
  id?: string;
  /** Skip damaged checkpoints (a {@link CheckpointError}), newest first. */
  fallback?: boolean;
  /** Refuse a checkpoint written with other settings. Default true. */
  strict?: boolean;
}

export interface Trainer {
  readonly context: GanContext;
  readonly state: Readonly<
    Pick<
      TrainerState,
      'iteration' | 'discriminatorSteps' | 'generatorSteps' | 'epoch' | 'batchInEpoch'
    >
  >;
  /** The generator `generate` and samples use (the EMA one when enabled). */
  readonly sampler: tfl.LayersModel;
  /**
   * One iteration on this batch (`{ images, labels }` for a class-conditional GAN); resolves to
   * metrics on logging iterations. The caller keeps the batch.
   */
  step(batch: Batch): Promise<StepMetrics | undefined>;
  fit(data: DataSource, options?: FitOptions): Promise<FitResult>;
  /** `n` images from the sampler, or the images of given latents (`[n, latentDim]`). */
  generate(n: number | Tensor, options?: GenerateOptions): Tensor;
  save(store?: CheckpointStore): Promise<string>;
  /**
   * Restores a checkpoint (the latest by default; `fallback` skips damaged ones, newest first).
   * A checkpoint written with other settings (optimizer class or hyper-parameters, schedule,
   * augmentation, EMA, clipping) throws a {@link CheckpointMismatchError} saying what differs;
   * `strict: false` loads it anyway, keeping this trainer's settings and restoring the state that
   * fits (weights always; optimizer slots of the same class; schedule and augmentation state of
   * the same kind), with a warning for the rest. Other weight shapes never load.
   */
  load(store?: CheckpointStore, options?: LoadOptions): Promise<string>;
  dispose(): void;
}
