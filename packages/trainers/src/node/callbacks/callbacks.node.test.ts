import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  conditionalDcganDiscriminator,
  conditionalDcganGenerator,
  dcganDiscriminator,
  dcganGenerator,
} from '@gan/models';
import { expectArgError, testBackend } from '@gan/test-utils';
import { scratchDirs } from '@gan/test-utils/node';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { saveCheckpoints } from '../../callbacks/save-checkpoints';
import { wganGp } from '../../presets/presets';
import { createTrainer } from '../../trainer/create-trainer';
import { disposeAll } from '../../trainer/dispose-all';
import type { Trainer, TrainerOptions } from '../../trainer/types';
import { fileCheckpoints } from '../file-checkpoints';
import { metricsJsonl } from './metrics-jsonl';
import { progressLine } from './progress-line';
import { sampleGrid } from './sample-grid';

const scratch = scratchDirs('gan-callbacks-');

/** An 8×8 DCGAN pair: 4 batches of 8 an epoch on `images()`. */
function build(extra: Partial<TrainerOptions> = {}): Trainer {
  const generator = dcganGenerator({ resolution: 8, latentDim: 4, baseFilters: 4, seed: 1 });
  const discriminator = dcganDiscriminator({
    resolution: 8,
    baseFilters: 4,
    norm: 'none',
    output: 'score',
    seed: 2,
  });
  return createTrainer({
    ...wganGp({ nCritic: 2 }),
    generator,
    discriminator,
    seed: 3,
    logEvery: 2,
    warnings: null,
    ...extra,
  });
}
const images = () => tf.randomUniform([32, 8, 8, 3], -1, 1, 'float32', 4);
const gifFrames = async (file: string) =>
  (await sharp(readFileSync(file), { pages: -1 }).metadata()).pages;
/** The PNG files in `dir`, sorted. */
const pngs = async (dir: string) => (await readdir(dir)).filter((f) => f.endsWith('.png')).sort();
const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { iteration: number });

describe(`Node callbacks [${testBackend()}]`, () => {
  it('sampleGrid, metricsJsonl: a run stopped and resumed writes the files of one uninterrupted run', async () => {
    const dir = await scratch();
    const callbacks = () => [
      sampleGrid({ dir, count: 4, cols: 2 }),
      metricsJsonl(join(dir, 'metrics.jsonl')),
    ];
    const store = fileCheckpoints(join(dir, 'checkpoints'));
    const data = images();
    const first = build({
      callbacks: [...callbacks(), saveCheckpoints({ store, every: { epochs: 1 } })],
    });
    await first.fit(data, { batchSize: 8, epochs: 2 });
    // Iterations 9–10 happen, then the process "dies" before the next checkpoint.
    await first.fit(data, { batchSize: 8, steps: 2 });
    disposeAll(first);
    expect(lines(join(dir, 'metrics.jsonl')).map((l) => l.iteration)).toEqual([2, 4, 6, 8, 10]);

    const second = build({
      callbacks: [...callbacks(), saveCheckpoints({ store, every: { epochs: 1 } })],
    });
    await second.load(store);
    expect(second.state.iteration).toBe(8);
    await second.fit(data, { batchSize: 8, epochs: 3 });
    disposeAll(second);
    data.dispose();
    const files = await pngs(dir);
    expect(files).toEqual([
      'samples-epoch-001.png',
      'samples-epoch-001.raw.png',
      'samples-epoch-002.png',
      'samples-epoch-002.raw.png',
      'samples-epoch-003.png',
      'samples-epoch-003.raw.png',
      'samples-final.png',
      'samples-final.raw.png',
    ]);
    const raw = await sharp(readFileSync(join(dir, 'samples-epoch-003.raw.png'))).metadata();
    // 2 × 2 images of 8 px, 1 px padding around and between.
    expect([raw.width, raw.height]).toEqual([19, 19]);
    // The grid to look at: 27× (the least whole factor to 512 px), each pixel a 27² block.
    const big = await sharp(readFileSync(join(dir, 'samples-epoch-003.png')))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([big.info.width, big.info.height]).toEqual([513, 513]);
    const small = await sharp(readFileSync(join(dir, 'samples-epoch-003.raw.png')))
      .raw()
      .toBuffer();
    const c = big.info.channels;
    const at = (data: Buffer, width: number, x: number, y: number) =>
      Array.from(data.subarray((y * width + x) * c, (y * width + x) * c + c));
    for (const [x, y] of [
      [0, 0],
      [5, 3],
      [18, 18],
      [9, 12],
    ])
      expect(at(big.data, 513, x * 27 + 13, y * 27 + 26)).toEqual(at(small, 19, x, y));
    // Epochs 1–3 and the final grid; the first run's two grids read back from disk.
    expect(await gifFrames(join(dir, 'progress.gif'))).toBe(4);
    expect(lines(join(dir, 'metrics.jsonl')).map((l) => l.iteration)).toEqual([2, 4, 6, 8, 10, 12]);
  });

  it('sampleGrid: a fresh run in a used folder replaces its grids, even at another size', async () => {
    const dir = await scratch();
    const data = images();
    const earlier = build({ callbacks: [sampleGrid({ dir, count: 4, cols: 2, minWidth: 0 })] });
    await earlier.fit(data, { batchSize: 8, epochs: 3 });
    disposeAll(earlier);
    // minWidth 0: the 1:1 grids alone.
    expect(await pngs(dir)).toEqual([
      'samples-epoch-001.png',
      'samples-epoch-002.png',
      'samples-epoch-003.png',
      'samples-final.png',
    ]);
    const small = await sharp(readFileSync(join(dir, 'samples-epoch-001.png'))).metadata();
    expect([small.width, small.height]).toEqual([19, 19]);
    const fresh = build({ callbacks: [sampleGrid({ dir, count: 9, cols: 3 })] });
    await fresh.fit(data, { batchSize: 8, epochs: 1 });
    disposeAll(fresh);
    data.dispose();
    const files = await pngs(dir);
    expect(files).toEqual([
      'samples-epoch-001.png',
      'samples-epoch-001.raw.png',
      'samples-final.png',
      'samples-final.raw.png',
    ]);
    const grid = await sharp(readFileSync(join(dir, 'samples-epoch-001.raw.png'))).metadata();
    expect([grid.width, grid.height]).toEqual([28, 28]); // 3 × 3 images of 8 px
    const gifSize = await sharp(readFileSync(join(dir, 'progress.gif'))).metadata();
    expect([gifSize.width, gifSize.height]).toEqual([28 * 19, 28 * 19]); // 19× to 532 ≥ 512
    expect(await gifFrames(join(dir, 'progress.gif'))).toBe(2); // this run's epoch 1 and final
  });

  it('sampleGrid on a class-conditional trainer: one row per class, one latent down each column', async () => {
    const dir = await scratch();
    const classes = 3;
    const t = createTrainer({
      ...wganGp({ nCritic: 2 }),
      generator: conditionalDcganGenerator({
        resolution: 8,
        latentDim: 4,
        numClasses: classes,
        baseFilters: 4,
        seed: 1,
      }),
      discriminator: conditionalDcganDiscriminator({
        resolution: 8,
        numClasses: classes,
        baseFilters: 4,
        norm: 'none',
        output: 'score',
        seed: 2,
      }),
      seed: 3,
      warnings: null,
      callbacks: [sampleGrid({ dir, cols: 2, minWidth: 0, final: false })],
    });
    const calls: [tf.Tensor, unknown][] = [];
    const generate = t.generate;
    t.generate = (n, o) => {
      if (n instanceof tf.Tensor) calls.push([tf.keep(n.clone()), o]);
      return generate(n, o);
    };
    const data = {
      images: images(),
      labels: tf.tensor1d(
        Array.from({ length: 32 }, (_, i) => i % classes),
        'int32',
      ),
    };
    await t.fit(data, { batchSize: 8, epochs: 1 });
    const file = join(dir, 'samples-epoch-001.png');
    const info = await sharp(readFileSync(file)).metadata();
    expect([info.width, info.height]).toEqual([2 * 8 + 3, classes * 8 + 4]); // 3 rows of 2, padding 1
    // The grid asked the generator for classes 0, 0, 1, 1, 2, 2 of latents a, b, a, b, a, b.
    const [z, opts] = calls[0];
    expect(opts).toEqual({ labels: [0, 0, 1, 1, 2, 2] });
    const rows = (await z.array()) as number[][];
    expect(rows[2]).toEqual(rows[0]);
    expect(rows[5]).toEqual(rows[1]);
    expect(rows[1]).not.toEqual(rows[0]);
    tf.dispose([data.images, data.labels, ...calls.map((c) => c[0])]);
    disposeAll(t);
  });

  it('metricsJsonl drops a line cut short by the stop; a fresh run starts the file anew', async () => {
    const dir = await scratch();
    const path = join(dir, 'm.jsonl');
    writeFileSync(path, '{"iteration":2}\n{"iteration":4}\n{"itera');
    const data = images();
    const t = build({ callbacks: [metricsJsonl(path, { every: { epochs: 1 } })] });
    await t.fit(data, { batchSize: 8, epochs: 1 });
    expect(lines(path).map((l) => l.iteration)).toEqual([4]);
    disposeAll(t);
    data.dispose();
  });

  it('progressLine at { epochs }: the epoch just finished', async () => {
    const written: string[] = [];
    const stream = { isTTY: false, write: (s: string) => void written.push(s) };
    const data = images();
    const t = build({ callbacks: [progressLine({ stream, every: { epochs: 1 } })] });
    await t.fit(data, { batchSize: 8, epochs: 2 });
    disposeAll(t);
    data.dispose();
    expect(written.map((w) => w.slice(0, w.indexOf(' it ')))).toEqual(['epoch 1/2', 'epoch 2/2']);
  });

  it('progressLine: plain lines without a TTY; one updating line with a bar and ETA on a TTY', async () => {
    const data = images();
    for (const isTTY of [false, true]) {
      const written: string[] = [];
      const stream = { isTTY, write: (s: string) => void written.push(s) };
      const t = build({ callbacks: [progressLine({ stream })] });
      await t.fit(data, { batchSize: 8, epochs: 2 });
      disposeAll(t);
      expect(written).toHaveLength(isTTY ? 5 : 4);
      if (isTTY) {
        // The line ends by erasing what is left of the previous, longer one (ESC [ K).
        expect(written[0].endsWith(`${String.fromCharCode(27)}[K`)).toBe(true);
        expect(written[0].slice(0, -3)).toMatch(
          /^\r\[#{5}\.{15}\] epoch 1\/2 it 2\/8 {2}D -?\d+\.\d{3} {2}G -?\d+\.\d{3} {2}W≈-?\d+\.\d{3} {2}\d+ img\/s {2}ETA \d+m\d\ds$/,
        );
        expect(written[3]).toMatch(/^\r\[#{20}\] epoch 2\/2 it 8\/8 .* ETA 0m00s/);
        expect(written[4]).toBe('\n');
      } else {
        expect(written[0]).toMatch(/^epoch 1\/2 it 2\/8 {2}D .* ETA .*\n$/);
        expect(written.every((w) => w.endsWith('\n') && !w.includes('\r'))).toBe(true);
      }
    }
    data.dispose();
  });

  it('misuse names the function and the argument', () => {
    expectArgError(() => sampleGrid({ dir: '' }), 'sampleGrid', 'dir');
    expectArgError(() => sampleGrid({ dir: 'x', count: 0 }), 'sampleGrid', 'count');
    expectArgError(() => sampleGrid({ dir: 'x', gif: 3 as never }), 'sampleGrid', 'gif');
    expectArgError(() => sampleGrid({ dir: 'x', minWidth: -1 }), 'sampleGrid', 'minWidth');
    expectArgError(
      () => sampleGrid({ dir: 'x', every: { epochs: -1 } }),
      'sampleGrid',
      'every.epochs',
    );
    expectArgError(() => metricsJsonl(7 as never), 'metricsJsonl', 'path');
    expectArgError(() => progressLine({ format: 'x' as never }), 'progressLine', 'format');
    expect(existsSync('x')).toBe(false);
  });
});
