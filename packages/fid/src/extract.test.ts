import { SeedStream } from '@gan/core';
import { expectClose, expectNoLeaksAsync, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  DEFAULT_BATCH_SIZE,
  extractFeatures,
  type FeatureResize,
  RESIZE_POLICY,
  type ResizeMethod,
} from './extract';
import { scoreLabel } from './extractor';
import { FeatureStats } from './feature-stats';
import { frechetDistance } from './frechet';
import { kernelInceptionDistance } from './kid';
import { randomConvExtractor } from './random-conv-extractor';

/** n images [n, size, size, 3] in [−1, 1]: noise around a per-set colour. */
function images(n: number, size: number, seed: number, colour = 0): tf.Tensor4D {
  const s = new SeedStream(seed);
  const values = Float32Array.from({ length: n * size * size * 3 }, (_, i) =>
    Math.max(-1, Math.min(1, (i % 3 === 0 ? colour : 0) + 0.4 * s.normal())),
  );
  return tf.tensor4d(values, [n, size, size, 3]);
}

describe(`extractFeatures [${testBackend()}]`, () => {
  it('streams a tensor, an iterable and a sampling function to the same statistics', async () => {
    const extractor = randomConvExtractor({ dim: 8, size: 16, seed: 3 });
    const all = images(10, 16, 1);
    const whole = await extractFeatures(all, extractor, { batchSize: 4, keepFeatures: true });
    expect(whole.stats.count).toBe(10);
    expect(whole.features?.values.length).toBe(80);
    // Reference: the extractor on all images at once, range mapped by hand.
    const direct = tf.tidy(() => extractor.extract(tf.div(tf.add(all, 1), 2) as tf.Tensor4D));
    const reference = new FeatureStats(8).add(await direct.data());
    direct.dispose();
    expectClose(whole.stats.mean(), reference.mean(), { rtol: 1e-4, atol: 1e-6 });

    function* batches() {
      for (let i = 0; i < 10; i += 3) yield tf.slice(all, i, Math.min(3, 10 - i));
    }
    const fromIterable = await extractFeatures(batches(), extractor);
    expectClose(fromIterable.stats.mean(), reference.mean(), { rtol: 1e-4, atol: 1e-6 });
    const fromFunction = await extractFeatures(
      (n, index) => tf.slice(all, index * 4, n),
      extractor,
      { batchSize: 4, samples: 10 },
    );
    expect(fromFunction.stats.count).toBe(10);
    expectClose(fromFunction.stats.covariance(), reference.covariance(), {
      rtol: 1e-3,
      atol: 1e-6,
    });
    all.dispose();
    extractor.dispose();
  });

  it('takes batches of DEFAULT_BATCH_SIZE (16) by default, as fidEvaluator and gan-fid do', async () => {
    expect(DEFAULT_BATCH_SIZE).toBe(16);
    const extractor = randomConvExtractor({ dim: 4, size: 8 });
    const seen: number[] = [];
    const all = images(20, 8, 2);
    await extractFeatures(all, {
      ...extractor,
      extract: (x) => {
        seen.push(x.shape[0]);
        return extractor.extract(x);
      },
    });
    expect(seen).toEqual([16, 4]);
    const asked: number[] = [];
    await extractFeatures(
      (n, index) => {
        asked.push(n);
        return tf.slice(all, index * 16, n);
      },
      extractor,
      { samples: 20 },
    );
    expect(asked).toEqual([16, 4]);
    all.dispose();
    extractor.dispose();
  });

  it('resize is a FeatureResize; the deprecated ResizeMethod is the same type', async () => {
    expectTypeOf<ResizeMethod>().toEqualTypeOf<FeatureResize>();
    expectTypeOf<FeatureResize>().toEqualTypeOf<'bilinear' | 'nearest'>();
    const extractor = randomConvExtractor({ dim: 4, size: 8 });
    const x = images(3, 12, 4);
    const byNew: FeatureResize = 'nearest';
    const byOld: ResizeMethod = 'nearest';
    const a = await extractFeatures(x, extractor, { resize: byNew });
    const b = await extractFeatures(x, extractor, { resize: byOld });
    expect(b.stats.mean()).toEqual(a.stats.mean());
    expect(b.stats.meta).toEqual(a.stats.meta);
    x.dispose();
    extractor.dispose();
  });

  it('resizes and converts grey to RGB, stating the policy and extractor in the statistics', async () => {
    const extractor = randomConvExtractor({ dim: 8, size: 16 });
    const grey = tf.randomUniform([3, 24, 24, 1], 0, 255, 'float32', 1) as tf.Tensor4D;
    const onProgress = vi.fn();
    const { stats } = await extractFeatures(grey, extractor, { range: [0, 255], onProgress });
    expect(stats.meta).toMatchObject({ extractor: extractor.name, resize: RESIZE_POLICY });
    expect(onProgress).toHaveBeenLastCalledWith(3, 3);
    const rgb = tf.tidy(() =>
      tf.image.resizeBilinear(
        tf.tile(tf.div(grey, 255), [1, 1, 1, 3]) as tf.Tensor4D,
        [16, 16],
        false,
        true,
      ),
    );
    const expected = tf.tidy(() => extractor.extract(rgb));
    expectClose(stats.mean(), new FeatureStats(8).add(await expected.data()).mean(), {
      rtol: 1e-4,
      atol: 1e-6,
    });
    const nearest = await extractFeatures(grey, extractor, { range: [0, 255], resize: 'nearest' });
    expect(nearest.stats.meta.resize).toMatch(/^nearest neighbour/);
    expect(nearest.stats.mean()).not.toEqual(stats.mean());
    await expect(extractFeatures(grey, extractor, { resize: 'lanczos' as never })).rejects.toThrow(
      /resize must be 'bilinear' \| 'nearest', got 'lanczos'/,
    );
    tf.dispose([grey, rgb, expected]);
    extractor.dispose();
  });

  it('disposes every batch it is given and leaks nothing', async () => {
    const extractor = randomConvExtractor({ dim: 4, size: 8 });
    await expectNoLeaksAsync(async () => {
      const made: tf.Tensor[] = [];
      await extractFeatures(
        (n) => {
          const t = images(n, 8, made.length);
          made.push(t);
          return t;
        },
        extractor,
        { batchSize: 3, samples: 7 },
      );
      expect(made.map((t) => t.isDisposed)).toEqual([true, true, true]);
    });
    extractor.dispose();
  });

  it('separates two distributions: FID and KID grow with the difference', async () => {
    const extractor = randomConvExtractor({ dim: 16, size: 16, seed: 1 });
    const feats = async (seed: number, colour: number) =>
      extractFeatures(images(40, 16, seed, colour), extractor, { keepFeatures: true });
    const [a, same, shifted] = await Promise.all([feats(1, 0), feats(2, 0), feats(3, 0.8)]);
    const fid = (x: typeof a) => frechetDistance(a.stats, x.stats, { onWarning: null });
    expect(fid(shifted)).toBeGreaterThan(5 * fid(same));
    const kid = (x: typeof a) =>
      kernelInceptionDistance(a.features!, x.features!, { subsets: 10, subsetSize: 30 }).mean;
    expect(kid(shifted)).toBeGreaterThan(5 * Math.abs(kid(same)));
    expect(scoreLabel(extractor)).toMatch(
      /^FID-like \(random-conv .*not comparable to published FID\)$/,
    );
    extractor.dispose();
  });

  it('names bad input', async () => {
    const extractor = randomConvExtractor({ dim: 4, size: 8 });
    const bad = tf.zeros([2, 8, 8, 4]) as tf.Tensor4D;
    await expect(extractFeatures(bad, extractor)).rejects.toThrow(
      /\[n, h, w, 3\] or \[n, h, w, 1\]/,
    );
    await expect(extractFeatures(() => bad, extractor)).rejects.toThrow(/give `samples`/);
    await expect(extractFeatures([], extractor)).rejects.toThrow(/yielded no images/);
    await expect(extractFeatures(bad, extractor, { batchSize: 0 })).rejects.toThrow(/batchSize/);
    bad.dispose();
    extractor.dispose();
  });
});
