import {
  argError,
  booleanArg,
  type Every,
  everyArg,
  functionArg,
  integerArg,
  optionsArg,
  positiveInteger,
  SeedStream,
  sampleLatents,
  seedArg,
  tensorArg,
} from '@gan/core';
import { dispose, slice, type Tensor, type Tensor4D, tidy } from '@tensorflow/tfjs-core';
import {
  DEFAULT_BATCH_SIZE,
  type ExtractResult,
  extractFeatures,
  type FeatureResize,
  type ImageSource,
} from './extract';
import { type FeatureExtractor, scoreLabel } from './extractor';
import { FeatureStats } from './feature-stats';
import { frechetDistance } from './frechet';
import { kernelInceptionDistance } from './kid';
import { precisionRecall, precisionRecallLabel } from './precision-recall';

/** What the evaluator needs of a trainer (`@gan/trainers`' Trainer has it). */
export interface EvaluatedTrainer {
  readonly state: { readonly iteration: number; readonly epoch: number };
  readonly context: { readonly latentDim: number };
  /** The sampler's images of the latents given (`trainer.generate(latents)`). */
  generate(latents: Tensor): Tensor;
}

/** One evaluation: `fid`, `kid`, `precision` and `recall` as their `label` says (FID-like unless the extractor is standard). */
export interface ScorePoint {
  iteration: number;
  epoch: number;
  fid?: number;
  kid?: number;
  kidStd?: number;
  /** Improved precision (Kynkäänniemi et al. 2019): the fraction of generated samples inside the real manifold. */
  precision?: number;
  /** Improved recall: the fraction of real samples inside the generated manifold. */
  recall?: number;
  /** Real and generated images each. */
  samples: number;
  label: string;
  extractor: string;
  resize: string;
}

export interface FidEvaluatorOptions {
  /** Real images, in `range` (default [−1, 1]), as `extractFeatures` takes them. */
  real: ImageSource;
  /** Real and generated images per evaluation (at most the real set's size). */
  samples: number;
  /** The feature network, or a loader called on first use (the evaluator disposes what it loaded). */
  extractor: FeatureExtractor | (() => Promise<FeatureExtractor>);
  /** When to score during `fit`: `{ epochs }`, `{ iterations }` or a number of iterations. Default: only at the start and the end. */
  every?: number | Every;
  /** Fréchet distance of the feature Gaussians. Default true. */
  fid?: boolean;
  /** KID on the same features; its subsets. Default true: subsets of half the samples (at most 1000), 50 of them. */
  kid?: boolean | { subsets?: number; subsetSize?: number; seed?: number };
  /**
   * Improved precision and recall (`precisionRecall`) on the same features; `k` the neighbourhood
   * size (default 3, below `samples`). Default false.
   */
  precisionRecall?: boolean | { k?: number };
  /** Seed of the fixed latents (drawn through `SeedStream`). Default 0. */
  seed?: number;
  /** The fixed latents themselves, `[samples, latentDim]`, instead of drawing them (the caller keeps and disposes them). */
  latents?: Tensor;
  /** Images per forward pass. Default 16 (`DEFAULT_BATCH_SIZE`, as `extractFeatures` and `gan-fid`). */
  batchSize?: number;
  range?: readonly [number, number];
  resize?: FeatureResize;
  /** Node: the real features are kept in this file and reused while extractor, samples, resize and range match. */
  cache?: string;
  /** Node: each score appended as a JSON line (a resumed run keeps the lines up to where it resumed). */
  path?: string;
  /** Score when `fit` starts (unless this iteration was scored already). Default true. */
  atStart?: boolean;
  /** Score when `fit` ends (unless this iteration was scored already). Default true. */
  atEnd?: boolean;
  onScore?(point: ScorePoint): void;
}

/** A trainer callback that scores the sampler against real images; `points` holds every score. */
export interface FidEvaluator {
  readonly name: 'fidEvaluator';
  /** Absent without `every`: scores only at the start and the end. */
  readonly every?: Every;
  readonly points: ScorePoint[];
  /** Scores the trainer's sampler now (the callback methods call this). */
  score(trainer: EvaluatedTrainer): Promise<ScorePoint>;
  onTrainBegin(trainer: EvaluatedTrainer, plan: { startIteration: number }): Promise<void>;
  onStep?(trainer: EvaluatedTrainer): Promise<void>;
  onTrainEnd(trainer: EvaluatedTrainer): Promise<void>;
  dispose(): void;
}

const CACHE_FORMAT = 'gan-fid-real-features';

/** The real features' cache: a JSON header line, FeatureStats bytes, float32 feature rows. */
function encodeCache(header: object, real: ExtractResult): Uint8Array {
  const stats = real.stats.save();
  const features = real.features as { values: Float32Array; dim: number };
  const head = new TextEncoder().encode(
    `${JSON.stringify({ ...header, format: CACHE_FORMAT, version: 1, statsBytes: stats.length })}\n`,
  );
  // Float rows start on a 4-byte boundary.
  const pad = (4 - ((head.length + stats.length) % 4)) % 4;
  const out = new Uint8Array(head.length + stats.length + pad + features.values.byteLength);
  out.set(head, 0);
  out.set(stats, head.length);
  out.set(
    new Uint8Array(features.values.buffer, features.values.byteOffset, features.values.byteLength),
    head.length + stats.length + pad,
  );
  return out;
}

function decodeCache(
  bytes: Uint8Array,
  expected: Record<string, unknown>,
): ExtractResult | undefined {
  const newline = bytes.indexOf(10);
  if (newline < 0) return undefined;
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(0, newline)));
  } catch {
    return undefined;
  }
  if (header.format !== CACHE_FORMAT || header.version !== 1) return undefined;
  for (const [k, v] of Object.entries(expected))
    if (JSON.stringify(header[k]) !== JSON.stringify(v)) return undefined;
  const start = newline + 1;
  const statsBytes = header.statsBytes as number;
  const stats = FeatureStats.load(bytes.slice(start, start + statsBytes));
  const pad = (4 - ((start + statsBytes) % 4)) % 4;
  const rows = bytes.slice(start + statsBytes + pad);
  const dim = header.dim as number;
  if (rows.byteLength !== (header.samples as number) * dim * 4) return undefined;
  return {
    stats,
    features: { values: new Float32Array(rows.buffer, rows.byteOffset, rows.byteLength / 4), dim },
  };
}

/**
 * FID, KID and (with `precisionRecall`) improved precision and recall of a trainer's sampler
 * during training, as a trainer callback, all on the same features: the real features
 * are extracted once (and cached on disk with `cache`), the generated images come from fixed
 * latents, so that scores over a run measure the generator and nothing else.
 *
 * ```ts
 * const fid = fidEvaluator({ real: images, samples: 512, extractor: nsfwjsInceptionV3,
 *                            every: { epochs: 10 }, cache: 'runs/real.features', path: 'runs/fid.jsonl' });
 * createTrainer({ ...wganGp(), generator, discriminator, callbacks: [fid] });
 * ```
 */
export function fidEvaluator(options: FidEvaluatorOptions): FidEvaluator {
  const fn = 'fidEvaluator';
  optionsArg(fn, options, { required: true });
  const samples = positiveInteger(fn, 'samples', options.samples);
  if (samples < 2) argError(fn, 'samples', 'at least 2 (a covariance needs two)', samples);
  const { extractor: given } = options;
  if (
    typeof given !== 'function' &&
    (typeof given !== 'object' || given === null || typeof given.extract !== 'function')
  )
    argError(fn, 'extractor', 'a FeatureExtractor or a function returning one', given);
  const every = options.every == null ? undefined : everyArg(fn, 'every', options.every);
  const withFid = booleanArg(fn, 'fid', options.fid ?? true);
  const kidSetting = options.kid ?? true;
  if (typeof kidSetting !== 'boolean') optionsArg(fn, kidSetting, { arg: 'kid' });
  const prSetting = options.precisionRecall ?? false;
  if (typeof prSetting !== 'boolean') optionsArg(fn, prSetting, { arg: 'precisionRecall' });
  const pr =
    prSetting === false
      ? undefined
      : {
          k: integerArg(
            fn,
            'precisionRecall.k',
            (typeof prSetting === 'object' ? prSetting.k : undefined) ?? 3,
            { min: 1, max: samples - 1 },
          ),
        };
  if (!withFid && kidSetting === false && !pr)
    argError(
      fn,
      'kid',
      'true or options when fid and precisionRecall are false (nothing to score)',
      kidSetting,
    );
  const seed = seedArg(fn, 'seed', options.seed ?? 0);
  const batchSize = positiveInteger(fn, 'batchSize', options.batchSize ?? DEFAULT_BATCH_SIZE);
  const fixedLatents =
    options.latents == null
      ? undefined
      : tensorArg(fn, 'latents', options.latents, {
          rank: 2,
          shape: [samples, null],
          layout: '[samples, latentDim]',
        });
  const atStart = booleanArg(fn, 'atStart', options.atStart ?? true);
  const atEnd = booleanArg(fn, 'atEnd', options.atEnd ?? true);
  for (const arg of ['cache', 'path'] as const)
    if (options[arg] != null && (typeof options[arg] !== 'string' || options[arg] === ''))
      argError(fn, arg, 'a file path', options[arg]);
  if (options.onScore != null) functionArg(fn, 'onScore', options.onScore);
  const kidOptions = typeof kidSetting === 'object' ? kidSetting : {};
  const kid =
    kidSetting === false
      ? undefined
      : {
          subsets: kidOptions.subsets ?? 50,
          subsetSize: kidOptions.subsetSize ?? Math.max(2, Math.min(1000, Math.floor(samples / 2))),
          seed: kidOptions.seed ?? seed,
        };
  const extractOptions = {
    samples,
    batchSize,
    range: options.range,
    resize: options.resize,
    keepFeatures: kid != null || pr != null,
  };

  let extractor: FeatureExtractor | undefined;
  let real: ExtractResult | undefined;
  let latents: Tensor | undefined;
  const points: ScorePoint[] = [];

  const fs = () => import('node:fs/promises');

  async function realFeatures(ex: FeatureExtractor): Promise<ExtractResult> {
    const key = {
      extractor: ex.name,
      dim: ex.dim,
      samples,
      resize: options.resize ?? 'bilinear',
      range: options.range ?? [-1, 1],
      features: kid != null,
    };
    if (options.cache) {
      const { readFile } = await fs();
      const bytes = await readFile(options.cache).catch(() => undefined);
      const cached = bytes && decodeCache(new Uint8Array(bytes), key);
      if (cached) return cached;
    }
    const result = await extractFeatures(options.real, ex, {
      ...extractOptions,
      keepFeatures: true,
    });
    if (options.cache) {
      const { mkdir } = await fs();
      const { dirname } = await import('node:path');
      await mkdir(dirname(options.cache), { recursive: true });
      await (await import('@gan/core/node')).writeFileAtomic(
        options.cache,
        encodeCache(key, result),
      );
    }
    return result;
  }

  async function score(trainer: EvaluatedTrainer): Promise<ScorePoint> {
    extractor ??= typeof given === 'function' ? await given() : given;
    real ??= await realFeatures(extractor);
    if (real.stats.count < samples)
      argError(fn, 'real', `at least samples (${samples}) images`, `${real.stats.count} images`);
    latents ??=
      fixedLatents ?? sampleLatents(samples, trainer.context.latentDim, new SeedStream(seed));
    const fixed = latents;
    const fake = await extractFeatures(
      (n, index) => tidy(() => trainer.generate(slice(fixed, index * batchSize, n)) as Tensor4D),
      extractor,
      extractOptions,
    );
    const scores =
      withFid || kid
        ? `${scoreLabel(extractor, withFid ? 'FID' : 'KID')} from ${samples} samples${withFid && samples < 2048 ? ' (biased upward below 2048)' : ''}`
        : undefined;
    const prText = pr && precisionRecallLabel(extractor, pr.k);
    const point: ScorePoint = {
      iteration: trainer.state.iteration,
      epoch: trainer.state.epoch,
      samples,
      label: scores
        ? `${scores}${prText ? `; ${prText} on the same features` : ''}`
        : `${prText} from ${samples} samples`,
      extractor: extractor.name,
      resize: String(fake.stats.meta.resize),
    };
    if (withFid) point.fid = frechetDistance(real.stats, fake.stats, { onWarning: null });
    if (kid) {
      const result = kernelInceptionDistance(real.features!, fake.features!, kid);
      point.kid = result.mean;
      point.kidStd = result.std;
    }
    if (pr) {
      const result = precisionRecall(real.features!, fake.features!, { k: pr.k });
      point.precision = result.precision;
      point.recall = result.recall;
    }
    points.push(point);
    if (options.path) await (await fs()).appendFile(options.path, `${JSON.stringify(point)}\n`);
    options.onScore?.(point);
    return point;
  }

  const scored = (iteration: number) => points.at(-1)?.iteration === iteration;

  const evaluator: FidEvaluator = {
    name: fn,
    every,
    points,
    score,
    async onTrainBegin(trainer, plan) {
      if (options.path) {
        const { resumeJsonl } = await import('@gan/core/node');
        const kept = await resumeJsonl<ScorePoint>(options.path, plan.startIteration);
        points.splice(0, points.length, ...kept);
      }
      if (atStart && !scored(trainer.state.iteration)) await score(trainer);
    },
    async onStep(trainer) {
      if (!scored(trainer.state.iteration)) await score(trainer);
    },
    async onTrainEnd(trainer) {
      if (atEnd && !scored(trainer.state.iteration)) await score(trainer);
    },
    dispose() {
      if (typeof given === 'function') extractor?.dispose();
      if (latents !== fixedLatents) dispose(latents);
      [extractor, latents, real] = [undefined, undefined, undefined];
    },
  };
  // Without `every` nothing runs between the start and the end (a trainer would default it).
  if (!every) delete evaluator.onStep;
  return evaluator;
}
