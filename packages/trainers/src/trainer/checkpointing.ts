import { ArgumentError, argError, optionsArg, type SeedStream } from '@gan/core';
import {
  learningRate,
  modelPart,
  optimizerPart,
  restoreModel,
  restoreOptimizer,
} from '../checkpoint/capture';
import {
  CheckpointMismatchError,
  optimizerSetup,
  setupDifferences,
  type TrainerSetup,
} from '../checkpoint/setup';
import {
  type Checkpoint,
  CheckpointError,
  type CheckpointStore,
  checkState,
  type TrainerState,
} from '../checkpoint/types';
import { type Augmentation, contextClipping, type GanContext } from '../context';
import type { Ema } from '../ema';
import type { Monitor, TrainingWarning } from '../monitor';
import { checkStore } from '../options';
import type { Schedule, ScheduleFeedback } from '../schedules/schedule';
import type { LatestResults } from './metrics';
import type { LoadOptions } from './types';

/** The trainer's counters, as checkpoints store them. */
export type Counters = Pick<
  TrainerState,
  'iteration' | 'discriminatorSteps' | 'generatorSteps' | 'epoch' | 'batchInEpoch'
>;

/** What a feedback schedule reads next iteration: pending losses, or those a checkpoint kept. */
export interface FeedbackState {
  pending: boolean;
  restored?: ScheduleFeedback;
}

export interface CheckpointingParts {
  ctx: GanContext;
  schedule: Schedule;
  augmentation: Augmentation | undefined;
  ema: Ema | undefined;
  /** Lazy regularisation's k (1: the penalty every critic step). */
  penaltyEvery: number;
  monitor: Monitor | undefined;
  state: Counters;
  results: LatestResults;
  feedback: FeedbackState;
  generateStream: SeedStream;
  defaultStore: () => CheckpointStore | undefined;
  warn: (warning: TrainingWarning) => void;
}

/** Capture and restore of everything a trainer is: weights, optimizers, counters, RNGs, schedule. */
export function createCheckpointing(p: CheckpointingParts) {
  const { ctx, schedule, augmentation, ema, monitor, state, results, feedback } = p;
  /** Product of the NaN guard's learning-rate factors (1 = as configured). */
  const learningRateScale = { generator: 1, discriminator: 1 };
  const saved = { count: 0, id: undefined as string | undefined };

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
      weightClipping: contextClipping(ctx) ?? null,
      // Written only when lazy, so that checkpoints without it stay byte-identical.
      ...(p.penaltyEvery > 1 ? { penaltyEvery: p.penaltyEvery } : {}),
    };
  }

  /** The losses a feedback schedule would read next iteration. */
  async function pendingFeedback(): Promise<ScheduleFeedback | undefined> {
    if (!schedule.needsFeedback || !feedback.pending) return undefined;
    if (feedback.restored) return { ...feedback.restored };
    return results.feedback();
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
        generateRng: p.generateStream.getState(),
        monitor: monitor?.getState(),
        augmentation: await augmentation?.getState?.(),
        savedAt: new Date().toISOString(),
      },
      parts,
    };
  }

  const noStore = (fn: string) =>
    new ArgumentError(
      fn,
      'store',
      'no checkpoint store given (pass one, or set checkpoints.store)',
    );

  async function save(store = p.defaultStore()): Promise<string> {
    if (!store) throw noStore('trainer.save');
    const id = await checkStore('trainer.save', 'store', store).save(await capture());
    saved.count++;
    saved.id = id;
    return id;
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
    const differences = s.setup
      ? setupDifferences(s.setup, currentSetup())
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
    if (s.generateRng) p.generateStream.setState(s.generateRng);
    monitor?.setState(s.monitor);
    Object.assign(state, {
      iteration: s.iteration,
      discriminatorSteps: s.discriminatorSteps,
      generatorSteps: s.generatorSteps,
      epoch: s.epoch,
      batchInEpoch: s.batchInEpoch,
    });
    results.keep(undefined, undefined);
    // A feedback schedule reads the latest losses next iteration, as it would have without the stop.
    feedback.restored = s.feedback;
    feedback.pending = s.feedback !== undefined;
    if (skipped.length)
      p.warn({
        kind: 'partial-load',
        iteration: state.iteration,
        message: `load (strict: false): ${label} restored without ${skipped.join('; ')}`,
      });
  }

  async function load(
    store = p.defaultStore(),
    opts: LoadOptions & { learningRateFactor?: number } = {},
  ): Promise<string> {
    const fn = 'trainer.load';
    if (!store) throw noStore(fn);
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
        p.warn({
          kind: 'rolled-back',
          iteration: state.iteration,
          message: `skipping damaged ${error.message}`,
        });
        lastError = error;
      }
    }
    throw lastError;
  }

  return { save, load, saved };
}
