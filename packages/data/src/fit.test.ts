import { testBackend } from '@gan/test-utils';
import { describe, expect, it } from 'vitest';
import { composite, grayscale } from './color';
import { centerCrop, letterbox, preprocess } from './fit';
import { rawImage } from './raw-image';

const bytes = (img: { data: Uint8Array }) => Array.from(img.data);

describe(`preprocessing [${testBackend()}]`, () => {
  it('composites straight alpha onto the background exactly', () => {
    const rgba = rawImage(
      3,
      1,
      4,
      Uint8Array.of(200, 100, 0, 255, 200, 100, 0, 0, 200, 100, 0, 128),
    );
    // α = 128: (200·128 + 255·127)/255 = 227.4, (100·128 + 255·127)/255 = 177.2, 127.
    expect(bytes(composite(rgba, 'white'))).toEqual([200, 100, 0, 255, 255, 255, 227, 177, 127]);
    expect(bytes(composite(rgba, '#000000'))).toEqual([200, 100, 0, 0, 0, 0, 100, 50, 0]);
  });

  it('converts to gray with ITU-R 601 weights', () => {
    const rgb = rawImage(2, 1, 3, Uint8Array.of(255, 0, 0, 10, 200, 30));
    expect(bytes(grayscale(rgb))).toEqual([76, 124]); // 0.299·255 = 76.2; 2.99 + 117.4 + 3.42 = 123.8
  });

  it('letterboxes a wide image centred on the background', () => {
    const red = rawImage(2, 1, 3, Uint8Array.of(255, 0, 0, 255, 0, 0));
    const out = letterbox(red, 4, 'white');
    const W = [255, 255, 255];
    const R = [255, 0, 0];
    expect(bytes(out)).toEqual([
      ...W,
      ...W,
      ...W,
      ...W,
      ...R,
      ...R,
      ...R,
      ...R,
      ...R,
      ...R,
      ...R,
      ...R,
      ...W,
      ...W,
      ...W,
      ...W,
    ]);
  });

  it('centre-crops, leaving an odd margin on the right and bottom', () => {
    const img = rawImage(3, 3, 1, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9));
    expect(bytes(centerCrop(img, 2, 2))).toEqual([1, 2, 4, 5]);
    expect(bytes(centerCrop(img, 1, 1))).toEqual([5]);
    expect(() => centerCrop(img, 4, 1)).toThrow(/larger than the 3×3 image/);
  });

  it('preprocess: cover crops, contain pads, fill stretches; gray or RGB out', () => {
    // A 4×2 image: left half black, right half white.
    const img = rawImage(4, 2, 1, Uint8Array.of(0, 0, 255, 255, 0, 0, 255, 255));
    expect(bytes(preprocess(img, { resolution: 2, channels: 1, fit: 'cover' }))).toEqual([
      0, 255, 0, 255,
    ]);
    expect(bytes(preprocess(img, { resolution: 2, channels: 1, fit: 'fill' }))).toEqual([
      0, 255, 0, 255,
    ]);
    expect(
      bytes(preprocess(img, { resolution: 4, channels: 1, fit: 'contain', background: 'gray' })),
    ).toEqual([128, 128, 128, 128, 0, 0, 255, 255, 0, 0, 255, 255, 128, 128, 128, 128]);
    expect(preprocess(img, { resolution: 2 }).channels).toBe(3);
    expect(() => preprocess(img, { resolution: 0 })).toThrow(
      /resolution must be a positive integer/,
    );
    expect(() => preprocess(img, { resolution: 2, fit: 'zoom' as never })).toThrow(/fit must be/);
  });
});
