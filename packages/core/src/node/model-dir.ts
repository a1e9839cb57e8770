import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { io } from '@tensorflow/tfjs-core';
import { ArgumentError, argError, booleanArg, optionsArg } from '../args';
import {
  checkModelJson,
  decodeChecked,
  encodeChecked,
  MODEL_JSON,
  type ModelArtifactsData,
  manifestPaths,
  sayAbout,
  WEIGHTS_BIN,
} from '../model-dir';

/** A directory path (not a URL): `file://` is tfjs-node's router, not ours. */
function dirArg(fn: string, dir: unknown): string {
  if (typeof dir !== 'string' || dir === '')
    return argError(fn, 'dir', 'a directory path (a non-empty string)', dir);
  const scheme = /^([a-z][a-z0-9+.-]+):\/\//i.exec(dir);
  if (scheme) argError(fn, 'dir', 'a directory path, not a URL', dir, `drop the '${scheme[1]}://'`);
  return dir;
}

const cannotRead = (fn: string, path: string, error: unknown): never => {
  throw new ArgumentError(fn, 'dir', `dir: cannot read '${path}' (${(error as Error).message})`);
};

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** Names writeModelDir gives its work beside `<parent>/<name>`. */
const staged = (name: string) => `.${name}.tmp-`;
const previous = (name: string) => `.${name}.old-`;

/**
 * The previous version of a directory whose replacement was interrupted between its two
 * renames (the directory itself is missing then), if there is one.
 */
async function interrupted(path: string): Promise<string | undefined> {
  const target = resolve(path);
  const parent = dirname(target);
  const entries = await fsp.readdir(parent).catch(() => [] as string[]);
  const old = entries.filter((e) => e.startsWith(previous(basename(target)))).sort();
  return old.length > 0 ? join(parent, old[old.length - 1]) : undefined;
}

/** Reads a model directory (or a path to its model.json) for the function the caller called. */
export async function readModel(
  fn: string,
  path: string,
  weightsOnly: boolean,
): Promise<ModelArtifactsData> {
  let info: Awaited<ReturnType<typeof fsp.stat>>;
  try {
    info = await fsp.stat(path);
  } catch (error) {
    const old = code(error) === 'ENOENT' ? await interrupted(path) : undefined;
    if (old) return readModel(fn, old, weightsOnly);
    return cannotRead(fn, path, error);
  }
  const file = info.isDirectory() ? join(path, MODEL_JSON) : path;
  const text = await fsp.readFile(file, 'utf8').catch((e) => cannotRead(fn, file, e));
  const json = checkModelJson(text, weightsOnly, sayAbout(fn, 'dir', `'${file}'`));
  const base = dirname(file);
  const paths = manifestPaths(json);
  for (const p of paths)
    if (isAbsolute(p) || p.split(/[\\/]/).includes('..'))
      throw new ArgumentError(
        fn,
        'dir',
        `dir: '${file}' lists the weight file '${p}', which is outside its directory`,
      );
  const shards = await Promise.all(
    paths.map((p) => fsp.readFile(join(base, p)).catch((e) => cannotRead(fn, join(base, p), e))),
  );
  return decodeChecked(json, shards, {
    fn,
    arg: 'dir',
    jsonName: `'${file}'`,
    show: (p) => `'${join(base, p)}'`,
  });
}

async function writeDurably(path: string, data: string | Uint8Array): Promise<void> {
  const file = await fsp.open(path, 'wx');
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
}

async function syncDirectory(path: string): Promise<void> {
  const dir = await fsp.open(path, 'r');
  try {
    await dir.sync();
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic.
  } finally {
    await dir.close();
  }
}

/** The file operations a write goes through (tests make them fail midway). */
export interface WriteOps {
  write(path: string, data: string | Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

const durable: WriteOps = { write: writeDurably, rename: fsp.rename };

/** What an existing directory holds besides a model (model.json and the files it lists). */
async function foreignEntries(target: string): Promise<string[]> {
  const ours = new Set([MODEL_JSON, WEIGHTS_BIN]);
  try {
    const json = JSON.parse(await fsp.readFile(join(target, MODEL_JSON), 'utf8'));
    for (const group of json.weightsManifest ?? [])
      for (const path of group.paths ?? []) ours.add(String(path).split(/[\\/]/)[0]);
  } catch {
    // No readable model.json: only the two default names count as a model's.
  }
  return (await fsp.readdir(target)).filter((entry) => !ours.has(entry)).sort();
}

/**
 * Writes `artifacts` as `dir/model.json` + `dir/weights.bin`, replacing the whole directory in
 * one rename (see {@link writeModelDir}).
 */
export async function writeModel(
  fn: string,
  dir: string,
  artifacts: unknown,
  ops: WriteOps = durable,
): Promise<io.ModelArtifactsInfo> {
  const files = encodeChecked(fn, 'artifacts', artifacts);
  const target = resolve(dir);
  const parent = dirname(target);
  const name = basename(target);
  const refuse = (detail: string): never => {
    throw new ArgumentError(fn, 'dir', `dir: '${target}' ${detail}`);
  };
  if (parent === target) refuse('is a file system root: give a directory to hold the model');
  const failed = (error: unknown): never => {
    if (error instanceof ArgumentError) throw error;
    throw new Error(`${fn}: cannot write '${target}' (${(error as Error).message})`, {
      cause: error,
    });
  };
  try {
    await fsp.mkdir(parent, { recursive: true });
    const existing = await fsp.lstat(target).catch((error) => {
      if (code(error) === 'ENOENT') return undefined;
      throw error;
    });
    if (existing?.isSymbolicLink()) refuse('is a symbolic link: give the directory it points to');
    if (existing && !existing.isDirectory()) refuse('exists and is not a directory');
    if (existing) {
      const foreign = await foreignEntries(target);
      if (foreign.length > 0)
        refuse(
          `holds files that are not the model's (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}): the whole directory is replaced, so give an empty or a model directory`,
        );
    }
    // Leftovers of writes that were interrupted.
    for (const entry of await fsp.readdir(parent))
      if (entry.startsWith(staged(name)))
        await fsp.rm(join(parent, entry), { recursive: true, force: true });
    const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const tmp = join(parent, `${staged(name)}${tag}`);
    const aside = join(parent, `${previous(name)}${tag}`);
    await fsp.mkdir(tmp);
    let movedAside = false;
    try {
      await ops.write(join(tmp, WEIGHTS_BIN), files.weights);
      await ops.write(join(tmp, MODEL_JSON), files.modelJson);
      await syncDirectory(tmp);
      // A directory cannot be renamed over a non-empty one: the old one steps aside first. A
      // crash between the two renames leaves it there, where readModelDir finds it.
      if (existing) {
        await ops.rename(target, aside);
        movedAside = true;
      }
      await ops.rename(tmp, target);
    } catch (error) {
      if (movedAside) await fsp.rename(aside, target).catch(() => {});
      await fsp.rm(tmp, { recursive: true, force: true }).catch(() => {});
      throw error;
    }
    await syncDirectory(parent);
    // The previous version, and any an interrupted write left.
    for (const entry of await fsp.readdir(parent))
      if (entry.startsWith(previous(name)))
        await fsp.rm(join(parent, entry), { recursive: true, force: true });
  } catch (error) {
    failed(error);
  }
  return io.getModelArtifactsInfoForJSON(artifacts as io.ModelArtifacts);
}

export interface ReadModelDirOptions {
  /**
   * Accept a `model.json` without `modelTopology`: a weights-only manifest, as
   * tools/convert-inception.py writes. Default false.
   */
  weightsOnly?: boolean;
}

/**
 * Reads a tfjs model directory — `dir/model.json` and the weight files its `weightsManifest`
 * lists (`weights.bin`, or tfjs's `group1-shard1of2.bin`… shards, concatenated in order) — as
 * model artifacts with one ArrayBuffer of weights: `tf.io.fromMemory(await readModelDir(dir))`.
 * `dir` may also be the path of the model.json itself. Throws an ArgumentError naming `dir` and
 * the file when a file is missing, model.json is not JSON or lacks a topology (unless
 * `weightsOnly`) or a manifest, or the weight files are not exactly as long as the specs need.
 * A directory whose replacement by {@link writeModelDir} was interrupted is read from the
 * previous version it left beside it.
 */
export async function readModelDir(
  dir: string,
  options?: ReadModelDirOptions,
): Promise<ModelArtifactsData> {
  const fn = 'readModelDir';
  dirArg(fn, dir);
  const { weightsOnly = false } = optionsArg(fn, options);
  return readModel(fn, dir, booleanArg(fn, 'options.weightsOnly', weightsOnly));
}

/**
 * Writes `artifacts` (what `model.save` hands its handler) as a tfjs model directory:
 * `dir/model.json` + `dir/weights.bin`, which `tf.loadLayersModel('file://dir/model.json')`
 * (tfjs-node), {@link readModelDir} and {@link modelDir} read. Atomic: both files are written
 * and fsynced in a temporary directory beside `dir`, which then replaces `dir` by rename, so a
 * crash at any moment leaves the previous model or the new one, never a mix or a half-written
 * file. `dir` is created (with its parents) when missing; an existing `dir` must hold nothing
 * but a model (it is replaced whole). Returns what tfjs's handlers report.
 */
export async function writeModelDir(
  dir: string,
  artifacts: io.ModelArtifacts,
): Promise<io.ModelArtifactsInfo> {
  const fn = 'writeModelDir';
  dirArg(fn, dir);
  return writeModel(fn, dir, artifacts);
}

/**
 * A tfjs IOHandler for a model directory, no tfjs-node needed:
 * `await model.save(modelDir('out/generator'))` writes it ({@link writeModelDir}, atomic) and
 * `await tf.loadLayersModel(modelDir('out/generator'))` reads it ({@link readModelDir}).
 */
export function modelDir(dir: string): io.IOHandler {
  const fn = 'modelDir';
  dirArg(fn, dir);
  return {
    save: async (artifacts) => ({ modelArtifactsInfo: await writeModel(fn, dir, artifacts) }),
    load: () => readModel(fn, dir, false),
  };
}
