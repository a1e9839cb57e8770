import { ArgumentError, argError, oneOf, optionsArg, positiveInteger } from '@gan/core';
import { composite, grayscale, toRgb } from './color';
import { type Color, colorArg, type RawImage, rawImage, rawImageArg } from './raw-image';
import { RESIZE_METHODS, type ResizeMethod, resize } from './resize';

/** Crops the centred width × height region (odd margins leave the extra pixel on the right/bottom). */
export function centerCrop(image: RawImage, width: number, height: number): RawImage {
  const fn = 'centerCrop';
  rawImageArg(fn, 'image', image);
  positiveInteger(fn, 'width', width);
  positiveInteger(fn, 'height', height);
  if (width > image.width || height > image.height)
    throw new ArgumentError(
      fn,
      width > image.width ? 'width' : 'height',
      `width × height ${width}×${height} is larger than the ${image.width}×${image.height} image`,
    );
  const left = Math.floor((image.width - width) / 2);
  const top = Math.floor((image.height - height) / 2);
  const c = image.channels;
  const out = rawImage(width, height, c);
  for (let y = 0; y < height; y++)
    out.data.set(
      image.data.subarray(
        ((top + y) * image.width + left) * c,
        ((top + y) * image.width + left + width) * c,
      ),
      y * width * c,
    );
  return out;
}

/**
 * Letterbox ("contain"): scales the image to fit inside size × size keeping its aspect ratio
 * and centres it on the background. The image is composited onto the background first.
 */
export function letterbox(
  image: RawImage,
  size: number,
  background: Color = 'white',
  method: ResizeMethod = 'area',
): RawImage {
  const fn = 'letterbox';
  rawImageArg(fn, 'image', image);
  positiveInteger(fn, 'size', size);
  const bg = colorArg(fn, 'background', background);
  oneOf(fn, 'method', method, RESIZE_METHODS);
  const flat = image.channels === 4 ? composite(image, background) : image;
  const scale = size / Math.max(flat.width, flat.height);
  const w = Math.max(1, Math.round(flat.width * scale));
  const h = Math.max(1, Math.round(flat.height * scale));
  const scaled = resize(flat, w, h, method);
  const c = flat.channels;
  const out = rawImage(size, size, c);
  const fill = c === 1 ? [Math.round(0.299 * bg[0] + 0.587 * bg[1] + 0.114 * bg[2])] : bg;
  for (let i = 0; i < size * size; i++)
    for (let ch = 0; ch < c; ch++) out.data[i * c + ch] = fill[ch];
  const left = Math.floor((size - w) / 2);
  const top = Math.floor((size - h) / 2);
  for (let y = 0; y < h; y++)
    out.data.set(scaled.data.subarray(y * w * c, (y + 1) * w * c), ((top + y) * size + left) * c);
  return out;
}

export interface PreprocessOptions {
  /** Output width and height. */
  resolution: number;
  /** 1 (gray) or 3 (RGB). Default 3. */
  channels?: 1 | 3;
  /** Behind transparent pixels and letterbox margins. Default 'white'. */
  background?: Color;
  /** 'cover' scales to fill then centre-crops; 'contain' letterboxes; 'fill' stretches. Default 'cover'. */
  fit?: 'cover' | 'contain' | 'fill';
  /** Default 'area' (the right filter for shrinking). */
  method?: ResizeMethod;
}

/**
 * Throws an ArgumentError under `fn` (the loader or function the caller called), naming the
 * option, when preprocessing options are invalid: loaders call it before any file is read.
 */
export function checkPreprocessOptions(fn: string, options: PreprocessOptions): void {
  optionsArg(fn, options, { required: true });
  const {
    resolution,
    channels = 3,
    fit = 'cover',
    method = 'area',
    background = 'white',
  } = options;
  positiveInteger(fn, 'resolution', resolution);
  if (channels !== 1 && channels !== 3) argError(fn, 'channels', '1 or 3', channels);
  oneOf(fn, 'fit', fit, ['cover', 'contain', 'fill']);
  oneOf(fn, 'method', method, RESIZE_METHODS);
  colorArg(fn, 'background', background);
}

/** Composite, fit to resolution² and convert channels: what every loader applies to each image. */
export function preprocess(image: RawImage, options: PreprocessOptions): RawImage {
  rawImageArg('preprocess', 'image', image);
  checkPreprocessOptions('preprocess', options);
  const {
    resolution,
    channels = 3,
    background = 'white',
    fit = 'cover',
    method = 'area',
  } = options;
  const flat = image.channels === 4 ? composite(image, background) : image;
  let sized: RawImage;
  if (fit === 'contain') sized = letterbox(flat, resolution, background, method);
  else if (fit === 'fill') sized = resize(flat, resolution, resolution, method);
  else {
    const scale = resolution / Math.min(flat.width, flat.height);
    const w = Math.max(resolution, Math.round(flat.width * scale));
    const h = Math.max(resolution, Math.round(flat.height * scale));
    sized = centerCrop(resize(flat, w, h, method), resolution, resolution);
  }
  return channels === 1 ? grayscale(sized, background) : toRgb(sized, background);
}
