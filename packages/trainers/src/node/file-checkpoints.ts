import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ArgumentError,
  argError,
  decodeModelArtifacts,
  encodeModelArtifacts,
  optionsArg,
  parseModelJson,
  positiveInteger,
} from '@gan/core';
import {
  type Checkpoint,
  CheckpointError,
  type CheckpointStore,
  checkpointId,
  checkState,
} from '../checkpoint/types';

interface ManifestEntry {
  path: string;
  bytes: number;
  sha256: string;
}

interface Manifest {
  format: 'gan-trainer-checkpoint-files';
  version: 1;
  parts: string[];
  files: ManifestEntry[];
}

const ID = /^ckpt-\d{9}$/;

async function writeDurably(
  path: string,
  data: string | Uint8Array,
): Promise<ManifestEntry & { full: string }> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const file = await open(path, 'w');
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
  return {
    full: path,
    path: '',
    bytes: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic.
  } finally {
    await dir.close();
  }
}

/**
 * Checkpoints as directories `<dir>/ckpt-<iteration>/`, each part in tfjs's format
 * (`<part>/model.json` + `<part>/weights.bin`, loadable by `tf.loadLayersModel('file://…')` for
 * the models), `state.json`, and `manifest.json` with every file's size and SHA-256.
 *
 * A checkpoint is written into a temporary directory, fsynced, then renamed into place, so a
 * crash (even `kill -9`) at any moment leaves either the complete checkpoint or none; the last
 * `keep` are kept. Loading verifies every checksum and names the damaged file and the previous
 * checkpoint. Checkpoints are JSON and binary only: loading never evaluates code.
 */
export function fileCheckpoints(dir: string, options: { keep?: number } = {}): CheckpointStore {
  if (typeof dir !== 'string' || dir === '')
    argError('fileCheckpoints', 'dir', 'a directory path', dir);
  const keep = positiveInteger(
    'fileCheckpoints',
    'keep',
    optionsArg('fileCheckpoints', options).keep ?? 3,
  );
  const list = async (): Promise<string[]> => {
    try {
      return (await readdir(dir)).filter((name) => ID.test(name)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  };

  return {
    description: `directory ${dir}`,
    list,

    async save(checkpoint) {
      await mkdir(dir, { recursive: true });
      // Leftovers of a save that crashed.
      for (const name of await readdir(dir))
        if (name.startsWith('.tmp-')) await rm(join(dir, name), { recursive: true, force: true });
      const id = checkpointId(checkpoint.state.iteration);
      const tmp = join(dir, `.tmp-${id}-${process.pid}-${randomBytes(4).toString('hex')}`);
      await mkdir(tmp);
      const files: ManifestEntry[] = [];
      const write = async (path: string, data: string | Uint8Array) => {
        const entry = await writeDurably(join(tmp, path), data);
        files.push({ path, bytes: entry.bytes, sha256: entry.sha256 });
      };
      const parts = Object.keys(checkpoint.parts);
      for (const name of parts) {
        const part = checkpoint.parts[name];
        await mkdir(join(tmp, name));
        // tfjs's model-directory encoding, in this store's own field order (as before).
        const { modelJson, weights } = encodeModelArtifacts({
          format: part.format ?? 'layers-model',
          generatedBy: part.generatedBy,
          convertedBy: part.convertedBy ?? null,
          modelTopology: part.modelTopology,
          weightSpecs: part.weightSpecs,
          weightData: part.weightData,
        });
        await write(join(name, 'weights.bin'), weights);
        await write(join(name, 'model.json'), modelJson);
        await syncDirectory(join(tmp, name));
      }
      await write('state.json', JSON.stringify(checkpoint.state, null, 1));
      const manifest: Manifest = {
        format: 'gan-trainer-checkpoint-files',
        version: 1,
        parts,
        files,
      };
      await writeDurably(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 1));
      await syncDirectory(tmp);
      const target = join(dir, id);
      // Re-saving an iteration (after a rollback) replaces it; the old copy is moved aside first.
      const stale = await stat(target).then(
        () => true,
        () => false,
      );
      if (stale) {
        const aside = join(dir, `.tmp-old-${id}-${randomBytes(4).toString('hex')}`);
        await rename(target, aside);
        await rm(aside, { recursive: true, force: true });
      }
      await rename(tmp, target);
      await syncDirectory(dir);
      const ids = await list();
      for (const old of ids.slice(0, Math.max(0, ids.length - keep))) {
        // Renamed out of the listing first, so a crash mid-removal never leaves a half checkpoint listed.
        const aside = join(dir, `.tmp-del-${old}`);
        await rename(join(dir, old), aside);
        await rm(aside, { recursive: true, force: true });
      }
      return id;
    },

    async load(id) {
      const ids = await list();
      const key = id ?? ids.at(-1);
      if (key == null || !ids.includes(key))
        throw new CheckpointError(`no checkpoint ${key ?? ''} in ${dir}`, key, undefined);
      const previous = ids[ids.indexOf(key) - 1];
      const root = join(dir, key);
      const damaged = (file: string, why: string) =>
        new CheckpointError(
          `checkpoint ${root} is damaged: ${join(root, file)} ${why}` +
            (previous
              ? `; the previous checkpoint is ${join(dir, previous)} (load it with { id: '${previous}' } or { fallback: true })`
              : ''),
          key,
          previous,
        );
      const read = async (file: string) => {
        try {
          return await readFile(join(root, file));
        } catch {
          throw damaged(file, 'is missing');
        }
      };
      let manifest: Manifest;
      try {
        manifest = JSON.parse((await read('manifest.json')).toString('utf8'));
      } catch (error) {
        if (error instanceof CheckpointError) throw error;
        throw damaged('manifest.json', 'is not valid JSON');
      }
      const contents = new Map<string, Buffer>();
      for (const entry of manifest.files ?? []) {
        const bytes = await read(entry.path);
        if (bytes.byteLength !== entry.bytes)
          throw damaged(entry.path, `has ${bytes.byteLength} bytes, expected ${entry.bytes}`);
        if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256)
          throw damaged(entry.path, 'fails its SHA-256 check');
        contents.set(entry.path, bytes);
      }
      const json = (path: string) => {
        const bytes = contents.get(path);
        if (bytes == null) throw damaged(path, 'is not in the manifest');
        return JSON.parse(bytes.toString('utf8'));
      };
      const state = checkState(json('state.json'), join(root, 'state.json'));
      const parts: Checkpoint['parts'] = {};
      for (const name of manifest.parts) {
        const jsonPath = join(name, 'model.json');
        let paths: string[] = [];
        // Checked and decoded by @gan/core, its findings reported as this checkpoint's damage,
        // naming model.json or the weight file (the part's directory when it has several).
        const decode = <T>(run: () => T): T => {
          try {
            return run();
          } catch (error) {
            const file =
              (error as ArgumentError).arg === 'modelJson'
                ? jsonPath
                : paths.length === 1
                  ? join(name, paths[0])
                  : name;
            throw damaged(file, `cannot be decoded (${(error as Error).message})`);
          }
        };
        const text = contents.get(jsonPath);
        if (text == null) throw damaged(jsonPath, 'is not in the manifest');
        const modelJson = decode(() => parseModelJson(text.toString('utf8')));
        paths = modelJson.weightsManifest.flatMap((group) => group.paths);
        const weights = paths.map((path) => {
          const bytes = contents.get(join(name, path));
          if (bytes == null) throw damaged(join(name, path), 'is not in the manifest');
          return bytes;
        });
        const { modelTopology, format, generatedBy, convertedBy, weightSpecs, weightData } = decode(
          () => decodeModelArtifacts(modelJson, weights),
        );
        parts[name] = { modelTopology, format, generatedBy, convertedBy, weightSpecs, weightData };
      }
      return { state, parts };
    },
  };
}
