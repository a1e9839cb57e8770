import { SeedStream } from '@gan/core';
import { expectArgError } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/precision-recall.json';
import { FeatureStats } from './feature-stats';
import { precisionRecall } from './precision-recall';
import { fixturePoints, type PointsSpec } from './testing/fixture-inputs';
import { simdAvailable } from './wasm/runtime';

type Case = (typeof fixture.cases)[number] & {
  real?: PointsSpec;
  fake?: PointsSpec;
  realRows?: number[][];
  fakeRows?: number[][];
  realism?: number[];
};
const inputs = (c: Case) => ({
  real: c.real ? fixturePoints(c.real) : (c.realRows as number[][]),
  fake: c.fake ? fixturePoints(c.fake) : (c.fakeRows as number[][]),
});
const modes = simdAvailable() ? [true, false] : [false];

/** The definition, directly: dense loops, sorted neighbour distances (a second reference). */
function byDefinition(real: number[][], fake: number[][], k: number) {
  const d2 = (x: number[], y: number[]) => x.reduce((s, v, j) => s + (v - y[j]) ** 2, 0);
  const radius = (set: number[][]) =>
    set.map(
      (x, i) =>
        set
          .filter((_, j) => j !== i)
          .map((y) => d2(x, y))
          .sort((p, q) => p - q)[k - 1],
    );
  const [rr, rf] = [radius(real), radius(fake)];
  const inside = (xs: number[][], set: number[][], r: number[]) =>
    xs.filter((x) => set.some((y, j) => d2(x, y) <= r[j])).length / xs.length;
  return { precision: inside(fake, real, rr), recall: inside(real, fake, rf) };
}

function rows(seed: number, n: number, d: number, scale = 1): number[][] {
  const s = new SeedStream(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => scale * s.normal()));
}

describe('precisionRecall', () => {
  it('equals the NumPy reference (written from the paper) on every fixture case', () => {
    let worst = 0;
    for (const simd of modes)
      for (const c of fixture.cases as Case[]) {
        const { real, fake } = inputs(c);
        const r = precisionRecall(real, fake, { k: c.k, realism: c.realism != null, simd });
        expect([r.precision, r.recall], c.name).toEqual([c.precision, c.recall]);
        expect(r.k).toBe(c.k);
        if (c.realism) {
          expect(r.realism).toHaveLength(c.realism.length);
          c.realism.forEach((v, j) => {
            worst = Math.max(worst, Math.abs(r.realism![j] - v) / Math.max(1, Math.abs(v)));
          });
        }
      }
    expect(worst).toBeLessThan(1e-12);
  });

  it('reports what the paper predicts: 1/1 for one set, 0/0 far apart, mode dropping vs spreading', () => {
    const by = (name: string) => (fixture.cases as Case[]).find((c) => c.name.startsWith(name))!;
    const result = (name: string) => {
      const c = by(name);
      const { real, fake } = inputs(c);
      return precisionRecall(real, fake, { k: c.k });
    };
    expect(result('identical sets')).toMatchObject({
      precision: 1,
      recall: 1,
      k: 3,
      realCount: 120,
      fakeCount: 120,
    });
    expect(result('disjoint')).toMatchObject({ precision: 0, recall: 0 });
    // A generator covering one of four modes: its samples are real-looking, most data is missed.
    const dropped = result('mode dropping: 1 of 4');
    expect(dropped.precision).toBeGreaterThan(0.95);
    expect(dropped.recall).toBeLessThan(0.3);
    // A generator three times too wide: it covers the data, but few samples look real.
    const spread = result('spread out: 3×');
    expect(spread.precision).toBeLessThan(0.05);
    expect(spread.recall).toBeGreaterThan(0.95);
  });

  it('counts a sample on a sphere’s surface as inside (≤)', () => {
    const c = (fixture.cases as Case[]).find((x) => x.name.startsWith('ties'))!;
    const { real, fake } = inputs(c);
    for (const simd of modes) {
      const r = precisionRecall(real, fake, { k: 1, simd });
      expect(r.precision).toBe(0.5);
      // With < instead, none of them would count.
      expect(c.strict[0]).toBe(0);
    }
  });

  it('matches the definition on odd sizes and dimensions (short tiles, padded rows)', () => {
    for (const [m, n, d, k] of [
      [5, 7, 3, 1],
      [9, 6, 1, 2],
      [13, 11, 5, 4],
      [2, 3, 2, 1],
    ]) {
      const real = rows(m * 100 + d, m, d);
      const fake = rows(n * 100 + d + 1, n, d, 1.4);
      for (const simd of modes)
        expect(precisionRecall(real, fake, { k, simd }), `${m}×${n}×${d}, k ${k}`).toMatchObject(
          byDefinition(real, fake, k),
        );
    }
  });

  it('swapping real and generated swaps precision and recall; row order does not matter', () => {
    const c = (fixture.cases as Case[]).find((x) => x.name.startsWith('slightly shifted'))!;
    const { real, fake } = inputs(c) as Record<string, { values: Float64Array; dim: number }>;
    const forward = precisionRecall(real, fake, { k: 3 });
    const swapped = precisionRecall(fake, real, { k: 3 });
    expect([swapped.precision, swapped.recall]).toEqual([forward.recall, forward.precision]);
    expect([swapped.realCount, swapped.fakeCount]).toEqual([forward.fakeCount, forward.realCount]);
    const shuffle = (m: { values: Float64Array; dim: number }, seed: number) => {
      const n = m.values.length / m.dim;
      const order = Array.from({ length: n }, (_, i) => i);
      const s = new SeedStream(seed);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(s.uniform() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      const values = new Float64Array(m.values.length);
      order.forEach((from, to) => {
        values.set(m.values.subarray(from * m.dim, (from + 1) * m.dim), to * m.dim);
      });
      return { values, dim: m.dim, order };
    };
    const [sr, sf] = [shuffle(real, 1), shuffle(fake, 2)];
    const shuffled = precisionRecall(sr, sf, { k: 3, realism: true });
    expect([shuffled.precision, shuffled.recall]).toEqual([forward.precision, forward.recall]);
    const realism = precisionRecall(real, fake, { k: 3, realism: true }).realism!;
    sf.order.forEach((from, to) => {
      expect(shuffled.realism![to]).toBe(realism[from]);
    });
  });

  it('takes rows, { values, dim } with float32 values (extractFeatures’ features) alike', () => {
    const real = rows(1, 40, 6);
    const fake = rows(2, 30, 6, 1.3);
    const flat = (r: number[][]) => ({ values: Float32Array.from(r.flat()), dim: 6 });
    const fromRows = precisionRecall(
      real.map((r) => Array.from(Float32Array.from(r))),
      fake.map((r) => Array.from(Float32Array.from(r))),
    );
    expect(precisionRecall(flat(real), flat(fake))).toEqual(fromRows);
    expect(fromRows).toMatchObject({ k: 3, realCount: 40, fakeCount: 30 });
    expect(fromRows).not.toHaveProperty('realism');
  });

  it('gives realism scores: ≥ 1 inside a kept (median-pruned) real sphere, ∞ for a copy', () => {
    const real = rows(3, 30, 4);
    const fake = [...rows(4, 10, 4, 3), ...real.slice(0, 3)];
    const { realism } = precisionRecall(real, fake, { realism: true, simd: false });
    expect(realism).toBeInstanceOf(Float64Array);
    expect(realism).toHaveLength(13);
    // Far-out samples score low; a copy of a real sample inside the kept half is infinitely real.
    const kept = realism!.slice(10).filter((v) => v === Number.POSITIVE_INFINITY).length;
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(Math.min(...realism!.slice(0, 10))).toBeLessThan(1);
  });

  it('names bad input', () => {
    const real = rows(5, 6, 3);
    const fake = rows(6, 4, 3);
    expectArgError(() => precisionRecall(real, fake, { k: 4 }), 'precisionRecall', 'k', /\[1, 3\]/);
    expectArgError(
      () => precisionRecall(real, fake, { k: 4 }),
      'precisionRecall',
      'k',
      /fake holds 4/,
    );
    expectArgError(() => precisionRecall(real, fake, { k: 0 }), 'precisionRecall', 'k');
    expectArgError(() => precisionRecall(real, fake, { k: 1.5 }), 'precisionRecall', 'k');
    expectArgError(
      () => precisionRecall(real, rows(7, 5, 4)),
      'precisionRecall',
      'fake',
      /real has 3-d features, fake 4-d/,
    );
    expectArgError(() => precisionRecall([], fake), 'precisionRecall', 'real', /real is empty/);
    expectArgError(
      () => precisionRecall(real, [[1, 2, 3]], { k: 1 }),
      'precisionRecall',
      'fake',
      /at least 2 samples/,
    );
    expectArgError(
      () => precisionRecall(real, { values: [1, 2, Number.NaN, 4, 5, 6], dim: 3 }, { k: 1 }),
      'precisionRecall',
      'fake',
      /non-finite values \(NaN in row 0\)/,
    );
    expectArgError(
      () => precisionRecall([...real, [1, Number.POSITIVE_INFINITY, 0]], fake, { k: 1 }),
      'precisionRecall',
      'real',
      /Infinity in row 6/,
    );
    expectArgError(
      () => precisionRecall({ values: [1, 2, 3], dim: 2 }, fake),
      'precisionRecall',
      'real',
      /3 values, not rows of 2/,
    );
    const t = tf.zeros([4, 3]);
    expectArgError(() => precisionRecall(t as never, fake), 'precisionRecall', 'real', /t\.array/);
    t.dispose();
    expectArgError(
      () => precisionRecall(new FeatureStats(3) as never, fake),
      'precisionRecall',
      'real',
      /statistics hold no feature rows/,
    );
    expectArgError(
      () => precisionRecall(real, fake, { realism: 1 as never }),
      'precisionRecall',
      'realism',
    );
    expectArgError(
      () => precisionRecall(real, fake, { simd: 'no' as never }),
      'precisionRecall',
      'simd',
    );
    expectArgError(() => precisionRecall(real, fake, null as never), 'precisionRecall', 'options');
  });
});
