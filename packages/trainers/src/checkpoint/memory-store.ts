import { optionsArg, positiveInteger } from '@gan/core';
import { type Checkpoint, CheckpointError, type CheckpointStore, checkpointId } from './types';

/**
 * Checkpoints kept in memory (deep-copied), the last `keep`: for tests, and for rolling back
 * after a NaN without touching the disk.
 */
export function memoryCheckpoints(options: { keep?: number } = {}): CheckpointStore {
  const keep = positiveInteger(
    'memoryCheckpoints',
    'keep',
    optionsArg('memoryCheckpoints', options).keep ?? 3,
  );
  const stored = new Map<string, Checkpoint>();
  const copy = (c: Checkpoint): Checkpoint => ({
    state: structuredClone(c.state),
    parts: Object.fromEntries(
      Object.entries(c.parts).map(([k, p]) => [
        k,
        { ...structuredClone({ ...p, weightData: undefined }), weightData: p.weightData.slice(0) },
      ]),
    ) as Checkpoint['parts'],
  });
  return {
    description: 'memory',
    async save(checkpoint) {
      const id = checkpointId(checkpoint.state.iteration);
      stored.delete(id);
      stored.set(id, copy(checkpoint));
      for (const old of [...stored.keys()].slice(0, Math.max(0, stored.size - keep)))
        stored.delete(old);
      return id;
    },
    async load(id) {
      const ids = [...stored.keys()];
      const key = id ?? ids.at(-1);
      const found = key == null ? undefined : stored.get(key);
      if (found == null)
        throw new CheckpointError(`no checkpoint ${key ?? ''} in memory`, key, undefined);
      return copy(found);
    },
    async list() {
      return [...stored.keys()];
    },
  };
}
