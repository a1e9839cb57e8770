import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/kid.json';
import { kernelInceptionDistance, polynomialMmd2 } from './kid';

const close = (actual: number, expected: number, rtol = 1e-10) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(expected)));

describe('kernelInceptionDistance', () => {
  it('equals the NumPy unbiased polynomial MMD² on whole sets and on given subsets', () => {
    for (const c of fixture.cases) {
      close(polynomialMmd2(c.a, c.b), c.whole);
      c.subsets.forEach(([ia, jb], k) => {
        close(polynomialMmd2(c.a, c.b, ia, jb), c.perSubset[k]);
      });
    }
  });

  it('accepts row-major values with a dimension, and is near zero for one distribution', () => {
    const c = fixture.cases[0];
    const flat = { values: c.a.flat(), dim: c.a[0].length };
    close(polynomialMmd2(flat, c.b), c.whole);
    const same = kernelInceptionDistance(c.a, c.a, { subsets: 20, subsetSize: 10, seed: 1 });
    const shifted = kernelInceptionDistance(fixture.cases[2].a, fixture.cases[2].b, {
      subsets: 20,
      subsetSize: 10,
    });
    expect(Math.abs(same.mean)).toBeLessThan(shifted.mean / 10);
  });

  it('averages seeded subsets: reproducible, mean and population std of the values', () => {
    const c = fixture.cases[1];
    const r = kernelInceptionDistance(c.a, c.b, { subsets: 7, subsetSize: 12, seed: 3 });
    expect(r.values).toHaveLength(7);
    expect(kernelInceptionDistance(c.a, c.b, { subsets: 7, subsetSize: 12, seed: 3 })).toEqual(r);
    expect(
      kernelInceptionDistance(c.a, c.b, { subsets: 7, subsetSize: 12, seed: 4 }).values,
    ).not.toEqual(r.values);
    close(r.mean, r.values.reduce((s, v) => s + v, 0) / 7);
    close(r.std, Math.sqrt(r.values.reduce((s, v) => s + (v - r.mean) ** 2, 0) / 7));
    // One subset holding everything is the whole-set MMD².
    close(
      kernelInceptionDistance(c.a.slice(0, 25), c.b, { subsets: 1, subsetSize: 25 }).mean,
      polynomialMmd2(c.a.slice(0, 25), c.b),
    );
  });

  it('names bad input', () => {
    const c = fixture.cases[0];
    expect(() => kernelInceptionDistance(c.a, fixture.cases[1].b)).toThrow(
      /a has 8-d features, b 16-d/,
    );
    expect(() => kernelInceptionDistance(c.a, c.b, { subsetSize: 50 })).toThrow(
      /subsetSize must be an integer in \[2, 20\], got 50/,
    );
    expect(() => polynomialMmd2({ values: [1, 2, 3], dim: 2 }, c.b)).toThrow(
      /holds 3 values, not rows of 2/,
    );
    expect(() =>
      polynomialMmd2(
        [[1, 2]],
        [
          [1, 2],
          [3, 4],
        ],
      ),
    ).toThrow(/at least 2 samples/);
  });
});
