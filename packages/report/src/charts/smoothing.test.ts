import { expectArgError } from '@gan/test-utils';
import { describe, expect, it } from 'vitest';
import { smoothSeries } from './smoothing';

describe('smoothSeries', () => {
  it('is TensorBoard’s de-biased EMA: worked by hand for [1, 2, 3] at weight 0.5', () => {
    // EMA 0.5, 1.25, 2.125 divided by 1 − 0.5^n = 0.5, 0.75, 0.875.
    const out = smoothSeries([1, 2, 3], 0.5);
    expect(out[0]).toBeCloseTo(1, 12);
    expect(out[1]).toBeCloseTo(1.25 / 0.75, 12);
    expect(out[2]).toBeCloseTo(2.125 / 0.875, 12);
  });

  it('keeps a constant series constant (no pull towards 0 at the start) and weight 0 unchanged', () => {
    for (const y of smoothSeries([5, 5, 5, 5], 0.9)) expect(y).toBeCloseTo(5, 12);
    expect(smoothSeries([3, -1, 7], 0)).toEqual([3, -1, 7]);
  });

  it('passes non-finite values through without letting them into the average', () => {
    const out = smoothSeries([1, Number.NaN, 1], 0.6);
    expect(out[1]).toBeNaN();
    expect(out[0]).toBeCloseTo(1, 12);
    expect(out[2]).toBeCloseTo(1, 12);
  });

  it('refuses a weight outside [0, 1), naming it', () => {
    expectArgError(() => smoothSeries([1], 1), 'smoothSeries', 'weight', /\[0, 1\)/);
    expectArgError(() => smoothSeries([1], -0.1), 'smoothSeries', 'weight');
  });
});
