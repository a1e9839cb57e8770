import { ArgumentError, argError, assertArg, numberArg, numbersArg, optionsArg } from '@gan/core';
import { Tensor } from '@tensorflow/tfjs-core';
import { type FeatureStats, isFeatureStats } from './feature-stats';
import { traceSqrtProduct } from './linalg';

/** A Gaussian summary of features: what FID compares (pytorch-fid's mu and sigma). */
export interface GaussianStats {
  /** Mean, length dim. */
  mean: ArrayLike<number>;
  /** Covariance, dim × dim row-major, symmetric positive semi-definite. */
  covariance: ArrayLike<number>;
  /** Samples behind the statistics, when known (enables the small-sample warning). */
  count?: number;
}

export interface FrechetOptions {
  /**
   * Adds eps · I to both covariances first — pytorch-fid's fallback when scipy's sqrtm fails.
   * Never needed here (singular covariances are handled exactly); use it only to reproduce
   * numbers computed with that offset. Default 0.
   */
  eps?: number;
  /** Receives warnings (fewer samples than dimensions); default console.warn, null to mute. */
  onWarning?: ((message: string) => void) | null;
}

interface Dense {
  mean: Float64Array;
  cov: Float64Array;
  count: number | undefined;
}

const FN = 'frechetDistance';

function dense(name: string, stats: FeatureStats | GaussianStats): Dense {
  // A FeatureStats from any copy of this package (instanceof alone misses the other build's).
  if (isFeatureStats(stats)) {
    assertArg(
      stats.count >= 2,
      FN,
      () =>
        `${name} has ${stats.count} sample${stats.count === 1 ? '' : 's'}; the covariance needs at least 2`,
      name,
    );
    return { mean: stats.mean(), cov: stats.covariance(), count: stats.count };
  }
  if (
    typeof stats !== 'object' ||
    stats === null ||
    stats instanceof Tensor ||
    ArrayBuffer.isView(stats) ||
    Array.isArray(stats)
  )
    argError(FN, name, 'a FeatureStats or { mean, covariance }', stats);
  const hint =
    'GaussianStats holds arrays; pass a FeatureStats itself or { mean: s.mean(), covariance: s.covariance() }';
  numbersArg(FN, `${name}.mean`, stats.mean, typeof stats.mean === 'function' ? { hint } : {});
  numbersArg(FN, `${name}.covariance`, stats.covariance);
  const d = stats.mean.length;
  assertArg(d > 0, FN, `${name}.mean is empty`, `${name}.mean`);
  if (stats.covariance.length !== d * d)
    throw new ArgumentError(
      FN,
      `${name}.covariance`,
      `${name}.covariance has ${stats.covariance.length} values, expected ${d}² = ${d * d}`,
    );
  if (stats.count !== undefined && !(typeof stats.count === 'number' && stats.count >= 0))
    argError(FN, `${name}.count`, 'a number ≥ 0 or undefined', stats.count);
  const mean = Float64Array.from(stats.mean);
  const cov = Float64Array.from(stats.covariance);
  if (!mean.every(Number.isFinite) || !cov.every(Number.isFinite))
    throw new ArgumentError(FN, name, `${name} holds non-finite values`);
  return { mean, cov, count: stats.count };
}

/**
 * The Fréchet distance between two Gaussians, ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^{1/2}): FID when
 * the statistics are InceptionV3 pool3 features. Equal to pytorch-fid's scipy `sqrtm` formula
 * (tests: 1e-6 relative, 8 to 2048 dimensions, rank-deficient cases), but computed from a
 * symmetric eigenproblem in float64 (WebAssembly SIMD kernels): 2048-d in ~3 s, faster than sqrtm.
 * Not clamped at 0: identical inputs give ±1e-12-sized rounding.
 */
export function frechetDistance(
  a: FeatureStats | GaussianStats,
  b: FeatureStats | GaussianStats,
  options: FrechetOptions = {},
): number {
  const { eps = 0, onWarning } = optionsArg(FN, options);
  numberArg(FN, 'eps', eps, { min: 0 });
  if (!(onWarning == null || typeof onWarning === 'function'))
    argError(FN, 'onWarning', 'a function or null', onWarning);
  const x = dense('a', a);
  const y = dense('b', b);
  const n = x.mean.length;
  assertArg(y.mean.length === n, FN, () => `a is ${n}-d, b is ${y.mean.length}-d`, 'b');
  const warn = onWarning === undefined ? console.warn : onWarning;
  for (const [name, s] of [
    ['a', x],
    ['b', y],
  ] as const) {
    if (s.count !== undefined && s.count < n)
      warn?.(
        `frechetDistance: ${name} has ${s.count} samples of ${n}-d features, so its covariance is singular (rank ≤ ${s.count - 1}); the distance is exact for these statistics but strongly biased upward at this sample size — use more samples than dimensions (pytorch-fid asks for 2048+ with pool3) or KID.`,
      );
  }
  let meanTerm = 0;
  let traces = 0;
  for (let i = 0; i < n; i++) {
    const diff = x.mean[i] - y.mean[i];
    meanTerm += diff * diff;
    x.cov[i * n + i] += eps;
    y.cov[i * n + i] += eps;
    traces += x.cov[i * n + i] + y.cov[i * n + i];
  }
  // Factor the side with fewer samples: its rank, and so the work, is smaller.
  const [first, second] = (y.count ?? Infinity) < (x.count ?? Infinity) ? [y, x] : [x, y];
  return meanTerm + traces - 2 * traceSqrtProduct(first.cov, second.cov, n);
}
