import { functionArg, optionsArg } from '@gan/core';
import type { FitPlan, FitResult, StepMetrics, Trainer } from '../trainer/types';
import { type Every, everyArg } from './every';

/**
 * The trainer's extension point, in the spirit of Keras callbacks and TF-GAN's hooks: an object
 * whose methods the trainer awaits at fixed points of training. Every method is optional and may
 * be async; the trainer waits for it before going on.
 *
 * ```ts
 * const printer: TrainerCallback = {
 *   every: { epochs: 1 },
 *   onStep: (trainer, m) => console.log(`epoch ${m.epoch}: D ${m.discriminatorLoss}`),
 * };
 * createTrainer({ ...wganGp(), generator, discriminator, callbacks: [printer] });
 * ```
 */
export interface TrainerCallback {
  /** Names the callback in error messages. */
  readonly name?: string;
  /**
   * When `onStep` runs: after every `iterations` iterations, or at the end of every `epochs`
   * epochs of `fit`. Default `{ iterations: logEvery }`, the iterations that read the losses.
   */
  readonly every?: Every;
  /** When `fit` starts (after a resume, from where it resumed). */
  onTrainBegin?(trainer: Trainer, plan: FitPlan): void | Promise<void>;
  /** At `every`, with the losses just read (finite: the NaN guard has run). */
  onStep?(trainer: Trainer, metrics: StepMetrics): void | Promise<void>;
  /** When `fit` returns, done or aborted. */
  onTrainEnd?(trainer: Trainer, result: FitResult): void | Promise<void>;
  /** Frees what the callback holds (tensors, feature networks); `trainer.dispose()` calls it. */
  dispose?(): void;
}

/** A callback and when it runs (the callback itself is kept: its methods may use `this`). */
export interface ScheduledCallback {
  callback: TrainerCallback;
  every: Every;
}

const METHODS = ['onTrainBegin', 'onStep', 'onTrainEnd', 'dispose'] as const;

/** A callback list checked, each `every` normalised (`logEvery` where absent). */
export function callbacksArg(
  fn: string,
  arg: string,
  callbacks: unknown,
  logEvery: number,
): ScheduledCallback[] {
  if (!Array.isArray(callbacks)) return [];
  return callbacks.map((c, i) => {
    const at = `${arg}[${i}]`;
    optionsArg(fn, c, { arg: at, required: true });
    const callback = c as TrainerCallback;
    for (const m of METHODS) if (callback[m] != null) functionArg(fn, `${at}.${m}`, callback[m]);
    const every =
      callback.every == null
        ? { iterations: logEvery }
        : everyArg(fn, `${at}.every`, callback.every);
    return { callback, every };
  });
}
