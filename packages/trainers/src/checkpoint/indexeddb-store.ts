import { argError, joinModelArtifacts, optionsArg, positiveInteger } from '@gan/core';
import { io } from '@tensorflow/tfjs-core';
import {
  type Checkpoint,
  CheckpointError,
  type CheckpointStore,
  checkpointId,
  checkState,
} from './types';

/**
 * Checkpoints in the browser's IndexedDB through tfjs's `indexeddb://` handlers: each part is a
 * tfjs model record `indexeddb://<name>/<id>/<part>`, and the record `…/<id>/state` is written
 * last, so a checkpoint without it (a tab closed mid-save) is ignored. Keeps the last `keep`.
 */
export function indexedDbCheckpoints(
  name: string,
  options: { keep?: number } = {},
): CheckpointStore {
  if (typeof name !== 'string' || !name || name.includes('/'))
    argError('indexedDbCheckpoints', 'name', "a non-empty string without '/'", name);
  const keep = positiveInteger(
    'indexedDbCheckpoints',
    'keep',
    optionsArg('indexedDbCheckpoints', options).keep ?? 3,
  );
  const prefix = `indexeddb://${name}/`;
  const url = (id: string, part: string) => `${prefix}${id}/${part}`;
  const handler = (target: string, kind: 'save' | 'load') => {
    const handlers = kind === 'save' ? io.getSaveHandlers(target) : io.getLoadHandlers(target);
    if (handlers.length === 0)
      throw new Error(`indexedDbCheckpoints: IndexedDB is not available here (${target})`);
    return handlers[0];
  };
  const list = async () => {
    const keys = Object.keys(await io.listModels());
    const ids = new Set<string>();
    for (const key of keys) {
      if (!key.startsWith(prefix) || !key.endsWith('/state')) continue;
      ids.add(key.slice(prefix.length, -'/state'.length));
    }
    return [...ids].sort();
  };
  const remove = async (id: string) => {
    const keys = Object.keys(await io.listModels()).filter((k) => k.startsWith(`${prefix}${id}/`));
    // The state record first, so a half-removed checkpoint is no longer listed.
    keys.sort((a, b) => Number(b.endsWith('/state')) - Number(a.endsWith('/state')));
    for (const key of keys) await io.removeModel(key);
  };
  return {
    description: `IndexedDB '${name}'`,
    list,
    async save(checkpoint) {
      const id = checkpointId(checkpoint.state.iteration);
      await remove(id);
      const parts = Object.keys(checkpoint.parts);
      for (const part of parts) await handler(url(id, part), 'save').save?.(checkpoint.parts[part]);
      await handler(url(id, 'state'), 'save').save?.({
        modelTopology: { state: checkpoint.state, parts },
      });
      const ids = await list();
      for (const old of ids.slice(0, Math.max(0, ids.length - keep))) await remove(old);
      return id;
    },
    async load(id) {
      const ids = await list();
      const key = id ?? ids.at(-1);
      if (key == null || !ids.includes(key))
        throw new CheckpointError(
          `no checkpoint ${key ?? ''} in IndexedDB '${name}'`,
          key,
          undefined,
        );
      const previous = ids[ids.indexOf(key) - 1];
      const read = async (part: string) => {
        try {
          return await handler(url(key, part), 'load').load?.();
        } catch (error) {
          throw new CheckpointError(
            `checkpoint ${key} in IndexedDB '${name}': cannot read ${url(key, part)} (${(error as Error).message})` +
              (previous ? `; the previous one is ${previous}` : ''),
            key,
            previous,
          );
        }
      };
      const record = (await read('state'))?.modelTopology as { state: unknown; parts: string[] };
      const state = checkState(record?.state, `${url(key, 'state')}`);
      const parts: Checkpoint['parts'] = {};
      for (const part of record.parts) {
        const artifacts = await read(part);
        if (artifacts == null)
          throw new CheckpointError(`checkpoint ${key}: ${part} is missing`, key, previous);
        try {
          parts[part] = joinModelArtifacts(artifacts);
        } catch (error) {
          throw new CheckpointError(
            `checkpoint ${key} in IndexedDB '${name}': ${url(key, part)} is damaged (${(error as Error).message})` +
              (previous ? `; the previous one is ${previous}` : ''),
            key,
            previous,
          );
        }
      }
      return { state, parts };
    },
  };
}
