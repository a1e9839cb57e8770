import {
  ArgumentError,
  argError,
  functionArg,
  numberArg,
  optionsArg,
  positiveInteger,
  SeedStream,
  seedArg,
} from '@gan/core';
import {
  mean,
  moments,
  type Optimizer,
  randomNormal,
  sqrt,
  type Tensor,
  type Tensor4D,
  tensor2d,
  tidy,
} from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  learningRate,
  modelPart,
  optimizerPart,
  restoreModel,
  restoreOptimizer,
} from './checkpoint/capture';
import {
  CheckpointMismatchError,
  optimizerSetup,
  setupDifferences,
  type TrainerSetup,
} from './checkpoint/setup';
import {
  type Checkpoint,
  CheckpointError,
  type CheckpointStore,
  checkState,
  type TrainerState,
} from './checkpoint/types';
import { classic } from './classic';
import {
  type Augmentation,
  type AugmentFn,
  buildContext,
  checkModels,
  type GanContext,
  type GanLosses,
  type GanOptimizers,
} from './context';
import { checkData, type DataSource, epochBatches } from './data-source';
import { discriminatorStep } from './discriminator-step';
import { Ema, type EmaOptions } from './ema';
import { generatorStep } from './generator-step';
import { checkBatch } from './internal';
import {
  Monitor,
  nonFinite,
  TrainingDivergedError,
  type TrainingWarning,
  type WarningOptions,
} from './monitor';
import { checkEma, checkNanGuard, checkSchedule, checkStore, checkWarnings } from './options';
import type { Schedule, ScheduleFeedback } from './schedule';
import { simultaneousStep } from './simultaneous-step';
import type { StepResult } from './step-result';

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
  /** Real images seen per second since the previous log. */
  imagesPerSecond: number;
}

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

export interface TrainerOptions {
  generator: tfl.LayersModel;
  discriminator: tfl.LayersModel;
  latentDim?: number;
  losses: GanLosses;
  /** Two optimizers; the trainer owns them from now on (it disposes and may replace them). */
  optimizers: GanOptimizers;
  /** Default `classic()`. */
  schedule?: Schedule;
  clipValue?: number;
  /**
   * Differentiable augmentation of everything the discriminator sees: a function, or a named
   * {@link Augmentation} (recorded in checkpoints, its state restored).
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
  /** Read and report losses every this many iterations. Default 10. */
  logEvery?: number;
  samples?: { every: number; count?: number };
  checkpoints?: {
    store: CheckpointStore;
    /** Save every this many iterations. */
    every: number;
    /** Also save when `fit` is aborted. Default true. */
    onAbort?: boolean;
  };
  /**
   * Non-finite losses: 'stop' throws a {@link TrainingDivergedError}; 'rollback' reloads the
   * latest checkpoint with learning rates × `learningRateFactor` (at most `maxRollbacks` times).
   * Default 'stop'.
   */
  nanGuard?: 'stop' | { rollback: true; learningRateFactor?: number; maxRollbacks?: number };
  /** Collapse and divergence warnings; `false` turns them off. */
  warnings?: WarningOptions | false;
  callbacks?: TrainerCallbacks;
}

export interface FitOptions {
  /** Batch size when `data` is a tensor. */
  batchSize?: number;
  /** Stop after this many epochs in total (counting those before a resume). */
  epochs?: number;
  /** Stop after this many iterations of this call. */
  steps?: number;
  signal?: AbortSignal;
  onStep?(metrics: StepMetrics): void | Promise<void>;
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

export interface GenerateOptions {
  /** Seed of z; default a fresh one (never the training stream). */
  seed?: number;
  /** Truncation trick: z components beyond ±t are redrawn. */
  truncation?: number;
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
  /** One iteration on this batch; resolves to metrics on logging iterations. The caller keeps the batch. */
  step(batch: Tensor): Promise<StepMetrics | undefined>;
  fit(data: DataSource, options?: FitOptions): Promise<FitResult>;
  generate(n: number, options?: GenerateOptions): Tensor;
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

export interface LoadOptions {
  /** The checkpoint to load; default the latest. */
  id?: string;
  /** Skip damaged checkpoints (a {@link CheckpointError}), newest first. */
  fallback?: boolean;
  /** Refuse a checkpoint written with other settings. Default true. */
  strict?: boolean;
}

/** A bare augmentation function as a named one ("custom function": its identity is unknown). */
const toAugmentation = (augment: AugmentFn | Augmentation | undefined): Augmentation | undefined =>
  typeof augment === 'function' ? { name: 'custom function', apply: augment } : augment;

/** A GAN trainer: steps chosen by a schedule, metrics, samples, EMA, checkpoints, NaN guard. */
export function createTrainer(options: TrainerOptions): Trainer {
  const fn = 'createTrainer';
  // Every option checked before anything is built.
  optionsArg(fn, options, { required: true });
  checkModels(fn, options.generator, options.discriminator, options.latentDim);
  const seed = seedArg(fn, 'seed', options.seed ?? 0);
  const augmentation = toAugmentation(options.augment);
  if (augmentation) functionArg(fn, 'augment.apply', augmentation.apply);
  const schedule = checkSchedule(fn, options.schedule ?? classic());
  const logEvery = positiveInteger(fn, 'logEvery', options.logEvery ?? 10);
  const callbacks = optionsArg(fn, options.callbacks, { arg: 'callbacks' });
  for (const [name, f] of Object.entries(callbacks))
    if (f != null) functionArg(fn, `callbacks.${name}`, f);
  if (options.samples != null) {
    optionsArg(fn, options.samples, { arg: 'samples' });
    positiveInteger(fn, 'samples.every', options.samples.every);
    positiveInteger(fn, 'samples.count', options.samples.count ?? 16);
  }
  const checkpoints = options.checkpoints;
  if (checkpoints != null) {
    optionsArg(fn, checkpoints, { arg: 'checkpoints' });
    checkStore(fn, 'checkpoints.store', checkpoints.store);
    positiveInteger(fn, 'checkpoints.every', checkpoints.every);
  }
  const guard = checkNanGuard(fn, options.nanGuard ?? 'stop', checkpoints != null);
  const warnings = options.warnings === false ? false : checkWarnings(fn, options.warnings);
  const emaOptions =
    options.ema === true ? {} : options.ema ? checkEma(fn, options.ema) : undefined;
  const ema = emaOptions ? new Ema(options.generator, emaOptions) : undefined;
  const ctx = buildContext(fn, { ...options, augment: augmentation?.apply, seed, ema });
  const warn =
    callbacks.onWarning ?? ((w: TrainingWarning) => console.warn(`[@gan/trainers] ${w.message}`));
  const monitor = warnings === false ? undefined : new Monitor(warnings, warn);
  const sampleLatents =
    options.samples &&
    randomNormal(
      [options.samples.count ?? 16, ctx.latentDim],
      0,
      1,
      'float32',
      (seed ^ 0x5eed) >>> 0,
    );

  const state = {
    iteration: 0,
    discriminatorSteps: 0,
    generatorSteps: 0,
    epoch: 0,
    batchInEpoch: 0,
  };
  let lastD: StepResult | undefined;
  let lastG: StepResult | undefined;
  let feedbackPending = false;
  /** A checkpoint's `feedback`, for the first iteration after a restore (no step results yet). */
  let restoredFeedback: ScheduleFeedback | undefined;
  /** Product of the NaN guard's learning-rate factors (1 = as configured). */
  const learningRateScale = { generator: 1, discriminator: 1 };
  let rollbacks = 0;
  let rolledBack = false;
  let windowStart = performance.now();
  let windowImages = 0;
  const generateStream = new SeedStream((seed ^ 0x6e6e) >>> 0);

  /** Keeps the latest result of each network, disposing the ones no longer referenced. */
  const keepResults = (d: StepResult | undefined, g: StepResult | undefined) => {
    for (const old of new Set([lastD, lastG])) if (old && old !== d && old !== g) old.dispose();
    [lastD, lastG] = [d, g];
  };

  async function readMetrics(): Promise<StepMetrics> {
    const values = { ...(lastD ? await lastD.read() : {}), ...(lastG ? await lastG.read() : {}) };
    const now = performance.now();
    const metrics: StepMetrics = {
      iteration: state.iteration,
      epoch: state.epoch,
      discriminatorSteps: state.discriminatorSteps,
      generatorSteps: state.generatorSteps,
      ...values,
      imagesPerSecond: (windowImages * 1000) / Math.max(now - windowStart, 1e-3),
    };
    if (metrics.realScore != null && metrics.fakeScore != null)
      metrics.wasserstein = metrics.realScore - metrics.fakeScore;
    [windowStart, windowImages] = [now, 0];
    return metrics;
  }

  async function handleNonFinite(metrics: StepMetrics): Promise<boolean> {
    const bad = nonFinite(metrics as unknown as Record<string, number>);
    if (bad.length === 0) return false;
    const what = `losses stopped being finite at iteration ${state.iteration} (${bad.join(', ')})`;
    if (guard === 'stop')
      throw new TrainingDivergedError(
        `${what}. Check the data for NaN/Inf and lower the learning rates, or pass nanGuard: { rollback: true } with checkpoints.`,
        state.iteration,
      );
    const factor = guard.learningRateFactor ?? 0.5;
    const max = guard.maxRollbacks ?? 3;
    if (!checkpoints || (await checkpoints.store.list()).length === 0)
      throw new TrainingDivergedError(
        `${what}, and there is no checkpoint to roll back to.`,
        state.iteration,
      );
    if (rollbacks >= max)
      throw new TrainingDivergedError(
        `${what} after ${max} rollbacks; giving up.`,
        state.iteration,
      );
    rollbacks++;
    const id = await load(checkpoints.store, { fallback: true, learningRateFactor: factor });
    warn({
      kind: 'rolled-back',
      iteration: state.iteration,
      message: `${what}: rolled back to ${id} and multiplied the learning rates by ${factor}.`,
    });
    rolledBack = true;
    return true;
  }

  /** One iteration; `fromData` advances the data position (before any checkpoint is taken). */
  async function iterate(batch: Tensor, fromData: boolean): Promise<StepMetrics | undefined> {
    // Checked before the schedule moves: every iteration, whichever network it trains.
    const n = checkBatch(fromData ? 'trainer.fit' : 'trainer.step', ctx, batch, 'batch');
    let feedback: ScheduleFeedback | undefined;
    if (schedule.needsFeedback && feedbackPending) {
      // The schedule decides from the previous iteration's losses: a sync read, by its nature.
      feedback = restoredFeedback ?? {
        discriminatorLoss: lastD?.tensors.discriminatorLoss?.dataSync()[0],
        generatorLoss: lastG?.tensors.generatorLoss?.dataSync()[0],
      };
      restoredFeedback = undefined;
    }
    const decision = schedule.next(feedback);
    if (
      options.simultaneous &&
      decision.trainDiscriminator &&
      decision.trainGenerator &&
      !decision.swapLabels
    ) {
      const both = simultaneousStep(ctx, batch);
      keepResults(both, both);
      state.discriminatorSteps++;
      state.generatorSteps++;
    } else {
      if (decision.trainDiscriminator) {
        keepResults(discriminatorStep(ctx, batch, { swapLabels: decision.swapLabels }), lastG);
        state.discriminatorSteps++;
      }
      if (decision.trainGenerator) {
        keepResults(lastD, generatorStep(ctx, n));
        state.generatorSteps++;
      }
    }
    feedbackPending = true;
    state.iteration++;
    if (fromData) state.batchInEpoch++;
    windowImages += n;
    let metrics: StepMetrics | undefined;
    if (state.iteration % logEvery === 0) {
      metrics = await readMetrics();
      if (await handleNonFinite(metrics)) return undefined;
      monitor?.observeLoss(state.iteration, metrics.discriminatorLoss);
      await callbacks.onStep?.(metrics);
    }
    if (options.samples && state.iteration % options.samples.every === 0) await samples();
    if (checkpoints && state.iteration % checkpoints.every === 0) {
      // Never checkpoint a diverged state: check the losses if this iteration did not log them.
      if (!metrics && (await handleNonFinite(await readMetrics()))) return undefined;
      await checkpoint();
    }
    return metrics;
  }

  async function samples(): Promise<void> {
    const images = tidy(() => sampler().predict(sampleLatents as Tensor) as Tensor4D);
    try {
      if (monitor) {
        const spread = tidy(() => mean(sqrt(moments(images, 0).variance)));
        monitor.observeDiversity(state.iteration, (await spread.data())[0]);
        spread.dispose();
      }
      await callbacks.onSamples?.(images, state.iteration);
    } finally {
      images.dispose();
    }
  }

  async function checkpoint(): Promise<string> {
    const id = await save();
    callbacks.onCheckpoint?.(id, state.iteration);
    return id;
  }

  const sampler = () => ema?.model ?? ctx.generator;

  function currentSetup(): TrainerSetup {
    return {
      optimizers: {
        generator: optimizerSetup(ctx.optimizers.generator),
        discriminator: optimizerSetup(ctx.optimizers.discriminator),
      },
      learningRateScale: { ...learningRateScale },
      schedule: { name: schedule.name, config: schedule.config },
      augment: augmentation ? { name: augmentation.name, config: augmentation.config } : null,
      ema: ema ? { decay: ema.decay, warmup: ema.warmup } : null,
      clipValue: ctx.clipValue ?? null,
    };
  }

  /** The losses a feedback schedule would read next iteration. */
  async function pendingFeedback(): Promise<ScheduleFeedback | undefined> {
    if (!schedule.needsFeedback || !feedbackPending) return undefined;
    if (restoredFeedback) return { ...restoredFeedback };
    const read = async (t: Tensor | undefined) => (t ? (await t.data())[0] : undefined);
    return {
      discriminatorLoss: await read(lastD?.tensors.discriminatorLoss),
      generatorLoss: await read(lastG?.tensors.generatorLoss),
    };
  }

  async function capture(): Promise<Checkpoint> {
    const parts: Checkpoint['parts'] = {
      generator: await modelPart(ctx.generator),
      discriminator: await modelPart(ctx.discriminator),
      generatorOptimizer: await optimizerPart(ctx.optimizers.generator),
      discriminatorOptimizer: await optimizerPart(ctx.optimizers.discriminator),
    };
    if (ema) parts.ema = await modelPart(ema.model);
    return {
      state: {
        format: 'gan-trainer-checkpoint',
        version: 2,
        ...state,
        rng: ctx.rng.getState(),
        schedule: { name: schedule.name, state: schedule.getState() },
        emaUpdates: ema?.updates,
        learningRates: {
          generator: learningRate(ctx.optimizers.generator),
          discriminator: learningRate(ctx.optimizers.discriminator),
        },
        setup: currentSetup(),
        feedback: await pendingFeedback(),
        generateRng: generateStream.getState(),
        monitor: monitor?.getState(),
        augmentation: augmentation?.getState?.(),
        savedAt: new Date().toISOString(),
      },
      parts,
    };
  }

  async function save(store = checkpoints?.store): Promise<string> {
    if (!store)
      throw new ArgumentError(
        'trainer.save',
        'store',
        'no checkpoint store given (pass one, or set checkpoints.store)',
      );
    return checkStore('trainer.save', 'store', store).save(await capture());
  }

  /**
   * Restores a checkpoint. `learningRateFactor` (the NaN guard's rollback) lowers the learning
   * rates below those in force, compounding over rollbacks.
   */
  async function restore(
    c: Checkpoint,
    label: string,
    opts: { strict?: boolean; learningRateFactor?: number } = {},
  ): Promise<void> {
    const s = checkState(c.state, label);
    const strict = opts.strict ?? true;
    const current = currentSetup();
    const differences = s.setup
      ? setupDifferences(s.setup, current)
      : [
          // Version 1 recorded only these.
          ...(s.schedule.name !== schedule.name
            ? [`schedule: ${s.schedule.name} → ${schedule.name}`]
            : []),
          ...(Boolean(c.parts.ema) !== Boolean(ema)
            ? [`EMA: ${c.parts.ema ? 'kept' : 'none'} → ${ema ? 'kept' : 'none'}`]
            : []),
        ];
    if (strict && differences.length > 0)
      throw new CheckpointMismatchError(
        `load: ${label} does not fit this trainer (in the checkpoint → in this trainer):\n  ${differences.join('\n  ')}\n` +
          "Pass { strict: false } to load it anyway: this trainer's settings are kept and the state that fits is restored.",
        differences,
      );
    const skipped: string[] = [];
    restoreModel(ctx.generator, c.parts.generator, `${label}: generator`);
    restoreModel(ctx.discriminator, c.parts.discriminator, `${label}: discriminator`);
    if (ema && c.parts.ema) {
      restoreModel(ema.model, c.parts.ema, `${label}: ema`);
      ema.updates = s.emaUpdates ?? 0;
    } else if (ema) skipped.push('the EMA generator (the checkpoint has none)');
    const savedScale = s.setup?.learningRateScale ?? { generator: 1, discriminator: 1 };
    const factor = opts.learningRateFactor;
    for (const net of ['generator', 'discriminator'] as const) {
      const part = c.parts[`${net}Optimizer`];
      const { className, config } = part.modelTopology as { className: string; config: object };
      const own = ctx.optimizers[net];
      const settings = (o: object) => JSON.stringify({ ...o, learningRate: 0 });
      // Only with strict: false — slots fit an optimizer of the same class and settings (a
      // learning rate of its own is fine); otherwise this trainer's goes on from a fresh state.
      if (
        className !== own.getClassName() ||
        (!strict && settings(config) !== settings(own.getConfig()))
      ) {
        skipped.push(`the ${net} optimizer's state (${className} ${JSON.stringify(config)})`);
        continue;
      }
      // strict: the checkpoint's optimizer (the same settings); otherwise this trainer's settings.
      const from = strict ? savedScale[net] : learningRateScale[net];
      // A rollback lowers the learning rate below the one in force, compounding.
      const scale = factor == null ? from : learningRateScale[net] * factor;
      const restored = await restoreOptimizer(part, `${label}: ${net} optimizer`, {
        config: strict ? undefined : own.getConfig(),
        learningRateScale: scale / from,
      });
      own.dispose();
      ctx.optimizers[net] = restored;
      learningRateScale[net] = scale;
    }
    if (s.schedule.name === schedule.name) schedule.setState(s.schedule.state as never);
    else
      skipped.push(`the schedule's state (${s.schedule.name}, this trainer has ${schedule.name})`);
    if (augmentation?.setState && s.augmentation !== undefined) {
      if (s.setup?.augment?.name === augmentation.name) augmentation.setState(s.augmentation);
      else skipped.push(`the augmentation's state (${s.setup?.augment?.name ?? 'none'})`);
    }
    ctx.rng.setState(s.rng);
    if (s.generateRng) generateStream.setState(s.generateRng);
    monitor?.setState(s.monitor);
    Object.assign(state, {
      iteration: s.iteration,
      discriminatorSteps: s.discriminatorSteps,
      generatorSteps: s.generatorSteps,
      epoch: s.epoch,
      batchInEpoch: s.batchInEpoch,
    });
    keepResults(undefined, undefined);
    // A feedback schedule reads the latest losses next iteration, as it would have without the stop.
    restoredFeedback = s.feedback;
    feedbackPending = s.feedback !== undefined;
    if (skipped.length)
      warn({
        kind: 'partial-load',
        iteration: state.iteration,
        message: `load (strict: false): ${label} restored without ${skipped.join('; ')}`,
      });
  }

  async function load(
    store = checkpoints?.store,
    opts: LoadOptions & { learningRateFactor?: number } = {},
  ): Promise<string> {
    const fn = 'trainer.load';
    if (!store)
      throw new ArgumentError(
        fn,
        'store',
        'no checkpoint store given (pass one, or set checkpoints.store)',
      );
    checkStore(fn, 'store', store);
    optionsArg(fn, opts);
    if (opts.id !== undefined && typeof opts.id !== 'string')
      argError(fn, 'options.id', "a checkpoint id ('ckpt-000000100')", opts.id);
    const ids = await store.list();
    if (ids.length === 0)
      throw new CheckpointError(
        `${fn}: no checkpoint in ${store.description}`,
        undefined,
        undefined,
      );
    const candidates = opts.id
      ? [opts.id]
      : opts.fallback
        ? [...ids].reverse()
        : [ids[ids.length - 1]];
    let lastError: unknown;
    for (const id of candidates) {
      try {
        await restore(await store.load(id), `checkpoint ${id} in ${store.description}`, opts);
        return id;
      } catch (error) {
        if (!(error instanceof CheckpointError) || !opts.fallback) throw error;
        warn({
          kind: 'rolled-back',
          iteration: state.iteration,
          message: `skipping damaged ${error.message}`,
        });
        lastError = error;
      }
    }
    throw lastError;
  }

  async function fit(data: DataSource, fitOptions: FitOptions = {}): Promise<FitResult> {
    const fn = 'trainer.fit';
    const { signal, steps, epochs } = optionsArg(fn, fitOptions);
    if (steps == null && epochs == null)
      throw new ArgumentError(fn, 'steps', 'give steps or epochs (how long to train)');
    if (steps != null) positiveInteger(fn, 'steps', steps);
    if (epochs != null) positiveInteger(fn, 'epochs', epochs);
    checkData(fn, data);
    const stopAt = steps == null ? Number.POSITIVE_INFINITY : state.iteration + steps;
    const startIteration = state.iteration;
    let last: StepMetrics | undefined;
    const aborted = () => signal?.aborted === true;
    const finish = async (stopped: FitResult['stopped']): Promise<FitResult> => {
      let id: string | undefined;
      if (stopped === 'aborted' && checkpoints && checkpoints.onAbort !== false)
        id = await checkpoint();
      return {
        iterations: state.iteration - startIteration,
        epochs: state.epoch,
        stopped,
        last,
        checkpoint: id,
      };
    };
    while (epochs == null || state.epoch < epochs) {
      rolledBack = false;
      for await (const batch of epochBatches(
        data,
        state.epoch,
        state.batchInEpoch,
        fitOptions.batchSize,
        seed,
      )) {
        try {
          if (aborted()) return finish('aborted');
          const metrics = await iterate(batch, true);
          if (rolledBack) break;
          if (metrics) {
            last = metrics;
            await fitOptions.onStep?.(metrics);
          }
        } finally {
          batch.dispose();
        }
        if (state.iteration >= stopAt) return finish('done');
      }
      if (rolledBack) continue;
      if (aborted()) return finish('aborted');
      state.epoch++;
      state.batchInEpoch = 0;
      await callbacks.onEpochEnd?.(state.epoch - 1, last);
      await fitOptions.onEpochEnd?.(state.epoch - 1, last);
    }
    return finish('done');
  }

  function generate(n: number, generateOptions: GenerateOptions = {}): Tensor {
    const fn = 'trainer.generate';
    positiveInteger(fn, 'n', n);
    const opts = optionsArg(fn, generateOptions);
    const stream =
      opts.seed == null ? generateStream : new SeedStream(seedArg(fn, 'seed', opts.seed));
    const t = opts.truncation;
    // Components beyond ±t are redrawn: below 0.1 (8% kept) the draws would take forever.
    if (t != null) numberArg(fn, 'truncation', t, { min: 0.1 });
    return tidy(() => {
      let z: Tensor;
      if (t == null) {
        z = randomNormal([n, ctx.latentDim], 0, 1, 'float32', stream.nextSeed());
      } else {
        const values: number[][] = [];
        for (let i = 0; i < n; i++) {
          const row: number[] = [];
          while (row.length < ctx.latentDim) {
            const v = stream.normal();
            if (Math.abs(v) <= t) row.push(v);
          }
          values.push(row);
        }
        z = tensor2d(values);
      }
      return sampler().predict(z) as Tensor;
    });
  }

  return {
    context: ctx,
    state,
    get sampler() {
      return sampler();
    },
    step: (batch) => iterate(batch, false),
    fit,
    generate,
    save,
    load: (store, opts) => load(store, opts),
    dispose() {
      keepResults(undefined, undefined);
      ctx.optimizers.generator.dispose();
      ctx.optimizers.discriminator.dispose();
      ema?.dispose();
      if (sampleLatents) sampleLatents.dispose();
    },
  };
}
