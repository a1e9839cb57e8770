import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelDir } from '@gan/core/node';
import {
  encodePng,
  type ImageDataset,
  imageGrid,
  imagesToTensor,
  scaleToWidth,
  upscaleNearest,
} from '@gan/data';
import { runReport } from '@gan/report/node';
import {
  createTrainer,
  type StepMetrics,
  saveCheckpoints,
  type TrainerCallback,
} from '@gan/trainers';
import { fileCheckpoints, metricsJsonl, sampleGrid } from '@gan/trainers/node';
import type * as tf from '@tensorflow/tfjs-core';
import { firstOfEachClass, setClassNames } from './classes';
import { fashionCgan, type RecipeOptions } from './recipe';

export interface TrainOptions extends RecipeOptions {
  data: ImageDataset;
  epochs: number;
  /** Stop after this many iterations of this run, if sooner. */
  steps?: number;
  batchSize: number;
  outDir: string;
  logEvery: number;
  /** A per-class grid (and GIF frame) every this many iterations. */
  gridEvery: number;
  resume?: boolean;
  callbacks?: TrainerCallback[];
  signal?: AbortSignal;
  /** What the run report's config.json records (the CLI's resolved options: the data as a source, not images). */
  config?: Record<string, unknown>;
  /** The backend as `setupBackend` chose it, for the run report. */
  backend?: string;
}

export interface TrainResult {
  iterations: number;
  epochs: number;
  stopped: boolean;
  resumedFrom?: string;
  last: StepMetrics | undefined;
}

/** Ten real images of each class, a row per class, as the per-class sample grids lay them out. */
async function realGrid(data: ImageDataset, classes: number): Promise<tf.Tensor4D> {
  const rows = firstOfEachClass(data.labels ?? [], classes, 10);
  return imagesToTensor(await Promise.all(rows.map((i) => data.get(i))));
}

/**
 * Trains the class-conditional GAN (see `fashionCgan`) with @gan/* callbacks: per-class sample
 * grids and a progress GIF, metrics.jsonl, a run report (index.html, config.json, run.json,
 * charts/), a checkpoint every epoch (and on Ctrl-C);
 * then the generator (tfjs format), the label set in its model.json (and `classes.json` in the run).
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { outDir, data } = options;
  const classes = data.classes;
  if (!classes) throw new Error('train: the data has no labels');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'classes.json'), `${JSON.stringify(classes)}\n`);
  const batches = data.labelledBatches(options.batchSize, { shuffle: options.seed });
  if ((batches.length ?? 0) === 0)
    throw new Error(`${data.length} images make no batch of ${options.batchSize}: lower --batch`);
  const store = fileCheckpoints(join(outDir, 'checkpoints'), { keep: 2 });
  const recipe = fashionCgan(options);
  const trainer = createTrainer({
    ...recipe,
    logEvery: options.logEvery,
    callbacks: [
      sampleGrid({
        dir: outDir,
        cols: 10,
        seed: options.seed,
        every: { iterations: options.gridEvery },
      }),
      metricsJsonl(join(outDir, 'metrics.jsonl')),
      ...(options.callbacks ?? []),
      // After the callbacks whose files it shows, as often as the grids.
      runReport({
        dir: outDir,
        config: options.config,
        backend: options.backend,
        every: { iterations: options.gridEvery },
      }),
      saveCheckpoints({ store, every: { epochs: 1 } }),
    ],
  });
  try {
    const resume = options.resume && existsSync(join(outDir, 'checkpoints'));
    const resumedFrom = resume ? await trainer.load(store, { fallback: true }) : undefined;
    const real = await realGrid(data, classes.length);
    const grid = await imageGrid(real, { cols: 10, padding: 1 });
    real.dispose();
    writeFileSync(
      join(outDir, 'real.png'),
      encodePng(upscaleNearest(grid, scaleToWidth(grid.width, 512))),
    );
    writeFileSync(join(outDir, 'real.raw.png'), encodePng(grid));
    const { stopped, last } = await trainer.fit(batches, {
      epochs: options.epochs,
      steps: options.steps,
      signal: options.signal,
    });
    setClassNames(trainer.sampler, classes);
    await trainer.sampler.save(modelDir(join(outDir, 'generator')));
    return {
      iterations: trainer.state.iteration,
      epochs: trainer.state.epoch,
      stopped: stopped === 'aborted',
      resumedFrom,
      last,
    };
  } finally {
    trainer.dispose();
    recipe.generator.dispose();
    recipe.discriminator.dispose();
  }
}
