import { ArgumentError, argError, positiveInteger } from '@gan/core';

/**
 * A decoded image on the host: row-major, interleaved 8-bit channels (1 gray, 3 RGB, 4 RGBA).
 * Preprocessing works on these so Node and the browser produce the same bytes.
 */
export interface RawImage {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  data: Uint8Array;
}

const CHANNELS: readonly number[] = [1, 3, 4];

const isBytes = (value: unknown): value is Uint8Array =>
  value instanceof Uint8Array || value instanceof Uint8ClampedArray;

/** `data` holds exactly `size` bytes of a width × height × channels image. */
function checkData(
  fn: string,
  arg: string,
  data: unknown,
  width: number,
  height: number,
  channels: number,
): void {
  if (!isBytes(data)) argError(fn, arg, 'a Uint8Array', data);
  const size = width * height * channels;
  if (data.length !== size)
    throw new ArgumentError(
      fn,
      arg,
      `${arg} has ${data.length} bytes, a ${width}×${height}×${channels} image holds ${size}`,
    );
}

/**
 * A {@link RawImage} argument, checked under the caller's name: width and height positive
 * integers, 1, 3 or 4 channels, and a Uint8Array of exactly width·height·channels bytes.
 * O(1): the pixels are not read.
 */
export function rawImageArg(fn: string, arg: string, value: unknown): RawImage {
  if (typeof value !== 'object' || value === null || !('data' in value) || !('channels' in value))
    return argError(fn, arg, 'a RawImage { width, height, channels: 1 | 3 | 4, data }', value);
  const image = value as RawImage;
  positiveInteger(fn, `${arg}.width`, image.width);
  positiveInteger(fn, `${arg}.height`, image.height);
  if (!CHANNELS.includes(image.channels))
    argError(fn, `${arg}.channels`, '1, 3 or 4', image.channels);
  checkData(fn, `${arg}.data`, image.data, image.width, image.height, image.channels);
  return image;
}

/** An RGBA picture ({ width, height, data }, 4 bytes a pixel): what the PNG and GIF encoders take. */
export function rgbaImageArg(
  fn: string,
  arg: string,
  value: unknown,
): { width: number; height: number; data: Uint8Array } {
  if (typeof value !== 'object' || value === null || !('data' in value))
    return argError(fn, arg, 'an RGBA image { width, height, data }', value);
  const image = value as { width: number; height: number; data: Uint8Array };
  positiveInteger(fn, `${arg}.width`, image.width);
  positiveInteger(fn, `${arg}.height`, image.height);
  checkData(fn, `${arg}.data`, image.data, image.width, image.height, 4);
  return image;
}

export function rawImage(
  width: number,
  height: number,
  channels: 1 | 3 | 4,
  data?: Uint8Array,
): RawImage {
  const fn = 'rawImage';
  positiveInteger(fn, 'width', width);
  positiveInteger(fn, 'height', height);
  if (!CHANNELS.includes(channels)) argError(fn, 'channels', '1, 3 or 4', channels);
  if (data !== undefined) checkData(fn, 'data', data, width, height, channels);
  return { width, height, channels, data: data ?? new Uint8Array(width * height * channels) };
}

/** A colour as RGB bytes: '#rrggbb', 'white', 'black', or [r, g, b]. */
export type Color = string | [number, number, number];

const NAMED = new Map<string, [number, number, number]>([
  ['white', [255, 255, 255]],
  ['black', [0, 0, 0]],
  ['gray', [128, 128, 128]],
]);

/**
 * A colour argument (`background`), checked and parsed under the caller's name: '#rrggbb',
 * 'white', 'black', 'gray' or [r, g, b] with 3 finite numbers (rounded and clamped to bytes).
 */
export function colorArg(fn: string, arg: string, color: unknown): [number, number, number] {
  if (Array.isArray(color) && color.length === 3 && color.every((c) => Number.isFinite(c)))
    return color.map((c: number) => Math.max(0, Math.min(255, Math.round(c)))) as [
      number,
      number,
      number,
    ];
  const named = typeof color === 'string' ? NAMED.get(color) : undefined;
  if (named) return [...named];
  const m =
    typeof color === 'string' ? /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color) : null;
  if (!m)
    return argError(
      fn,
      arg,
      "'#rrggbb', 'white', 'black', 'gray' or [r, g, b] with 3 finite numbers",
      color,
    );
  return [Number.parseInt(m[1], 16), Number.parseInt(m[2], 16), Number.parseInt(m[3], 16)];
}

export function parseColor(color: Color): [number, number, number] {
  return colorArg('parseColor', 'color', color);
}
