import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dcganDiscriminator, dcganGenerator } from '@gan/models';
import { expectArgError, expectNoLeaksAsync, testBackend } from '@gan/test-utils';
import { scratchDirs } from '@gan/test-utils/node';
import { createTrainer, wganGp } from '@gan/trainers';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type EvaluatedTrainer, fidEvaluator } from './evaluator';
import { extractFeatures } from './extract';
import { frechetDistance } from './frechet';
import { kernelInceptionDistance } from './kid';
import { pixelExtractor } from './pixel-extractor';
import { precisionRecall } from './precision-recall';

const scratch = scratchDirs('gan-fid-eval-');

/** A "trainer" whose sampler is tanh of its latents as 2×2 RGB images (latent 12). */
function fakeTrainer(
  shift = 0,
): EvaluatedTrainer & { state: { iteration: number; epoch: number } } {
  return {
    state: { iteration: 0, epoch: 0 },
    context: { latentDim: 12 },
    generate: (z) => tf.tidy(() => tf.reshape(tf.tanh(tf.add(z, shift)), [z.shape[0], 2, 2, 3])),
  };
}
const realImages = () =>
  tf.tanh(tf.randomNormal([40, 2, 2, 3], 0.3, 1, 'float32', 8)) as tf.Tensor4D;

describe(`fidEvaluator [${testBackend()}]`, () => {
  it('scores equal FID and KID computed by hand from the same features and fixed latents', async () => {
    const real = realImages();
    const extractor = pixelExtractor({ size: 2 });
    const kid = { subsets: 10, subsetSize: 16, seed: 3 };
    const z = tf.randomNormal([32, 12], 0, 1, 'float32', 5);
    const evaluator = fidEvaluator({ real, samples: 32, extractor, latents: z, kid });
    const trainer = fakeTrainer();
    const point = await evaluator.score(trainer);
    const fakeImages = trainer.generate(z) as tf.Tensor4D;
    const a = await extractFeatures(real, extractor, { samples: 32, keepFeatures: true });
    const b = await extractFeatures(fakeImages, extractor, { keepFeatures: true });
    expect(point.fid).toBeCloseTo(frechetDistance(a.stats, b.stats, { onWarning: null }), 6);
    const byHand = kernelInceptionDistance(a.features!, b.features!, kid);
    expect(point.kid).toBeCloseTo(byHand.mean, 9);
    expect(point.kidStd).toBeCloseTo(byHand.std, 9);
    expect(point).toMatchObject({
      iteration: 0,
      epoch: 0,
      samples: 32,
      extractor: 'pixels (2×2×3)',
    });
    expect(point.label).toMatch(
      /^FID-like \(pixels .*; not comparable to published FID\) from 32 samples/,
    );
    // A generator further from the data scores worse; scoring again leaks nothing.
    const worse = await evaluator.score(fakeTrainer(2));
    expect(worse.fid!).toBeGreaterThan(point.fid!);
    await expectNoLeaksAsync(async () => void (await evaluator.score(trainer)), 'score');
    evaluator.dispose();
    expect(z.isDisposed).toBe(false);
    // Latents drawn from a seed: the same seed, the same scores.
    const seeded = () => fidEvaluator({ real, samples: 32, extractor, seed: 7, kid });
    const [s1, s2] = [seeded(), seeded()];
    expect((await s1.score(trainer)).fid).toBe((await s2.score(trainer)).fid);
    s1.dispose();
    s2.dispose();
    tf.dispose([real, z, fakeImages]);
  });

  it('caches the real features on disk; a different sample count or extractor recomputes them', async () => {
    const dir = await scratch();
    const cache = join(dir, 'real.features');
    let draws = 0;
    const real = (n: number, index: number) => {
      draws++;
      return tf.tidy(
        () => tf.tanh(tf.randomNormal([n, 2, 2, 3], 0, 1, 'float32', 100 + index)) as tf.Tensor4D,
      );
    };
    const make = (samples: number, size = 2) =>
      fidEvaluator({ real, samples, extractor: pixelExtractor({ size }), cache, batchSize: 8 });
    const first = make(24);
    const p1 = await first.score(fakeTrainer());
    expect(draws).toBe(3);
    const second = make(24);
    const p2 = await second.score(fakeTrainer());
    expect(draws).toBe(3);
    expect(p2.fid).toBe(p1.fid);
    expect(p2.kid).toBe(p1.kid);
    await make(16).score(fakeTrainer());
    expect(draws).toBe(5);
    await make(16, 1).score(fakeTrainer());
    expect(draws).toBe(7);
    // A damaged cache is recomputed, not trusted.
    writeFileSync(cache, readFileSync(cache).subarray(0, 100));
    await make(16, 1).score(fakeTrainer());
    expect(draws).toBe(9);
    for (const e of [first, second]) e.dispose();
  });

  it('adds precision and recall on the same features (the real ones kept once, cached as rows)', async () => {
    const dir = await scratch();
    const [cache, path] = [join(dir, 'real.features'), join(dir, 'scores.jsonl')];
    let draws = 0;
    const real = (n: number, index: number) => {
      draws++;
      return tf.tidy(
        () => tf.tanh(tf.randomNormal([n, 2, 2, 3], 0.3, 1, 'float32', 40 + index)) as tf.Tensor4D,
      );
    };
    const extractor = pixelExtractor({ size: 2 });
    const z = tf.randomNormal([40, 12], 0, 1, 'float32', 6);
    const make = (precisionRecallOption: boolean | { k?: number }, extra = {}) =>
      fidEvaluator({
        real,
        samples: 40,
        extractor,
        latents: z,
        batchSize: 20,
        kid: false,
        precisionRecall: precisionRecallOption,
        cache,
        path,
        ...extra,
      });
    const trainer = fakeTrainer();
    const first = make({ k: 5 });
    const point = await first.score(trainer);
    expect(draws).toBe(2);
    // By hand, from the same images and latents.
    const realImages = tf.concat([real(20, 0), real(20, 1)]) as tf.Tensor4D;
    const fakeImages = trainer.generate(z) as tf.Tensor4D;
    const a = await extractFeatures(realImages, extractor, { keepFeatures: true });
    const b = await extractFeatures(fakeImages, extractor, { keepFeatures: true });
    const byHand = precisionRecall(a.features!, b.features!, { k: 5 });
    expect(point.precision).toBe(byHand.precision);
    expect(point.recall).toBe(byHand.recall);
    expect(point.fid).toBeCloseTo(frechetDistance(a.stats, b.stats, { onWarning: null }), 6);
    expect(point).not.toHaveProperty('kid');
    expect(point.label).toMatch(
      /^FID-like \(pixels .*\) from 40 samples \(biased upward below 2048\); precision\/recall-like \(k = 5, pixels \(2×2×3\); not comparable to published precision\/recall\) on the same features$/,
    );
    // A generator off the data: fewer of its samples look real.
    const off = await first.score(fakeTrainer(3));
    expect(off.precision!).toBeLessThan(point.precision!);
    // The cached real rows give the same scores without drawing the real images again.
    draws = 0;
    const second = make(true, { fid: false });
    const cached = await second.score(trainer);
    expect(draws).toBe(0);
    expect(cached.precision).toBe(precisionRecall(a.features!, b.features!).precision);
    expect(cached.recall).toBe(precisionRecall(a.features!, b.features!).recall);
    expect(cached).not.toHaveProperty('fid');
    expect(cached.label).toMatch(/^precision\/recall-like \(k = 3, pixels .*\) from 40 samples$/);
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((p) => [p.precision, p.recall])).toEqual(
      [point, off, cached].map((p) => [p.precision, p.recall]),
    );
    for (const e of [first, second]) e.dispose();
    tf.dispose([z, realImages, fakeImages]);
  });

  it('as a trainer callback: at the start, every epoch and the end; a resumed run keeps its JSONL', async () => {
    const dir = await scratch();
    const path = join(dir, 'fid.jsonl');
    const generator = dcganGenerator({ resolution: 8, latentDim: 4, baseFilters: 4, seed: 1 });
    const discriminator = dcganDiscriminator({
      resolution: 8,
      baseFilters: 4,
      norm: 'none',
      output: 'score',
      seed: 2,
    });
    const data = tf.randomUniform([32, 8, 8, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
    const evaluator = fidEvaluator({
      real: data,
      samples: 16,
      extractor: pixelExtractor({ size: 8 }),
      every: { epochs: 1 },
      fid: false,
      path,
    });
    const trainer = createTrainer({
      ...wganGp({ nCritic: 2 }),
      generator,
      discriminator,
      warnings: null,
      callbacks: [evaluator],
    });
    await trainer.fit(data, { batchSize: 8, epochs: 2, steps: 6 });
    const lines = () =>
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
    expect(lines().map((p) => [p.iteration, p.epoch])).toEqual([
      [0, 0],
      [4, 1],
      [6, 1],
    ]);
    expect(lines()[0]).not.toHaveProperty('fid');
    expect(lines()[0].label).toMatch(/^KID-like/);
    // As if the process had stopped at iteration 6 and resumed from a checkpoint at iteration 4.
    Object.assign(trainer.state, { iteration: 4, epoch: 1, batchInEpoch: 0 });
    await trainer.fit(data, { batchSize: 8, epochs: 2 });
    expect(lines().map((p) => p.iteration)).toEqual([0, 4, 8]);
    expect(evaluator.points.map((p) => p.iteration)).toEqual([0, 4, 8]);
    trainer.dispose();
    tf.dispose([data]);
    generator.dispose();
    discriminator.dispose();
  });

  it('misuse names the function and the argument', () => {
    const real = tf.zeros([4, 2, 2, 3]) as tf.Tensor4D;
    const extractor = pixelExtractor({ size: 2 });
    expectArgError(() => fidEvaluator({ real, samples: 1, extractor }), 'fidEvaluator', 'samples');
    expectArgError(
      () => fidEvaluator({ real, samples: 4, extractor: {} as never }),
      'fidEvaluator',
      'extractor',
    );
    expectArgError(
      () => fidEvaluator({ real, samples: 4, extractor, every: { epoch: 1 } as never }),
      'fidEvaluator',
      'every',
    );
    expectArgError(
      () => fidEvaluator({ real, samples: 4, extractor, fid: false, kid: false }),
      'fidEvaluator',
      'kid',
    );
    expectArgError(
      () => fidEvaluator({ real, samples: 4, extractor, precisionRecall: { k: 4 } }),
      'fidEvaluator',
      'precisionRecall.k',
      /an integer in \[1, 3\], got 4/,
    );
    expectArgError(
      () => fidEvaluator({ real, samples: 4, extractor, precisionRecall: 'yes' as never }),
      'fidEvaluator',
      'precisionRecall',
    );
    expectArgError(
      () =>
        fidEvaluator({
          real,
          samples: 4,
          extractor,
          fid: false,
          kid: false,
          precisionRecall: false,
        }),
      'fidEvaluator',
      'kid',
      /fid and precisionRecall are false/,
    );
    expectArgError(
      () => fidEvaluator({ real, samples: 4, extractor, cache: '' }),
      'fidEvaluator',
      'cache',
    );
    expectArgError(() => pixelExtractor({ size: 0 }), 'pixelExtractor', 'size');
    expectArgError(
      () => pixelExtractor({ size: 2, channels: 2 as never }),
      'pixelExtractor',
      'channels',
    );
    real.dispose();
  });
});
