import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeedStream } from '@gan/core';
import { toImageTensor, toUint8 } from '@gan/data';
import {
  gradientPenalty,
  wassersteinDiscriminatorLoss,
  wassersteinGeneratorLoss,
} from '@gan/losses';
import { dcganDiscriminator, dcganGenerator } from '@gan/models';
import { critic } from '@gan/trainers';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { encodePng } from './png';
import { syntheticSprites } from './synthetic';

export interface TrainOptions {
  /** Critic updates (iterations); the generator trains every `nCritic`-th. */
  steps: number;
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
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

export interface Progress {
  step: number;
  steps: number;
  criticLoss: number;
  generatorLoss: number;
  /** mean D(x) − mean D(G(z)): the critic's estimate of the Wasserstein distance. */
  wasserstein: number;
  imagesPerSecond: number;
}

export interface TrainResult {
  steps: number;
  stopped: boolean;
  last: Progress | undefined;
  files: string[];
}

const variables = (model: tfl.LayersModel) =>
  model.trainableWeights.map((w) => w.read() as tf.Variable);

/** A cols × rows grid of [−1, 1] images as RGB bytes. */
async function grid(
  images: tf.Tensor4D,
  cols: number,
): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  const [n, h, w] = images.shape;
  const rows = Math.ceil(n / cols);
  const pixels = toUint8(images);
  const values = await pixels.data();
  pixels.dispose();
  const width = cols * w;
  const height = rows * h;
  const rgb = new Uint8Array(width * height * 3).fill(255);
  for (let i = 0; i < n; i++) {
    const [gx, gy] = [(i % cols) * w, Math.floor(i / cols) * h];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let c = 0; c < 3; c++)
          rgb[((gy + y) * width + gx + x) * 3 + c] = values[((i * h + y) * w + x) * 3 + c];
      }
    }
  }
  return { rgb, width, height };
}

async function writeGrid(path: string, images: tf.Tensor4D): Promise<string> {
  const { rgb, width, height } = await grid(images, 8);
  writeFileSync(path, encodePng(rgb, width, height));
  return path;
}

/**
 * WGAN-GP (Gulrajani et al. 2017: λ 10, n_critic 5, Adam 2e-4, β = (0.5, 0.9)) with DCGAN-shaped
 * networks, the critic without normalisation. Writes samples.png, real.png and metrics.jsonl.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { steps, batchSize, resolution, latentDim, filters, seed, outDir } = options;
  mkdirSync(outDir, { recursive: true });
  const stream = new SeedStream(seed);
  const generator = dcganGenerator({
    resolution,
    latentDim,
    baseFilters: filters,
    channels: 3,
    seed: stream.nextSeed(),
  });
  const discriminator = dcganDiscriminator({
    resolution,
    baseFilters: filters,
    channels: 3,
    norm: 'none',
    output: 'score',
    seed: stream.nextSeed(),
  });
  const dOptimizer = tf.train.adam(2e-4, 0.5, 0.9);
  const gOptimizer = tf.train.adam(2e-4, 0.5, 0.9);
  const schedule = critic({ nCritic: options.nCritic });
  const poolSize = Math.max(256, batchSize * 8);
  const pool = toImageTensor(syntheticSprites(poolSize, resolution, stream.fork()), [
    poolSize,
    resolution,
    resolution,
    3,
  ]);
  const fixedZ = tf.randomNormal([64, latentDim], 0, 1, 'float32', stream.nextSeed());
  const metricsPath = join(outDir, 'metrics.jsonl');
  writeFileSync(metricsPath, '');

  let criticCost: tf.Scalar | undefined;
  let generatorCost: tf.Scalar | undefined;
  let wasserstein: tf.Scalar | undefined;
  let last: Progress | undefined;
  let windowStart = performance.now();
  let windowImages = 0;
  let step = 0;
  try {
    for (step = 1; step <= steps && !options.signal?.aborted; step++) {
      const { trainGenerator } = schedule.next();
      const real = tf.tidy(() =>
        tf.gather(pool, tf.randomUniform([batchSize], 0, poolSize, 'int32', stream.nextSeed())),
      );
      const zSeed = stream.nextSeed();
      const gpSeed = stream.nextSeed();
      tf.dispose([criticCost, wasserstein]);
      criticCost = dOptimizer.minimize(
        () => {
          const fake = generator.apply(
            tf.randomNormal([batchSize, latentDim], 0, 1, 'float32', zSeed),
            { training: true },
          ) as tf.Tensor;
          const w = wassersteinDiscriminatorLoss(
            discriminator.apply(real) as tf.Tensor,
            discriminator.apply(fake) as tf.Tensor,
          );
          wasserstein = tf.keep(tf.neg(w));
          return tf.add(
            w,
            gradientPenalty(discriminator, real, fake, { seed: gpSeed }),
          ) as tf.Scalar;
        },
        true,
        variables(discriminator),
      ) as tf.Scalar;
      real.dispose();
      if (trainGenerator) {
        const gSeed = stream.nextSeed();
        generatorCost?.dispose();
        generatorCost = gOptimizer.minimize(
          () => {
            const fake = generator.apply(
              tf.randomNormal([batchSize, latentDim], 0, 1, 'float32', gSeed),
              { training: true },
            );
            return wassersteinGeneratorLoss(discriminator.apply(fake as tf.Tensor) as tf.Tensor);
          },
          true,
          variables(generator),
        ) as tf.Scalar;
      }
      windowImages += batchSize;
      if (step % options.logEvery === 0 || step === steps) {
        const [c, g, w] = await Promise.all(
          [criticCost, generatorCost, wasserstein].map(async (t) =>
            t ? (await t.data())[0] : Number.NaN,
          ),
        );
        const now = performance.now();
        last = {
          step,
          steps,
          criticLoss: c,
          generatorLoss: g,
          wasserstein: w,
          imagesPerSecond: (windowImages * 1000) / (now - windowStart),
        };
        [windowStart, windowImages] = [now, 0];
        appendFileSync(metricsPath, `${JSON.stringify(last)}\n`);
        if (!Number.isFinite(c))
          throw new Error(`critic loss became ${c} at step ${step}; stopping`);
        options.onProgress?.(last);
      }
    }
    const files = [metricsPath];
    const samples = tf.tidy(() => generator.apply(fixedZ, { training: false }) as tf.Tensor4D);
    files.push(await writeGrid(join(outDir, 'samples.png'), samples));
    samples.dispose();
    const realGrid = tf.tidy(() => tf.slice(pool, [0, 0, 0, 0], [64, -1, -1, -1]) as tf.Tensor4D);
    files.push(await writeGrid(join(outDir, 'real.png'), realGrid));
    realGrid.dispose();
    return { steps: step - 1, stopped: options.signal?.aborted === true, last, files };
  } finally {
    tf.dispose([criticCost, generatorCost, wasserstein, pool, fixedZ]);
    dOptimizer.dispose();
    gOptimizer.dispose();
    generator.dispose();
    discriminator.dispose();
  }
}
