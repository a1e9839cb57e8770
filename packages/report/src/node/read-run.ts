import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { MetricsRecord, ScoreRecord } from '../charts/training-charts';

/** What `runReport` records of the run beside its configuration (`run.json`). */
export interface RunInfo {
  status: 'running' | 'done' | 'aborted';
  /** The tfjs backend (and `setupBackend`'s choice, e.g. 'native-cpu'). */
  backend: string;
  tfjs?: string;
  node?: string;
  platform?: string;
  cpus?: number;
  /** ISO times: the run's first start, and the latest write. */
  started: string;
  updated: string;
  /** Seconds of training, summed over resumed segments. */
  seconds: number;
  iteration: number;
  epoch: number;
  /** Where each `fit` call started (more than one after a resume). */
  segments: { started: string; iteration: number }[];
}

/** A sample grid of the run folder. */
export interface GridFile {
  /** The enlarged PNG's file name. */
  file: string;
  /** Its 1:1 twin (`….raw.png`), when written. */
  raw?: string;
  /** What it shows: 'epoch 80', 'iteration 250', 'final'. */
  caption: string;
  /** For ordering: epoch or iteration number (final: Infinity). */
  at: number;
}

/** A run folder's files, read (`readRun`). */
export interface RunRecord {
  dir: string;
  /** The folder's name. */
  name: string;
  /** `config.json`: the resolved options the run was started with. */
  config?: Record<string, unknown>;
  run?: RunInfo;
  metrics: MetricsRecord[];
  /** Each score file (`kid.jsonl`, `fid.jsonl`, …): lines with `fid`, `kid` or `precision`. */
  scores: { file: string; points: ScoreRecord[] }[];
  /** Sample grids in training order, `samples-final.png` last. */
  grids: GridFile[];
  /** A real batch's grid (`real.png`), to compare with. */
  real?: GridFile;
  /** The progress GIF's file name. */
  gif?: string;
  /** Other JSON summaries in the folder (`score.json` and the like, one level down too). */
  summaries: { file: string; value: unknown }[];
}

/** JSON lines of `file`, skipping a torn last line (a run killed mid-write). */
export function readJsonl<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  const out: T[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // Only a last line can be torn; anything else is not a JSONL file of ours.
    }
  }
  return out;
}

/** A JSON file's value, or undefined when it is missing or not JSON. */
export function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every score point of the run, file after file (what `trainingCharts` takes). */
export const scorePoints = (run: RunRecord): ScoreRecord[] => run.scores.flatMap((s) => s.points);

const GRID = /^samples-(epoch|iteration)-(\d+)\.png$/;
const isScore = (p: unknown): p is ScoreRecord =>
  typeof p === 'object' &&
  p !== null &&
  typeof (p as ScoreRecord).iteration === 'number' &&
  ['fid', 'kid', 'precision'].some((k) => typeof (p as Record<string, unknown>)[k] === 'number');

/**
 * Everything a run folder holds that a report shows: `config.json` and `run.json` (written by
 * `runReport`), `metrics.jsonl`, every score JSONL file, the sample grids, `real.png` and the
 * progress GIF — as `sampleGrid`, `metricsJsonl` and `fidEvaluator` write them.
 */
export function readRun(dir: string): RunRecord {
  const fn = 'readRun';
  if (typeof dir !== 'string' || dir === '')
    throw new TypeError(`${fn}: dir must be a folder path, got ${String(dir)}`);
  const path = resolve(dir);
  if (!existsSync(path) || !statSync(path).isDirectory())
    throw new Error(`${fn}: ${dir} is not a folder`);
  const files = readdirSync(path).sort();
  const withRaw = (file: string, caption: string, at: number): GridFile => {
    const raw = file.replace(/\.png$/, '.raw.png');
    return { file, raw: files.includes(raw) ? raw : undefined, caption, at };
  };
  const grids: GridFile[] = [];
  for (const f of files) {
    const m = GRID.exec(f);
    if (m) grids.push(withRaw(f, `${m[1]} ${Number(m[2])}`, Number(m[2])));
  }
  grids.sort((a, b) => a.at - b.at);
  if (files.includes('samples-final.png'))
    grids.push(withRaw('samples-final.png', 'final', Number.POSITIVE_INFINITY));
  const scores = files
    .filter((f) => f.endsWith('.jsonl') && f !== 'metrics.jsonl')
    .map((file) => ({ file, points: readJsonl<unknown>(join(path, file)).filter(isScore) }))
    .filter((s) => s.points.length > 0);
  const summaries: RunRecord['summaries'] = [];
  for (const f of files) {
    const sub = join(path, f);
    const candidates =
      f.endsWith('.json') && !['config.json', 'run.json'].includes(f)
        ? [f]
        : statSync(sub).isDirectory() && !['checkpoints', 'generator'].includes(f)
          ? readdirSync(sub)
              .filter((g) => g.endsWith('.json'))
              .map((g) => join(f, g))
          : [];
    for (const file of candidates) {
      const value = readJson(join(path, file));
      if (value !== undefined) summaries.push({ file, value });
    }
  }
  return {
    dir: path,
    name: basename(path),
    config: readJson(join(path, 'config.json')) as Record<string, unknown> | undefined,
    run: readJson(join(path, 'run.json')) as RunInfo | undefined,
    metrics: readJsonl<MetricsRecord>(join(path, 'metrics.jsonl')).filter(
      (r) => typeof r?.iteration === 'number',
    ),
    scores,
    grids,
    real: files.includes('real.png') ? withRaw('real.png', 'real images', 0) : undefined,
    gif: files.includes('progress.gif') ? 'progress.gif' : undefined,
    summaries,
  };
}
