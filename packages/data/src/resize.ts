import { oneOf, positiveInteger } from '@gan/core';
import { type RawImage, rawImage, rawImageArg } from './raw-image';

/** 'area' averages the covered source pixels (best for shrinking); the others are the usual kernels. */
export type ResizeMethod = 'area' | 'bilinear' | 'bicubic' | 'lanczos';

export const RESIZE_METHODS = ['area', 'bilinear', 'bicubic', 'lanczos'] as const;

interface Filter {
  support: number;
  weight(x: number): number;
}

const FILTERS: Record<ResizeMethod, Filter> = {
  // A box one output pixel wide (the support widens with the scale when shrinking): each output
  // pixel is the mean of the source pixels whose centres it covers (Pillow's BOX).
  area: { support: 0.5, weight: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0) },
  bilinear: { support: 1, weight: (x) => Math.max(0, 1 - Math.abs(x)) },
  bicubic: {
    support: 2,
    weight: (x) => {
      const a = -0.5; // Keys' kernel, as Pillow
      const t = Math.abs(x);
      if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
      return 0;
    },
  },
  lanczos: {
    support: 3,
    weight: (x) => {
      if (x === 0) return 1;
      if (Math.abs(x) >= 3) return 0;
      const px = Math.PI * x;
      return (3 * Math.sin(px) * Math.sin(px / 3)) / (px * px);
    },
  },
};

/** Per output index: the first source index and normalised weights (Pillow's separable scheme). */
function coefficients(inSize: number, outSize: number, filter: Filter) {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filter.support * filterScale;
  const result: { start: number; weights: Float64Array }[] = [];
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale;
    const start = Math.max(0, Math.floor(centre - support + 0.5));
    const end = Math.min(inSize, Math.floor(centre + support + 0.5));
    const weights = new Float64Array(end - start);
    let total = 0;
    for (let i = start; i < end; i++) {
      const w = filter.weight((i + 0.5 - centre) / filterScale);
      weights[i - start] = w;
      total += w;
    }
    if (total !== 0) for (let k = 0; k < weights.length; k++) weights[k] /= total;
    result.push({ start, weights });
  }
  return result;
}

const clampByte = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

/**
 * Resizes to width × height, separably — rows, then columns — rounding to bytes after each pass,
 * as Pillow does (results agree with Pillow's resize to ±1). Transparent images should be
 * composited first: resizing straight alpha bleeds the colour of invisible pixels into edges.
 */
export function resize(
  image: RawImage,
  width: number,
  height: number,
  method: ResizeMethod = 'area',
): RawImage {
  rawImageArg('resize', 'image', image);
  positiveInteger('resize', 'width', width);
  positiveInteger('resize', 'height', height);
  const filter = FILTERS[oneOf('resize', 'method', method, RESIZE_METHODS)];
  const out = rawImage(width, height, image.channels);
  if (width === image.width && height === image.height) {
    out.data.set(image.data);
    return out;
  }
  const c = image.channels;
  const xs = coefficients(image.width, width, filter);
  const ys = coefficients(image.height, height, filter);
  const rows = new Uint8Array(image.height * width * c);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < width; x++) {
      const { start, weights } = xs[x];
      for (let ch = 0; ch < c; ch++) {
        let sum = 0;
        for (let k = 0; k < weights.length; k++)
          sum += weights[k] * image.data[(y * image.width + start + k) * c + ch];
        rows[(y * width + x) * c + ch] = clampByte(sum);
      }
    }
  }
  for (let y = 0; y < height; y++) {
    const { start, weights } = ys[y];
    for (let x = 0; x < width; x++) {
      for (let ch = 0; ch < c; ch++) {
        let sum = 0;
        for (let k = 0; k < weights.length; k++)
          sum += weights[k] * rows[((start + k) * width + x) * c + ch];
        out.data[(y * width + x) * c + ch] = clampByte(sum);
      }
    }
  }
  return out;
}
