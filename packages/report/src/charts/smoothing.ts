import { numberArg } from '@gan/core';

/** Smoothing weights: [0, 1). */
export const SMOOTHING_RANGE = { min: 0, max: 1, maxExclusive: true } as const;

/**
 * TensorBoard's scalar smoothing: an exponential moving average with weight `weight` on the past,
 * divided by 1 − weight^n after n values so that the start is not pulled towards 0 (the same
 * de-biasing as Adam's moments). Non-finite values pass through and do not enter the average.
 * `weight` 0 returns the values unchanged.
 */
export function smoothSeries(values: readonly number[], weight: number): number[] {
  numberArg('smoothSeries', 'weight', weight, SMOOTHING_RANGE);
  let average = 0;
  let n = 0;
  return values.map((y) => {
    if (!Number.isFinite(y)) return y;
    average = weight * average + (1 - weight) * y;
    n += 1;
    return weight === 0 ? y : average / (1 - weight ** n);
  });
}
