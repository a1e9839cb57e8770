import { functionArg, optionsArg } from '@gan/core';
import type { CheckpointStore } from '../checkpoint/types';
import { checkStore } from '../options';
import type { FitResult, Trainer } from '../trainer/types';
import type { TrainerCallback } from './callback';
import { type Every, everyArg } from './every';

export interface SaveCheckpointsOptions {
  store: CheckpointStore;
  /** Every this many iterations, or `{ epochs }` / `{ iterations }`. */
  every: number | Every;
  /** Also save when `fit` is aborted (its result names the checkpoint). Default true. */
  onAbort?: boolean;
  /** After each save. */
  onSave?(id: string, iteration: number): void;
}

/** A checkpoint policy as a callback; the trainer's NaN guard rolls back to its store. */
export interface SaveCheckpointsCallback extends TrainerCallback {
  readonly name: 'saveCheckpoints';
  readonly store: CheckpointStore;
  readonly every: Every;
}

/**
 * Saves a checkpoint at `every` (never a diverged state: the NaN guard runs first) and when `fit`
 * is aborted. `createTrainer`'s `checkpoints` option is this callback.
 */
export function saveCheckpoints(options: SaveCheckpointsOptions): SaveCheckpointsCallback {
  const fn = 'saveCheckpoints';
  optionsArg(fn, options, { required: true });
  const store = checkStore(fn, 'store', options.store);
  const every = everyArg(fn, 'every', options.every);
  if (options.onSave != null) functionArg(fn, 'onSave', options.onSave);
  const save = async (trainer: Trainer) => {
    const id = await trainer.save(store);
    options.onSave?.(id, trainer.state.iteration);
  };
  return {
    name: fn,
    store,
    every,
    onStep: (trainer) => save(trainer),
    async onTrainEnd(trainer: Trainer, result: FitResult) {
      if (result.stopped === 'aborted' && options.onAbort !== false) await save(trainer);
    },
  };
}
