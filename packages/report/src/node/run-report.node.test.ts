import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fidEvaluator, pixelExtractor } from '@gan/fid';
import { dcganDiscriminator, dcganGenerator } from '@gan/models';
import { expectArgError, testBackend } from '@gan/test-utils';
import { scratchDirs } from '@gan/test-utils/node';
import { createTrainer, saveCheckpoints, type TrainerCallback, wganGp } from '@gan/trainers';
import { fileCheckpoints, metricsJsonl, sampleGrid } from '@gan/trainers/node';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type RunInfo, readRun } from './read-run';
import { runReport } from './run-report';

const scratch = scratchDirs('gan-report-');

/** An 8×8 WGAN-GP with the example's callbacks and `runReport` last but the checkpoints. */
function build(dir: string, report: TrainerCallback, real: tf.Tensor4D) {
  const trainer = createTrainer({
    ...wganGp({ nCritic: 2 }),
    generator: dcganGenerator({ resolution: 8, latentDim: 4, baseFilters: 4, seed: 1 }),
    discriminator: dcganDiscriminator({
      resolution: 8,
      baseFilters: 4,
      norm: 'none',
      output: 'score',
      seed: 2,
    }),
    seed: 3,
    logEvery: 2,
    warnings: null,
    callbacks: [
      fidEvaluator({
        real,
        samples: 16,
        extractor: pixelExtractor({ size: 8 }),
        fid: false,
        kid: { subsets: 2, subsetSize: 8, seed: 1 },
        every: { epochs: 1 },
        path: join(dir, 'kid.jsonl'),
      }),
      sampleGrid({ dir, count: 4, cols: 2 }),
      metricsJsonl(join(dir, 'metrics.jsonl')),
      report,
      saveCheckpoints({ store: fileCheckpoints(join(dir, 'checkpoints')), every: { epochs: 1 } }),
    ],
  });
  return trainer;
}

const info = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunInfo;

describe(`runReport [${testBackend()}]`, () => {
  it('keeps config.json, run.json, index.html and the chart files of a run, resumed too', async () => {
    const dir = await scratch();
    const data = tf.randomUniform([32, 8, 8, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
    const config = { epochs: 2, lr: 2e-4, augment: 'none', nested: { a: 1 } };
    const pages: string[] = [];
    // Every report written, to see it grow during training.
    const spy: TrainerCallback = {
      every: { epochs: 1 },
      onStep: () => void pages.push(readFileSync(join(dir, 'index.html'), 'utf8')),
    };
    const first = build(dir, runReport({ dir, config, backend: 'test-backend' }), data);
    await first.fit(data, { batchSize: 8, epochs: 2, callbacks: [spy] });
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('epoch 1');
    expect(pages[0]).not.toContain('epoch 2');
    expect(pages[1]).toContain('epoch 2');
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual(config);
    const done = info(dir);
    expect(done).toMatchObject({ status: 'done', backend: 'test-backend', iteration: 8, epoch: 2 });
    expect(done.tfjs).toBe(tf.version_core);
    expect(done.segments).toHaveLength(1);
    expect(done.seconds).toBeGreaterThan(0);

    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    // Configuration, facts, scores, charts and pictures, all in the one file.
    for (const text of [
      'nested.a',
      'augment',
      'test-backend',
      'kid.jsonl',
      'Losses',
      'Critic&#39;s Wasserstein estimate',
      'epoch 2',
      'final',
    ])
      expect(html).toContain(text);
    expect(html).toMatch(/<td>0\.0002<\/td>/);
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(4);
    expect((html.match(/src="data:image\/png;base64,/g) ?? []).length).toBeGreaterThanOrEqual(3);
    expect(html).toContain('src="data:image/gif;base64,');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // nothing runs, nothing fetched
    for (const f of ['losses.svg', 'critics-wasserstein-estimate.svg', 'kid-pixels-8-8-3.svg'])
      expect(existsSync(join(dir, 'charts', f)), f).toBe(true);

    // A resumed run: the same report, the segments and the time summed.
    first.dispose();
    const second = build(dir, runReport({ dir, config }), data);
    await second.load(fileCheckpoints(join(dir, 'checkpoints')));
    await second.fit(data, { batchSize: 8, epochs: 3 });
    const resumed = info(dir);
    expect(resumed).toMatchObject({
      status: 'done',
      iteration: 12,
      epoch: 3,
      started: done.started,
    });
    expect(resumed.segments.map((s) => s.iteration)).toEqual([0, 8]);
    expect(resumed.seconds).toBeGreaterThan(done.seconds);
    const run = readRun(dir);
    expect(run.grids.map((g) => g.caption)).toEqual(['epoch 1', 'epoch 2', 'epoch 3', 'final']);
    expect(run.scores[0].points.map((p) => p.iteration)).toEqual([0, 4, 8, 12]);
    second.dispose();
    data.dispose();
  });

  it('an aborted fit leaves status aborted', async () => {
    const dir = await scratch();
    const data = tf.randomUniform([16, 8, 8, 3], -1, 1, 'float32', 5) as tf.Tensor4D;
    const controller = new AbortController();
    const trainer = build(dir, runReport({ dir, every: 2 }), data);
    const stop: TrainerCallback = { every: { iterations: 2 }, onStep: () => controller.abort() };
    await trainer.fit(data, {
      batchSize: 8,
      epochs: 5,
      signal: controller.signal,
      callbacks: [stop],
    });
    expect(info(dir).status).toBe('aborted');
    expect(existsSync(join(dir, 'config.json'))).toBe(false); // no config given
    trainer.dispose();
    data.dispose();
  });

  it('refuses bad options before training, naming them', () => {
    expectArgError(() => runReport({ dir: '' }), 'runReport', 'dir');
    expectArgError(() => runReport({ dir: 'x', config: 3 as never }), 'runReport', 'config');
    expectArgError(() => runReport({ dir: 'x', strip: 0 }), 'runReport', 'options.strip');
    expectArgError(() => runReport({ dir: 'x', smoothing: 2 }), 'runReport', 'options.smoothing');
    expectArgError(() => runReport({ dir: 'x', every: -1 }), 'runReport', 'every');
    expectArgError(() => runReport(undefined as never), 'runReport', 'options');
  });
});
