import { SeedStream } from '@gan/core';
import { expectClose, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { FeatureStats } from './feature-stats';

/** Rows with correlated features around `offset`, in float64. */
function sample(n: number, d: number, seed: number, offset = 0): Float64Array {
  const s = new SeedStream(seed);
  const rows = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    const shared = s.normal();
    for (let i = 0; i < d; i++) rows[r * d + i] = offset + (i + 1) * shared + s.normal();
  }
  return rows;
}

/** Textbook two-pass mean and unbiased covariance. */
function twoPass(rows: Float64Array, d: number) {
  const n = rows.length / d;
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) mean[i] += rows[r * d + i] / n;
  const cov = new Float64Array(d * d);
  for (let r = 0; r < n; r++)
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++)
        cov[i * d + j] += ((rows[r * d + i] - mean[i]) * (rows[r * d + j] - mean[j])) / (n - 1);
  return { mean, cov };
}

describe('FeatureStats', () => {
  it('matches the two-pass mean and covariance, whatever the batching', () => {
    const d = 5;
    const rows = sample(40, d, 1);
    const reference = twoPass(rows, d);
    const stats = new FeatureStats(d);
    for (const [start, end] of [
      [0, 1],
      [1, 8],
      [8, 9],
      [9, 40],
    ])
      stats.add(rows.subarray(start * d, end * d));
    expect(stats.count).toBe(40);
    expectClose(stats.mean(), reference.mean, { rtol: 1e-12 });
    expectClose(stats.covariance(), reference.cov, { rtol: 1e-12 });
  });

  it('merge(a, b) equals the statistics of the concatenation', () => {
    const d = 4;
    const [a, b] = [sample(13, d, 2), sample(29, d, 3)];
    const merged = new FeatureStats(d).add(a).merge(new FeatureStats(d).add(b));
    const joint = new FeatureStats(d).add(Float64Array.from([...a, ...b]));
    expectClose(merged.mean(), joint.mean(), { rtol: 1e-12 });
    expectClose(merged.covariance(), joint.covariance(), { rtol: 1e-12 });
    expect(merged.merge(new FeatureStats(d)).count).toBe(42);
  });

  it('keeps full precision under a large common offset', () => {
    const d = 3;
    const rows = sample(200, d, 4, 1e7);
    const centred = rows.map((v) => v - 1e7);
    const stats = new FeatureStats(d);
    for (let r = 0; r < 200; r += 7) stats.add(rows.subarray(r * d, Math.min(200, r + 7) * d));
    expectClose(stats.covariance(), twoPass(centred, d).cov, { rtol: 1e-8 });
  });

  it(`reads feature tensors asynchronously [${testBackend()}]`, async () => {
    const rows = Float32Array.from(sample(6, 3, 5));
    const features = tf.tensor2d(rows, [6, 3]);
    const stats = await new FeatureStats(3).addTensor(features);
    expectClose(stats.mean(), new FeatureStats(3).add(rows).mean(), { rtol: 1e-12 });
    await expect(new FeatureStats(4).addTensor(features)).rejects.toThrow(
      /features must have shape \[n, 4\], got \[6,3\]/,
    );
    features.dispose();
  });

  it('save → load restores the exact state, which keeps merging like the original', () => {
    const d = 5;
    const stats = new FeatureStats(d).add(sample(17, d, 6));
    stats.meta = { extractor: 'test', resize: 'none' };
    const bytes = stats.save();
    expect(bytes.byteLength % 8).toBe(0);
    const back = FeatureStats.load(bytes);
    expect(back.count).toBe(17);
    expect(back.meta).toEqual(stats.meta);
    expect(Array.from(back.mean())).toEqual(Array.from(stats.mean()));
    expect(Array.from(back.covariance())).toEqual(Array.from(stats.covariance()));
    const more = sample(9, d, 7);
    expect(Array.from(back.add(more).covariance())).toEqual(
      Array.from(stats.add(more).covariance()),
    );
    expect(() => FeatureStats.load(bytes.subarray(0, bytes.length - 8))).toThrow(/truncated/);
    expect(() => FeatureStats.load(new Uint8Array(32))).toThrow(/GANSTATS/);
  });

  it('names bad input', () => {
    expect(() => new FeatureStats(0)).toThrow(/dim must be a positive integer/);
    expect(() => new FeatureStats(3).add([1, 2])).toThrow(
      /2 values are not a whole number of 3-d rows/,
    );
    expect(() => new FeatureStats(2).add([1, Number.NaN])).toThrow(/feature 1 is not finite/);
    expect(() => new FeatureStats(2).add([1, 2]).covariance()).toThrow(/at least 2 samples, has 1/);
    expect(() => new FeatureStats(2).merge(new FeatureStats(3))).toThrow(/dimensions differ/);
  });
});
