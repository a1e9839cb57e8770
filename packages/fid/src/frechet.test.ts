import { testBackend } from '@gan/test-utils';
import { describe, expect, it, vi } from 'vitest';
import fixture from '../fixtures/frechet.json';
import { FeatureStats } from './feature-stats';
import { frechetDistance } from './frechet';
import { traceSqrtProduct } from './linalg';
import { fixtureLowRank, fixtureSamples } from './testing/fixture-inputs';
import { simdAvailable } from './wasm/runtime';

const relative = (actual: number, expected: number) =>
  Math.abs(actual - expected) / Math.abs(expected);

function statsOf(seed: number, n: number, d: number, shift: number): FeatureStats {
  return new FeatureStats(d).add(fixtureSamples(seed, n, d, shift));
}

// Pure float64 JavaScript: the backend does not matter, so the 2048-d cases run once (cpu project).
const large = testBackend() === 'cpu' ? it : it.skip;

describe('frechetDistance', () => {
  const sampleCases = fixture.cases.filter((c) => c.kind === 'samples');
  for (const c of sampleCases) {
    it(`equals scipy's sqrtm formula to 1e-6 relative: ${c.name}`, () => {
      const a = c.a as { seed: number; n: number; shift: number };
      const b = c.b as { seed: number; n: number; shift: number };
      const value = frechetDistance(
        statsOf(a.seed, a.n, c.dim, a.shift),
        statsOf(b.seed, b.n, c.dim, b.shift),
        {
          onWarning: null,
        },
      );
      expect(relative(value, c.fid)).toBeLessThan(1e-6);
    });
  }

  for (const c of fixture.cases.filter((c) => c.kind === 'lowRank')) {
    large(
      `equals scipy's sqrtm formula to 1e-6 relative: ${c.name} (runs once: no tensors)`,
      () => {
        const a = c.a as { seed: number; k: number; diag: number };
        const b = c.b as { seed: number; k: number; diag: number };
        const d = c.dim;
        const meanB = Array.from({ length: d }, (_, j) => 0.01 * (j % 3));
        const value = frechetDistance(
          { mean: new Float64Array(d), covariance: fixtureLowRank(a.seed, d, a.k, a.diag) },
          { mean: meanB, covariance: fixtureLowRank(b.seed, d, b.k, b.diag) },
        );
        expect(relative(value, c.fid)).toBeLessThan(1e-6);
      },
      60_000,
    );
  }

  it('is symmetric, ~0 for identical statistics, and grows with a mean shift', () => {
    const a = statsOf(21, 120, 16, 0);
    const b = statsOf(22, 150, 16, 0.4);
    expect(relative(frechetDistance(a, b), frechetDistance(b, a))).toBeLessThan(1e-12);
    expect(Math.abs(frechetDistance(a, a))).toBeLessThan(1e-10);
    // Shifting every mean by t adds exactly d·t² (the covariances are unchanged).
    const mean = a.mean();
    const shifted = { mean: mean.map((m) => m + 0.5), covariance: a.covariance() };
    expect(frechetDistance(a, shifted)).toBeCloseTo(16 * 0.25, 9);
  });

  it('matches an independent diagonal formula: Σ(√σ₁ − √σ₂)² when both covariances are diagonal', () => {
    const d = 5;
    const v1 = [1, 2, 0, 4, 0.5];
    const v2 = [3, 0, 0, 1, 0.25];
    const diag = (v: number[]) => {
      const m = new Float64Array(d * d);
      v.forEach((x, i) => {
        m[i * d + i] = x;
      });
      return m;
    };
    const expected = v1.reduce((s, x, i) => s + (Math.sqrt(x) - Math.sqrt(v2[i])) ** 2, 0) + 1;
    const mu2 = [1, 0, 0, 0, 0];
    const got = frechetDistance(
      { mean: new Array(d).fill(0), covariance: diag(v1) },
      { mean: mu2, covariance: diag(v2) },
    );
    expect(got).toBeCloseTo(expected, 12);
  });

  it('warns, as pytorch-fid does, when there are fewer samples than dimensions', () => {
    const onWarning = vi.fn();
    frechetDistance(statsOf(1, 10, 32, 0), statsOf(2, 40, 32, 0), { onWarning });
    expect(onWarning).toHaveBeenCalledTimes(1);
    expect(onWarning.mock.calls[0][0]).toMatch(/a has 10 samples of 32-d features/);
  });

  it("adds eps·I to both covariances like pytorch-fid's fallback", () => {
    const a = statsOf(3, 50, 8, 0);
    const b = statsOf(4, 50, 8, 0.2);
    const eps = 0.3;
    const plus = (s: FeatureStats) => {
      const c = s.covariance();
      for (let i = 0; i < 8; i++) c[i * 8 + i] += eps;
      return { mean: s.mean(), covariance: c };
    };
    expect(frechetDistance(a, b, { eps })).toBeCloseTo(frechetDistance(plus(a), plus(b)), 10);
  });

  it('rejects mismatched dimensions, a wrong covariance size and non-finite values', () => {
    const a = statsOf(1, 20, 4, 0);
    expect(() => frechetDistance(a, statsOf(1, 20, 5, 0))).toThrow(/a is 4-d, b is 5-d/);
    expect(() => frechetDistance(a, { mean: [0, 0, 0, 0], covariance: [1, 0, 0] })).toThrow(
      /b.covariance has 3 values, expected 4² = 16/,
    );
    expect(() =>
      frechetDistance(a, { mean: [0, 0, Number.NaN, 0], covariance: new Float64Array(16) }),
    ).toThrow(/b holds non-finite values/);
  });
});

describe('traceSqrtProduct', () => {
  it('gives the same trace with the WebAssembly SIMD kernels and the JavaScript ones', () => {
    expect(simdAvailable()).toBe(true);
    for (const [d, n] of [
      [7, 30],
      [33, 20],
      [130, 400],
    ]) {
      const a = statsOf(d, n, d, 0).covariance();
      const b = statsOf(d + 1, n + 5, d, 0.3).covariance();
      const simd = traceSqrtProduct(a, b, d, { simd: true });
      const js = traceSqrtProduct(a, b, d, { simd: false });
      expect(relative(simd, js)).toBeLessThan(1e-12);
    }
  });

  it('uses the numerical rank: a rank-3 factor gives 3 eigenvalues and the exact trace', () => {
    // A = u uᵀ (rank 1 per vector), B = I: Tr((A)^{1/2}) = Σ ‖u‖ for orthogonal u's.
    const n = 6;
    const a = new Float64Array(n * n);
    const us = [
      [1, 0, 0, 0, 0, 0],
      [0, 2, 0, 0, 0, 0],
      [0, 0, 0, 3, 4, 0],
    ];
    for (const u of us)
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] += u[i] * u[j];
    const identity = new Float64Array(n * n);
    for (let i = 0; i < n; i++) identity[i * n + i] = 1;
    expect(traceSqrtProduct(a, identity, n)).toBeCloseTo(1 + 2 + 5, 12);
    expect(traceSqrtProduct(new Float64Array(n * n), identity, n)).toBe(0);
  });
});
