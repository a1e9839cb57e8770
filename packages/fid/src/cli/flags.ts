import { parseArgs } from 'node:util';
import { ArgumentError, argError, type BackendName, defaultBackendOrder, oneOf } from '@gan/core';
import { DEFAULT_BATCH_SIZE } from '../extract';

const FN = 'gan-fid';

/** What the `gan-fid` command line asks for, checked before anything runs. */
export interface FidFlags {
  /** Print the help instead of running: asked for (`-h`), or a usage error (not two inputs). */
  help?: 'asked' | 'usage';
  /** The two inputs: folders or statistics files. */
  inputs: string[];
  extractor: { kind: 'nsfwjs' } | { kind: 'random' } | { kind: 'inception'; from: string };
  kid: boolean;
  /** Improved precision and recall (k = 3) on the same features. */
  precisionRecall: boolean;
  samples?: number;
  batchSize: number;
  saveStats?: string;
  /** A built-in backend, or `native-cpu` (the candidate the command passes, before wasm). */
  backend?: BackendName;
  json: boolean;
}

/** A flag's positive integer: `gan-fid: --samples must be a positive integer, got 'abc'`. */
function positiveFlag(flag: string, text: string): number {
  const n = Number(text);
  if (!(/^\s*\d+\s*$/.test(text) && Number.isInteger(n) && n > 0))
    argError(FN, flag, 'a positive integer', text);
  return n;
}

const EXTRACTORS = ['nsfwjs', 'inception=PATH_OR_URL', 'random'];

/** Parses and checks `gan-fid`'s arguments; every misuse is an ArgumentError naming the flag. */
export function parseFidArgs(args: readonly string[]): FidFlags {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new ArgumentError(FN, undefined, `${(error as Error).message} (see gan-fid --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length !== 2)
    return {
      help: values.help ? 'asked' : 'usage',
      inputs: positionals,
      extractor: { kind: 'nsfwjs' },
      kid: false,
      precisionRecall: false,
      batchSize: DEFAULT_BATCH_SIZE,
      json: false,
    };
  const spec = values.extractor;
  let extractor: FidFlags['extractor'];
  if (spec === 'nsfwjs' || spec === 'random') extractor = { kind: spec };
  else if (spec.startsWith('inception=') && spec.length > 'inception='.length)
    extractor = { kind: 'inception', from: spec.slice('inception='.length) };
  else return argError(FN, '--extractor', EXTRACTORS.map((e) => `'${e}'`).join(' | '), spec);
  return {
    inputs: positionals,
    extractor,
    kid: values.kid,
    precisionRecall: values['precision-recall'],
    samples: values.samples === undefined ? undefined : positiveFlag('--samples', values.samples),
    batchSize: positiveFlag('--batch', values.batch),
    saveStats: values['save-stats'],
    backend:
      values.backend === undefined
        ? undefined
        : oneOf(FN, '--backend', values.backend, defaultBackendOrder([{ name: 'native-cpu' }])),
    json: values.json,
  };
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      extractor: { type: 'string', default: 'nsfwjs' },
      kid: { type: 'boolean', default: false },
      'precision-recall': { type: 'boolean', default: false },
      samples: { type: 'string' },
      batch: { type: 'string', default: String(DEFAULT_BATCH_SIZE) },
      'save-stats': { type: 'string' },
      backend: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
