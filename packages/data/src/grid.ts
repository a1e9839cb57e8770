import {
  ArgumentError,
  nonNegativeInteger,
  optionsArg,
  positiveInteger,
  tensorArg,
} from '@gan/core';
import { type Tensor, tidy } from '@tensorflow/tfjs-core';
import { toUint8 } from './normalize';
import { type Color, colorArg, rgbaImageArg } from './raw-image';

export interface ImageGridOptions {
  /** Images per row. Default ⌈√n⌉. */
  cols?: number;
  /** Pixels between and around images. Default 2. */
  padding?: number;
  /** Colour of the padding. Default 'white'. */
  background?: Color;
}

/** An RGBA picture: what the PNG and GIF encoders take. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Lays out a batch [n, h, w, c] of images in [−1, 1] (c = 1 or 3) as one RGBA picture, row by
 * row. Reads the tensor once (async); does not dispose it.
 */
export async function imageGrid(
  images: Tensor,
  options: ImageGridOptions = {},
): Promise<RgbaImage> {
  const fn = 'imageGrid';
  tensorArg(fn, 'images', images, { rank: 4, layout: '[n, h, w, 1 | 3]', nonEmpty: true });
  if (images.shape[3] !== 1 && images.shape[3] !== 3)
    throw new ArgumentError(
      fn,
      'images',
      `images must have 1 or 3 channels ([n, h, w, 1 | 3]), got shape [${images.shape}]`,
    );
  optionsArg(fn, options);
  const [n, h, w, c] = images.shape;
  const cols = positiveInteger(fn, 'cols', options.cols ?? Math.ceil(Math.sqrt(n)));
  const padding = nonNegativeInteger(fn, 'padding', options.padding ?? 2);
  const [br, bg, bb] = colorArg(fn, 'background', options.background ?? 'white');
  const rows = Math.ceil(n / cols);
  const width = cols * w + (cols + 1) * padding;
  const height = rows * h + (rows + 1) * padding;
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([br, bg, bb, 255], i * 4);
  const bytes = tidy(() => toUint8(images));
  const values = await bytes.data();
  bytes.dispose();
  for (let k = 0; k < n; k++) {
    const ox = padding + (k % cols) * (w + padding);
    const oy = padding + Math.floor(k / cols) * (h + padding);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const src = ((k * h + y) * w + x) * c;
        const dst = ((oy + y) * width + ox + x) * 4;
        const [r, g, b] =
          c === 1
            ? [values[src], values[src], values[src]]
            : [values[src], values[src + 1], values[src + 2]];
        data[dst] = r;
        data[dst + 1] = g;
        data[dst + 2] = b;
      }
  }
  return { width, height, data };
}

/**
 * An RGBA picture `factor` times larger, each pixel a `factor`² block (nearest neighbour): a
 * 137-pixel grid of 16-pixel samples becomes readable in an image viewer without blurring.
 */
export function upscaleNearest(image: RgbaImage, factor: number): RgbaImage {
  const fn = 'upscaleNearest';
  rgbaImageArg(fn, 'image', image);
  const k = positiveInteger(fn, 'factor', factor);
  const { width, height, data } = image;
  if (k === 1) return { width, height, data: data.slice() };
  const out = new Uint8Array(width * k * height * k * 4);
  // A pixel is one 32-bit word; a view needs 4-byte alignment (decoders hand out pooled slices).
  const aligned = data.byteOffset % 4 === 0 ? data : data.slice();
  const source = new Uint32Array(aligned.buffer, aligned.byteOffset, width * height);
  enlarge(source, width, height, k, new Uint32Array(out.buffer));
  return { width: width * k, height: height * k, data: out };
}

/**
 * Row-major cells [height, width] of `source` written `k` times larger into `target` (each cell a
 * k² block): RGBA pixels as 32-bit words here, a GIF frame's palette indices in `gif.ts`.
 * Internal to @gan/data.
 */
export function enlarge<T extends Uint8Array | Uint32Array>(
  source: T,
  width: number,
  height: number,
  k: number,
  target: T,
): T {
  const line = target.slice(0, width * k); // one output row, of target's type (every cell filled)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) line.fill(source[y * width + x], x * k, x * k + k);
    for (let r = 0; r < k; r++) target.set(line, (y * k + r) * width * k);
  }
  return target;
}

/** The least whole factor that brings a picture `width` pixels wide to at least `minWidth` (1 if it is). */
export function scaleToWidth(width: number, minWidth: number): number {
  return width >= minWidth ? 1 : Math.ceil(minWidth / width);
}
