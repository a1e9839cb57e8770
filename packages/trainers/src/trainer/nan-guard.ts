import type { CheckpointStore } from '../checkpoint/types';
import { nonFinite, TrainingDivergedError, type TrainingWarning } from '../monitor';
import type { NanGuard } from '../options';
import type { LoadOptions, StepMetrics } from './types';

/**
 * The NaN guard: given freshly read metrics, throws a {@link TrainingDivergedError} or rolls
 * back to the latest good checkpoint with lower learning rates. Returns whether it rolled back.
 */
export function createNanGuard(
  guard: NanGuard,
  deps: {
    store: () => CheckpointStore | undefined;
    load: (
      store: CheckpointStore,
      options: LoadOptions & { learningRateFactor: number },
    ) => Promise<string>;
    warn: (warning: TrainingWarning) => void;
  },
): (metrics: StepMetrics) => Promise<boolean> {
  let rollbacks = 0;
  return async (metrics) => {
    const bad = nonFinite(metrics as unknown as Record<string, number>);
    if (bad.length === 0) return false;
    const { iteration } = metrics;
    const what = `losses stopped being finite at iteration ${iteration} (${bad.join(', ')})`;
    if (guard === 'stop')
      throw new TrainingDivergedError(
        `${what}. Check the data for NaN/Inf and lower the learning rates, or pass nanGuard: { rollback: true } with checkpoints.`,
        iteration,
      );
    const factor = guard.learningRateFactor ?? 0.5;
    const max = guard.maxRollbacks ?? 3;
    const store = deps.store();
    if (!store || (await store.list()).length === 0)
      throw new TrainingDivergedError(
        `${what}, and there is no checkpoint to roll back to.`,
        iteration,
      );
    if (rollbacks >= max)
      throw new TrainingDivergedError(`${what} after ${max} rollbacks; giving up.`, iteration);
    rollbacks++;
    const id = await deps.load(store, { fallback: true, learningRateFactor: factor });
    deps.warn({
      kind: 'rolled-back',
      iteration,
      message: `${what}: rolled back to ${id} and multiplied the learning rates by ${factor}.`,
    });
    return true;
  };
}
