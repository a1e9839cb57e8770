import type { io } from '@tensorflow/tfjs-core';
import { ArgumentError, argError, booleanArg, describe, optionsArg } from './args';

/**
 * tfjs's model-directory format — `model.json` (topology, metadata and `weightsManifest`) and
 * `weights.bin` — encoded and decoded without a file system (browser-safe). The Node entry
 * `@gan/core/node` reads and writes directories with it; `@gan/trainers`' file checkpoints and
 * `@gan/fid`'s loaders decode with it.
 */

/** Model artifacts with every weight in one ArrayBuffer, in the order of `weightSpecs`. */
export type ModelArtifactsData = io.ModelArtifacts & {
  weightSpecs: io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
};

/** The two files of a model directory: the text of `model.json` and the bytes of `weights.bin`. */
export interface ModelFiles {
  modelJson: string;
  weights: Uint8Array;
}

export interface DecodeModelOptions {
  /**
   * Accept a `model.json` without `modelTopology`: a weights-only manifest, as
   * tools/convert-inception.py writes. Default false.
   */
  weightsOnly?: boolean;
  /** What messages call model.json: its path or URL, say. Default `'model.json'`. */
  file?: string;
}

/** The weight bytes of a model.json: one buffer for all its files in manifest order, or one per file. */
export type WeightBytes =
  | ArrayBufferView
  | ArrayBuffer
  | readonly (ArrayBufferView | ArrayBuffer)[];

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** The JSON fields of io.ModelArtifacts that model.json carries besides `weightsManifest`. */
const JSON_FIELDS = new Set([
  'modelTopology',
  'format',
  'generatedBy',
  'convertedBy',
  'trainingConfig',
  'signature',
  'userDefinedMetadata',
  'modelInitializer',
  'initializerSignature',
]);

/** Bytes per value (tfjs's DTYPE_VALUE_SIZE_MAP); `string` is variable-length. */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };
const QUANTIZED_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

/** Throws the ArgumentError of a check: `fn: <message>`, the message naming the argument. */
export type Say = (detail: string) => never;

/** How a check names what it reads: `fn: arg: <file> <detail>`. */
export const sayAbout =
  (fn: string, arg: string, file: string): Say =>
  (detail) => {
    throw new ArgumentError(fn, arg, `${arg}: ${file}${detail}`);
  };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A weight spec { name, shape, dtype[, quantization] } whose size can be computed. */
function checkSpec(spec: unknown, label: string, say: Say): void {
  if (!isObject(spec))
    say(`${label} is not a weight spec { name, shape, dtype }: ${describe(spec)}`);
  const s = spec as Record<string, unknown>;
  if (typeof s.name !== 'string') say(`${label} has no name (got ${describe(s.name)})`);
  const named = `${label} ('${s.name}')`;
  if (
    !Array.isArray(s.shape) ||
    !s.shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)
  )
    say(`${named} has a shape that is not an array of non-negative integers: ${describe(s.shape)}`);
  const q = s.quantization;
  if (q != null) {
    if (!isObject(q) || !Object.hasOwn(QUANTIZED_BYTES, String(q.dtype)))
      say(
        `${named} has quantization dtype ${describe(isObject(q) ? q.dtype : q)} (expected uint8 | uint16 | float16)`,
      );
  } else if (s.dtype !== 'string' && !Object.hasOwn(DTYPE_BYTES, String(s.dtype)))
    say(
      `${named} has dtype ${describe(s.dtype)} (expected float32 | int32 | bool | string | complex64)`,
    );
}

/**
 * Parses and checks a model.json (text or object): a JSON object with a valid
 * `weightsManifest`, and a `modelTopology` object unless `weightsOnly`. `say` names the file.
 */
export function checkModelJson(value: unknown, weightsOnly: boolean, say: Say): io.ModelJSON {
  let json = value;
  if (typeof value === 'string') {
    try {
      json = JSON.parse(value);
    } catch (error) {
      say(` is not JSON (${(error as Error).message})`);
    }
  }
  if (!isObject(json)) return say(` does not hold a JSON object: ${describe(json)}`);
  const manifest = json.weightsManifest;
  if (manifest === undefined) say(' has no weightsManifest (an array of { paths, weights })');
  if (!Array.isArray(manifest))
    return say(`'s weightsManifest is not an array of { paths, weights }: ${describe(manifest)}`);
  for (const [i, group] of (manifest as unknown[]).entries()) {
    const label = `'s weightsManifest[${i}]`;
    if (!isObject(group)) say(`${label} is not { paths, weights }: ${describe(group)}`);
    const { paths, weights } = group as Record<string, unknown>;
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && p !== ''))
      say(`${label}.paths is not an array of file names: ${describe(paths)}`);
    if (!Array.isArray(weights))
      say(`${label}.weights is not an array of weight specs: ${describe(weights)}`);
    for (const [j, spec] of (weights as unknown[]).entries())
      checkSpec(spec, `${label}.weights[${j}]`, say);
  }
  if (!weightsOnly && !isObject(json.modelTopology))
    say(
      json.modelTopology === undefined
        ? ' has no modelTopology (a weights-only manifest: read it with { weightsOnly: true })'
        : `'s modelTopology is not a JSON object: ${describe(json.modelTopology)}`,
    );
  return json as unknown as io.ModelJSON;
}

const product = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);

/**
 * Checks that `data` holds exactly what `specs` describe: shape × dtype size (the quantised
 * dtype's size when a spec is quantised), strings as tfjs encodes them (a uint32 byte length
 * before each value). `say` names `data` (several files when `plural`); `specsName` names
 * where the specs are.
 */
export function checkWeightBytes(
  specs: readonly io.WeightsManifestEntry[],
  data: Uint8Array,
  specsName: string,
  say: Say,
  plural = false,
): void {
  const holds = plural ? 'hold' : 'holds';
  let need = 0;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (const spec of specs) {
    const size = product(spec.shape);
    if (spec.quantization != null) need += size * QUANTIZED_BYTES[spec.quantization.dtype];
    else if (spec.dtype === 'string')
      for (let i = 0; i < size; i++) {
        if (need + 4 > data.byteLength)
          say(
            ` ${holds} ${data.byteLength} bytes and ends inside the string weight '${spec.name}' of ${specsName}`,
          );
        need += 4 + view.getUint32(need, true);
      }
    else need += size * DTYPE_BYTES[spec.dtype];
  }
  if (need !== data.byteLength)
    say(
      ` ${holds} ${data.byteLength} bytes, but the ${specs.length} weight specs of ${specsName} need ${need}`,
    );
}

/** Bytes: an ArrayBuffer or a view of one (a Uint8Array, a Node Buffer, any typed array). */
const isBytes = (value: unknown): value is ArrayBufferView | ArrayBuffer =>
  value instanceof ArrayBuffer || (ArrayBuffer.isView(value) && !(value instanceof DataView));
const bytesOf = (value: ArrayBufferView | ArrayBuffer): Uint8Array =>
  value instanceof Uint8Array
    ? value
    : value instanceof ArrayBuffer
      ? new Uint8Array(value)
      : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);

/** One ArrayBuffer of `parts` in order; the part itself when it is one whole ArrayBuffer already. */
function concat(parts: readonly Uint8Array[]): ArrayBuffer {
  if (
    parts.length === 1 &&
    parts[0].byteOffset === 0 &&
    parts[0].buffer instanceof ArrayBuffer &&
    parts[0].byteLength === parts[0].buffer.byteLength
  )
    return parts[0].buffer;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out.buffer;
}

/** The files a checked model.json's weights are in, in manifest order. */
export const manifestPaths = (json: io.ModelJSON): string[] =>
  json.weightsManifest.flatMap((group) => group.paths);

/** How messages name a model.json's weight files: `weights.bin`, or `the weight files (a, b)`. */
export const weightFilesName = (paths: readonly string[], show = (p: string) => p): string =>
  paths.length === 1
    ? show(paths[0])
    : `the weight files (${paths.length > 3 ? `${paths.length} of them, ${show(paths[0])} …` : paths.map(show).join(', ')})`;

/**
 * Artifacts from a checked model.json and its weight files' bytes (one per path, or all in
 * one): model.json's fields in its order, then `weightSpecs` and `weightData`. Messages name
 * model.json `jsonName`, and its weight files as `show` shows a path, under `fn: arg: `.
 */
export function decodeChecked(
  json: io.ModelJSON,
  shards: readonly Uint8Array[],
  at: { fn: string; arg: string; jsonName: string; show?: (path: string) => string },
): ModelArtifactsData {
  const specs = json.weightsManifest.flatMap((group) => group.weights);
  const paths = manifestPaths(json);
  const data = concat(shards);
  checkWeightBytes(
    specs,
    new Uint8Array(data),
    at.jsonName,
    sayAbout(at.fn, at.arg, weightFilesName(paths, at.show)),
    paths.length !== 1,
  );
  const artifacts: Record<string, unknown> = {};
  for (const key of Object.keys(json))
    if (JSON_FIELDS.has(key)) artifacts[key] = (json as unknown as Record<string, unknown>)[key];
  return { ...(artifacts as io.ModelArtifacts), weightSpecs: specs, weightData: data };
}

/** Checks `artifacts` and joins their weight data into one ArrayBuffer (no copy when it is one). */
export function joinChecked(fn: string, arg: string, artifacts: unknown): ModelArtifactsData {
  if (!isObject(artifacts))
    return argError(fn, arg, 'model artifacts (what model.save hands its handler)', artifacts);
  const { weightData } = artifacts as io.ModelArtifacts;
  const weightSpecs = (artifacts as io.ModelArtifacts).weightSpecs ?? [];
  const specsArg = `${arg}.weightSpecs`;
  if (!Array.isArray(weightSpecs)) argError(fn, specsArg, 'an array of weight specs', weightSpecs);
  const saySpecs: Say = (detail) => {
    throw new ArgumentError(fn, specsArg, `${specsArg}${detail}`);
  };
  for (const [i, spec] of weightSpecs.entries()) checkSpec(spec, `[${i}]`, saySpecs);
  const dataArg = `${arg}.weightData`;
  const shards = weightData == null ? [] : Array.isArray(weightData) ? weightData : [weightData];
  for (const [i, shard] of shards.entries())
    if (!isBytes(shard))
      argError(
        fn,
        Array.isArray(weightData) ? `${dataArg}[${i}]` : dataArg,
        'an ArrayBuffer or an array of them',
        shard,
      );
  const data = shards.length === 0 ? new ArrayBuffer(0) : concat(shards.map(bytesOf));
  checkWeightBytes(weightSpecs, new Uint8Array(data), specsArg, (detail) => {
    throw new ArgumentError(fn, dataArg, `${dataArg}${detail}`);
  });
  return { ...(artifacts as io.ModelArtifacts), weightSpecs, weightData: data };
}

/** model.json's text and weights.bin's bytes for artifacts (checked). */
export function encodeChecked(fn: string, arg: string, artifacts: unknown): ModelFiles {
  const joined = joinChecked(fn, arg, artifacts);
  if (joined.modelTopology instanceof ArrayBuffer)
    throw new ArgumentError(
      fn,
      `${arg}.modelTopology`,
      `${arg}.modelTopology is an ArrayBuffer (a binary GraphDef); model.json holds JSON topologies only`,
    );
  // The artifacts' fields in their own order, then the manifest: what tfjs's handlers write.
  const json: Record<string, unknown> = {};
  for (const key of Object.keys(joined))
    if (JSON_FIELDS.has(key)) json[key] = (joined as unknown as Record<string, unknown>)[key];
  json.weightsManifest = [{ paths: [WEIGHTS_BIN], weights: joined.weightSpecs }];
  return { modelJson: JSON.stringify(json), weights: new Uint8Array(joined.weightData) };
}

function decodeOptions(
  fn: string,
  options: DecodeModelOptions | undefined,
): { weightsOnly: boolean; file: string } {
  const { weightsOnly = false, file = MODEL_JSON } = optionsArg(fn, options);
  if (typeof file !== 'string' || file === '')
    argError(fn, 'options.file', 'a file name (a non-empty string)', file);
  return { weightsOnly: booleanArg(fn, 'options.weightsOnly', weightsOnly), file };
}

/**
 * Model artifacts with their weight data in one ArrayBuffer and `weightSpecs` listed (`[]` when
 * absent): what tfjs 4.22 hands save handlers holds either one ArrayBuffer or several. Checks
 * that the data is exactly as long as the specs need. No copy when it is one ArrayBuffer.
 */
export function joinModelArtifacts(artifacts: io.ModelArtifacts): ModelArtifactsData {
  return joinChecked('joinModelArtifacts', 'artifacts', artifacts);
}

/**
 * A model directory's two files for `artifacts` (what `model.save` hands its handler):
 * `model.json`'s text — the artifacts' JSON fields in their order, then
 * `weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }]` — and `weights.bin`'s
 * bytes (a view of the artifacts' buffer when it is one ArrayBuffer): the layout tfjs-node's
 * `file://` handler writes, compact JSON.
 */
export function encodeModelArtifacts(artifacts: io.ModelArtifacts): ModelFiles {
  return encodeChecked('encodeModelArtifacts', 'artifacts', artifacts);
}

/**
 * Checks a model.json — its text or parsed object — and returns it parsed: a JSON object with
 * a `weightsManifest` of `{ paths, weights }` groups and valid weight specs, and a
 * `modelTopology` unless `weightsOnly`. `modelJson.weightsManifest.flatMap((g) => g.paths)` are
 * the weight files to fetch.
 */
export function parseModelJson(
  modelJson: string | io.ModelJSON | Omit<io.ModelJSON, 'modelTopology'>,
  options?: DecodeModelOptions,
): io.ModelJSON {
  const fn = 'parseModelJson';
  const { weightsOnly, file } = decodeOptions(fn, options);
  return checkModelJson(modelJson, weightsOnly, sayAbout(fn, 'modelJson', file));
}

/**
 * Model artifacts from a model.json (text or object) and its weight files' bytes: one buffer
 * per file of its `weightsManifest`, in order (shards), or one buffer holding them all. Throws
 * an ArgumentError naming `modelJson` when model.json lacks a topology (unless `weightsOnly`)
 * or a valid manifest, and naming `weights` when the bytes are not exactly what the weight specs
 * need (dtype sizes; quantised specs count their quantised dtype). `loadLayersModel(
 * io.fromMemory(decodeModelArtifacts(json, bytes)))` builds the model.
 */
export function decodeModelArtifacts(
  modelJson: string | io.ModelJSON | Omit<io.ModelJSON, 'modelTopology'>,
  weights: WeightBytes,
  options?: DecodeModelOptions,
): ModelArtifactsData {
  const fn = 'decodeModelArtifacts';
  const { weightsOnly, file } = decodeOptions(fn, options);
  const json = checkModelJson(modelJson, weightsOnly, sayAbout(fn, 'modelJson', file));
  const paths = manifestPaths(json);
  const sayWeights = sayAbout(fn, 'weights', weightFilesName(paths));
  let shards: Uint8Array[];
  if (Array.isArray(weights)) {
    for (const [i, w] of weights.entries())
      if (!isBytes(w)) argError(fn, `weights[${i}]`, 'a Uint8Array or an ArrayBuffer', w);
    if (weights.length !== paths.length)
      sayWeights(
        ` must be given one buffer each (${file} lists ${paths.length}), got ${weights.length}`,
      );
    shards = weights.map(bytesOf);
  } else if (isBytes(weights)) shards = [bytesOf(weights)];
  else
    return argError(
      fn,
      'weights',
      'a Uint8Array, an ArrayBuffer or an array of them (one per weight file)',
      weights,
    );
  return decodeChecked(json, shards, { fn, arg: 'weights', jsonName: file });
}
