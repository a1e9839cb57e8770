import { testBackend } from '@gan/test-utils';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/resize.json';
import { rawImage } from './raw-image';
import { resize } from './resize';

describe(`resize [${testBackend()}]`, () => {
  const source = rawImage(fixture.width, fixture.height, 3, Uint8Array.from(fixture.pixels));

  for (const c of fixture.cases) {
    it(`${c.method} ${fixture.width}×${fixture.height} → ${c.width}×${c.height} matches Pillow within ±1`, () => {
      const out = resize(source, c.width, c.height, c.method as never);
      const worst = Math.max(...Array.from(out.data, (v, i) => Math.abs(v - c.expected[i])));
      expect(worst).toBeLessThanOrEqual(1);
    });
  }

  it('area shrinking by an integer factor is the mean of each block, rounded per pass', () => {
    const gray = rawImage(4, 2, 1, Uint8Array.of(0, 10, 20, 30, 40, 50, 60, 71));
    // Rows: (0+10)/2 = 5, (20+30)/2 = 25, (40+50)/2 = 45, (60+71)/2 = 65.5 → 66; columns: 25, 45.5 → 46.
    expect(Array.from(resize(gray, 2, 1, 'area').data)).toEqual([25, 46]);
  });

  it('keeps a constant image constant and copies at the same size', () => {
    const flat = rawImage(5, 3, 4, new Uint8Array(60).fill(77));
    for (const method of ['area', 'bilinear', 'bicubic', 'lanczos'] as const)
      expect(new Set(resize(flat, 8, 2, method).data)).toEqual(new Set([77]));
    expect(resize(source, 7, 5).data).toEqual(source.data);
    expect(() => resize(source, 2, 2, 'nearest' as never)).toThrow(/method must be/);
  });
});
