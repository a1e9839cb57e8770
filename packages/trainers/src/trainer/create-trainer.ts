import {
  ArgumentError,
  assertArg,
  type Batch,
  disposeBatch,
  functionArg,
  optionsArg,
  positiveInteger,
  SeedStream,
  sampleLatents,
  seedArg,
  splitBatch,
} from '@gan/core';
import { mean, moments, sqrt, type Tensor, type Tensor4D, tidy } from '@tensorflow/tfjs-core';
import { callbacksArg, type ScheduledCallback } from '../callbacks/callback';
import { everyArg, isDue } from '../callbacks/every';
import { type SaveCheckpointsCallback, saveCheckpoints } from '../callbacks/save-checkpoints';
import { augmentationArg, buildContext, checkModels } from '../context';
import { checkData, type DataSource, epochBatches, epochLength } from '../data-source';
import { Ema } from '../ema';
import { Monitor, type TrainingWarning } from '../monitor';
import { checkEma, checkNanGuard, checkSchedule, checkStore, checkWarnings } from '../options';
import { classic } from '../schedules/classic';
import type { ScheduleFeedback } from '../schedules/schedule';
import { discriminatorStep } from '../steps/discriminator-step';
import { generatorStep } from '../steps/generator-step';
import { checkBatch, checkStepLabels } from '../steps/objectives';
import { simultaneousStep } from '../steps/simultaneous-step';
import { createCheckpointing, type FeedbackState } from './checkpointing';
import { generateImages } from './generation';
import { LatestResults } from './metrics';
import { createNanGuard } from './nan-guard';
import type {
  FitOptions,
  FitPlan,
  FitResult,
  StepMetrics,
  Trainer,
  TrainerCallbacks,
  TrainerOptions,
} from './types';

/** The deprecated callbacks object as the parts of the trainer that call it. */
function legacyCallbacks(fn: string, callbacks: unknown): TrainerCallbacks {
  if (callbacks == null || Array.isArray(callbacks)) return {};
  const object = optionsArg(fn, callbacks, { arg: 'callbacks' }) as TrainerCallbacks;
  for (const [name, f] of Object.entries(object))
    if (f != null) functionArg(fn, `callbacks.${name}`, f);
  return object;
}

/**
 * A GAN trainer: steps chosen by a schedule, callbacks at their `every`, EMA, checkpoints, the
 * NaN guard, collapse warnings.
 */
export function createTrainer(options: TrainerOptions): Trainer;
/**
 * @deprecated `warnings: false` still turns the collapse and divergence checks off; write
 * `warnings: null`.
 */
export function createTrainer(
  options: Omit<TrainerOptions, 'warnings'> & { warnings: false },
): Trainer;
export function createTrainer(
  options: Omit<TrainerOptions, 'warnings'> & { warnings?: TrainerOptions['warnings'] | false },
): Trainer {
  const fn = 'createTrainer';
  // Every option checked before anything is built.
  optionsArg(fn, options, { required: true });
  checkModels(fn, options.generator, options.discriminator, options.latentDim);
  const seed = seedArg(fn, 'seed', options.seed ?? 0);
  // A bare function is named "custom function" (its identity is unknown).
  const augmentation = augmentationArg(fn, 'augment', options.augment);
  const schedule = checkSchedule(fn, options.schedule ?? classic());
  const logEvery = positiveInteger(fn, 'logEvery', options.logEvery ?? 10);
  const legacy = legacyCallbacks(fn, options.callbacks);
  if (options.samples != null) {
    optionsArg(fn, options.samples, { arg: 'samples' });
    positiveInteger(fn, 'samples.every', options.samples.every);
    positiveInteger(fn, 'samples.count', options.samples.count ?? 16);
  }
  const callbacks = callbacksArg(fn, 'callbacks', options.callbacks, logEvery);
  if (options.checkpoints != null) {
    optionsArg(fn, options.checkpoints, { arg: 'checkpoints' });
    // Checked here, so that errors name createTrainer's option.
    checkStore(fn, 'checkpoints.store', options.checkpoints.store);
    everyArg(fn, 'checkpoints.every', options.checkpoints.every);
    const policy = saveCheckpoints({
      ...options.checkpoints,
      onSave: legacy.onCheckpoint && ((id, iteration) => legacy.onCheckpoint?.(id, iteration)),
    });
    // After the user's callbacks, so that they see each iteration before it is saved.
    callbacks.push({ callback: policy, every: policy.every });
  }
  const policy = callbacks
    .map((c) => c.callback)
    .find((c): c is SaveCheckpointsCallback => c.name === 'saveCheckpoints' && 'store' in c);
  const guardSetting = checkNanGuard(fn, options.nanGuard ?? 'stop', policy != null);
  // null (and the deprecated false): no checks.
  const warnings =
    options.warnings === null || options.warnings === false
      ? undefined
      : checkWarnings(fn, options.warnings);
  if (options.onWarning != null) functionArg(fn, 'onWarning', options.onWarning);
  const penaltyEvery = positiveInteger(fn, 'penaltyEvery', options.penaltyEvery ?? 1);
  assertArg(
    penaltyEvery === 1 || !options.simultaneous,
    fn,
    'penaltyEvery > 1 (lazy regularisation) needs alternating steps; simultaneous: true takes the penalty every step',
    'penaltyEvery',
  );
  const emaOptions =
    options.ema === true ? {} : options.ema ? checkEma(fn, options.ema) : undefined;
  const ema = emaOptions ? new Ema(options.generator, emaOptions) : undefined;
  const ctx = buildContext(fn, { ...options, seed, ema });
  const warn =
    options.onWarning === null
      ? () => {}
      : (options.onWarning ??
        legacy.onWarning ??
        ((w: TrainingWarning) => console.warn(`[@gan/trainers] ${w.message}`)));
  const monitor = warnings && new Monitor(warnings, warn);
  // The collapse check's fixed latents: a stream of their own, never the training one.
  const fixedLatents =
    options.samples &&
    sampleLatents(
      options.samples.count ?? 16,
      ctx.latentDim,
      new SeedStream((seed ^ 0x5eed) >>> 0),
    );

  const state = {
    iteration: 0,
    discriminatorSteps: 0,
    generatorSteps: 0,
    epoch: 0,
    batchInEpoch: 0,
  };
  const results = new LatestResults(() => augmentation?.metrics?.());
  const feedback: FeedbackState = { pending: false };
  const generateStream = new SeedStream((seed ^ 0x6e6e) >>> 0);
  const sampler = () => ema?.model ?? ctx.generator;
  const checkpointing = createCheckpointing({
    ctx,
    schedule,
    augmentation,
    ema,
    penaltyEvery,
    monitor,
    state,
    results,
    feedback,
    generateStream,
    defaultStore: () => policy?.store,
    warn,
  });
  const nanGuard = createNanGuard(guardSetting, {
    store: () => policy?.store,
    load: checkpointing.load,
    warn,
  });
  /** Set by a rollback: `fit` restarts the epoch the restored checkpoint is in. */
  let rolledBack = false;
  /** The callbacks of the `fit` call in progress, after the trainer's own. */
  let active: ScheduledCallback[] = callbacks;

  /** Reads the metrics and runs the NaN guard; `undefined` when it rolled back. */
  async function readChecked(): Promise<StepMetrics | undefined> {
    const metrics = await results.read(state);
    if (await nanGuard(metrics)) {
      rolledBack = true;
      return undefined;
    }
    return metrics;
  }

  async function runCallbacks(due: ScheduledCallback[], metrics: StepMetrics): Promise<void> {
    for (const { callback } of due) await callback.onStep?.(trainer, metrics);
  }

  /** One iteration; `fromData` advances the data position (before any checkpoint is taken). */
  async function iterate(
    batch: Batch,
    fromData: boolean,
    fitOptions?: FitOptions,
  ): Promise<StepMetrics | undefined> {
    // Checked before the schedule moves: every iteration, whichever network it trains.
    const where = fromData ? 'trainer.fit' : 'trainer.step';
    const { images, labels } = splitBatch(where, 'batch', batch);
    const n = checkBatch(where, ctx, images, 'batch');
    checkStepLabels(where, ctx, labels, n, 'batch');
    let decided: ScheduleFeedback | undefined;
    if (schedule.needsFeedback && feedback.pending) {
      // The schedule decides from the previous iteration's losses: a sync read, by its nature.
      decided = feedback.restored ?? results.feedbackSync();
      feedback.restored = undefined;
    }
    const decision = schedule.next(decided);
    if (
      options.simultaneous &&
      decision.trainDiscriminator &&
      decision.trainGenerator &&
      !decision.swapLabels
    ) {
      const both = simultaneousStep(ctx, batch);
      results.keep(both, both);
      state.discriminatorSteps++;
      state.generatorSteps++;
    } else {
      if (decision.trainDiscriminator) {
        // Lazy regularisation: the penalty on every penaltyEvery-th critic step, scaled to match.
        const lazy =
          penaltyEvery === 1
            ? {}
            : state.discriminatorSteps % penaltyEvery === 0
              ? { penaltyScale: penaltyEvery }
              : { penalty: null };
        const d = discriminatorStep(ctx, batch, { swapLabels: decision.swapLabels, ...lazy });
        results.keep(d, results.generator);
        state.discriminatorSteps++;
      }
      if (decision.trainGenerator) {
        results.keep(results.discriminator, generatorStep(ctx, n));
        state.generatorSteps++;
      }
    }
    feedback.pending = true;
    state.iteration++;
    if (fromData) state.batchInEpoch++;
    results.addImages(n);
    const logged = state.iteration % logEvery === 0;
    const due = active.filter((c) => isDue(c.every, 'iteration', state.iteration));
    let metrics: StepMetrics | undefined;
    if (logged || due.length > 0) {
      // Never hand a diverged state to a callback (or a checkpoint): the guard runs first.
      metrics = await readChecked();
      if (!metrics) return undefined;
      if (logged) {
        monitor?.observeLoss(state.iteration, metrics.discriminatorLoss);
        await legacy.onStep?.(metrics);
        await fitOptions?.onStep?.(metrics);
      }
    }
    if (options.samples && state.iteration % options.samples.every === 0) await samples();
    if (metrics) await runCallbacks(due, metrics);
    return logged ? metrics : undefined;
  }

  async function samples(): Promise<void> {
    const images = tidy(
      () => generateImages(sampler(), ctx, generateStream, fixedLatents as Tensor) as Tensor4D,
    );
    try {
      if (monitor) {
        const spread = tidy(() => mean(sqrt(moments(images, 0).variance)));
        monitor.observeDiversity(state.iteration, (await spread.data())[0]);
        spread.dispose();
      }
      await legacy.onSamples?.(images, state.iteration);
    } finally {
      images.dispose();
    }
  }

  async function fit(data: DataSource, fitOptions: FitOptions = {}): Promise<FitResult> {
    const fn = 'trainer.fit';
    const { signal, steps, epochs } = optionsArg(fn, fitOptions);
    if (steps == null && epochs == null)
      throw new ArgumentError(fn, 'steps', 'give steps or epochs (how long to train)');
    if (steps != null) positiveInteger(fn, 'steps', steps);
    if (epochs != null) positiveInteger(fn, 'epochs', epochs);
    for (const name of ['onStep', 'onEpochEnd'] as const)
      if (fitOptions[name] != null) functionArg(fn, name, fitOptions[name]);
    const extra = callbacksArg(fn, 'callbacks', fitOptions.callbacks ?? [], logEvery);
    if (fitOptions.callbacks != null && !Array.isArray(fitOptions.callbacks))
      throw new ArgumentError(fn, 'callbacks', 'callbacks must be an array of TrainerCallback');
    checkData(fn, data);
    const stopAt = steps == null ? Number.POSITIVE_INFINITY : state.iteration + steps;
    const perEpoch = epochLength(data, fitOptions.batchSize);
    const byEpochs =
      epochs != null && perEpoch != null ? epochs * perEpoch : Number.POSITIVE_INFINITY;
    const stopIteration = Math.min(stopAt, byEpochs);
    const plan: FitPlan = {
      startIteration: state.iteration,
      startEpoch: state.epoch,
      iterationsPerEpoch: perEpoch,
      stopIteration: Number.isFinite(stopIteration) ? stopIteration : undefined,
      epochs,
    };
    // The trainer's callbacks first, then this call's; the checkpoint policy stays last.
    const own = callbacks.filter((c) => c.callback !== policy);
    const saving = callbacks.filter((c) => c.callback === policy);
    active = [...own, ...extra, ...saving];
    let last: StepMetrics | undefined;
    const aborted = () => signal?.aborted === true;
    const finish = async (stopped: FitResult['stopped']): Promise<FitResult> => {
      const savesBefore = checkpointing.saved.count;
      const result: FitResult = {
        iterations: state.iteration - plan.startIteration,
        epochs: state.epoch,
        stopped,
        last,
      };
      for (const { callback } of active) await callback.onTrainEnd?.(trainer, result);
      if (stopped === 'aborted' && checkpointing.saved.count > savesBefore)
        result.checkpoint = checkpointing.saved.id;
      return result;
    };
    try {
      for (const { callback } of active) await callback.onTrainBegin?.(trainer, plan);
      while (epochs == null || state.epoch < epochs) {
        rolledBack = false;
        /** `steps` ran out on the epoch's last batch: the epoch ends (its callbacks run) first. */
        let stopAtEpochEnd = false;
        for await (const batch of epochBatches(
          data,
          state.epoch,
          state.batchInEpoch,
          fitOptions.batchSize,
          seed,
        )) {
          try {
            if (aborted()) return await finish('aborted');
            const metrics = await iterate(batch, true, fitOptions);
            if (rolledBack) break;
            if (metrics) last = metrics;
          } finally {
            disposeBatch(batch);
          }
          if (state.iteration >= stopAt) {
            if (perEpoch === undefined || state.batchInEpoch < perEpoch)
              return await finish('done');
            stopAtEpochEnd = true;
            break;
          }
        }
        if (rolledBack) continue;
        if (aborted()) return await finish('aborted');
        state.epoch++;
        state.batchInEpoch = 0;
        await legacy.onEpochEnd?.(state.epoch - 1, last);
        await fitOptions.onEpochEnd?.(state.epoch - 1, last);
        const due = active.filter((c) => isDue(c.every, 'epoch', state.epoch));
        if (due.length > 0) {
          const metrics = await readChecked();
          if (!metrics) continue;
          await runCallbacks(due, metrics);
        }
        if (stopAtEpochEnd) break;
      }
      return await finish('done');
    } finally {
      active = callbacks;
    }
  }

  const trainer: Trainer = {
    context: ctx,
    state,
    get sampler() {
      return sampler();
    },
    step: (batch) => iterate(batch, false),
    fit,
    generate: (n, opts) => generateImages(sampler(), ctx, generateStream, n, opts),
    save: (store) => checkpointing.save(store),
    load: (store, opts) => checkpointing.load(store, opts),
    dispose() {
      results.keep(undefined, undefined);
      ctx.optimizers.generator.dispose();
      ctx.optimizers.discriminator.dispose();
      ema?.dispose();
      if (fixedLatents) fixedLatents.dispose();
      for (const { callback } of callbacks) callback.dispose?.();
    },
  };
  return trainer;
}
