import {
  argError,
  booleanArg,
  nonNegativeInteger,
  numberArg,
  optionsArg,
  positiveInteger,
} from '@gan/core';
import type { CheckpointStore } from './checkpoint/types';
import type { EmaOptions } from './ema';
import type { WarningOptions } from './monitor';
import type { Schedule } from './schedules/schedule';

/**
 * Checks of createTrainer's options that are more than a number: each names the option as the
 * user wrote it (`nanGuard.learningRateFactor`, `checkpoints.store`).
 */

export type NanGuard =
  | 'stop'
  | { rollback: true; learningRateFactor?: number; maxRollbacks?: number };

export function checkNanGuard(fn: string, guard: unknown, hasCheckpoints: boolean): NanGuard {
  if (guard === 'stop') return guard;
  const expected = "'stop' or { rollback: true, learningRateFactor?, maxRollbacks? }";
  if (
    typeof guard !== 'object' ||
    guard === null ||
    (guard as { rollback?: unknown }).rollback !== true
  )
    return argError(fn, 'nanGuard', expected, guard);
  const g = guard as Exclude<NanGuard, 'stop'>;
  if (g.learningRateFactor !== undefined)
    numberArg(fn, 'nanGuard.learningRateFactor', g.learningRateFactor, {
      min: 0,
      max: 1,
      minExclusive: true,
      maxExclusive: true,
    });
  if (g.maxRollbacks !== undefined) nonNegativeInteger(fn, 'nanGuard.maxRollbacks', g.maxRollbacks);
  if (!hasCheckpoints)
    argError(
      fn,
      'nanGuard',
      "'stop' without checkpoints (a rollback needs checkpoints.store)",
      guard,
    );
  return g;
}

export function checkSchedule(fn: string, schedule: unknown): Schedule {
  const s = schedule as Schedule;
  if (
    typeof s !== 'object' ||
    s === null ||
    typeof s.name !== 'string' ||
    !['next', 'getState', 'setState'].every((m) => typeof (s as never)[m] === 'function')
  )
    return argError(
      fn,
      'schedule',
      'a Schedule { name, next(), getState(), setState() }',
      schedule,
    );
  return s;
}

export function checkStore(fn: string, arg: string, store: unknown): CheckpointStore {
  const s = store as CheckpointStore;
  if (
    typeof s !== 'object' ||
    s === null ||
    !['save', 'load', 'list'].every((m) => typeof (s as never)[m] === 'function')
  )
    return argError(
      fn,
      arg,
      'a CheckpointStore (fileCheckpoints(dir), memoryCheckpoints(), …)',
      store,
    );
  return s;
}

export function checkWarnings(fn: string, warnings: WarningOptions | undefined): WarningOptions {
  const w = optionsArg(fn, warnings, { arg: 'warnings' });
  if (w.patience !== undefined) positiveInteger(fn, 'warnings.patience', w.patience);
  if (w.discriminatorLossBelow !== undefined)
    numberArg(fn, 'warnings.discriminatorLossBelow', w.discriminatorLossBelow, { min: 0 });
  if (w.diversityBelow !== undefined)
    numberArg(fn, 'warnings.diversityBelow', w.diversityBelow, { min: 0 });
  return w;
}

export function checkEma(fn: string, ema: EmaOptions): EmaOptions {
  const e = optionsArg(fn, ema, { arg: 'ema' });
  if (e.decay !== undefined)
    numberArg(fn, 'ema.decay', e.decay, { min: 0, max: 1, maxExclusive: true });
  if (e.warmup !== undefined) booleanArg(fn, 'ema.warmup', e.warmup);
  return e;
}
