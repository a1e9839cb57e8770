import { expectArgError } from '@gan/test-utils';
import { describe, expect, it } from 'vitest';
import { scaleToWidth, upscaleNearest } from './grid';

describe('upscaleNearest', () => {
  it('makes every pixel a factor² block, at any byte offset of its data', () => {
    // 2×1: a red and a half-transparent blue pixel, behind one stray byte (unaligned view).
    const backing = new Uint8Array([9, 255, 0, 0, 255, 0, 0, 255, 128]);
    const image = { width: 2, height: 1, data: backing.subarray(1) };
    const up = upscaleNearest(image, 3);
    expect([up.width, up.height]).toEqual([6, 3]);
    const pixel = (x: number, y: number) =>
      Array.from(up.data.slice((y * 6 + x) * 4, (y * 6 + x) * 4 + 4));
    for (let y = 0; y < 3; y++)
      for (let x = 0; x < 6; x++)
        expect(pixel(x, y)).toEqual(x < 3 ? [255, 0, 0, 255] : [0, 0, 255, 128]);
    const same = upscaleNearest(image, 1);
    expect(Array.from(same.data)).toEqual(Array.from(image.data));
    expect(same.data).not.toBe(image.data);
  });

  it('scaleToWidth: the least whole factor to reach a width, 1 when already as wide', () => {
    expect([scaleToWidth(137, 512), scaleToWidth(19, 512), scaleToWidth(128, 512)]).toEqual([
      4, 27, 4,
    ]);
    expect([scaleToWidth(512, 512), scaleToWidth(600, 512), scaleToWidth(10, 0)]).toEqual([
      1, 1, 1,
    ]);
  });

  it('names the argument it refuses', () => {
    const image = { width: 1, height: 1, data: new Uint8Array(4) };
    expectArgError(() => upscaleNearest(image, 0), 'upscaleNearest', 'factor', /got 0/);
    expectArgError(
      () => upscaleNearest({ width: 2, height: 1, data: new Uint8Array(4) }, 2),
      'upscaleNearest',
      'image.data',
    );
  });
});
