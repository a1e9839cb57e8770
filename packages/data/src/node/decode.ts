import { ArgumentError, argError } from '@gan/core';
import type { RawImage } from '../raw-image';

type Sharp = typeof import('sharp');
let sharpModule: Promise<Sharp> | undefined;

/** sharp, loaded on first use: an optional peer dependency of `@gan/data/node`. */
export function loadSharp(): Promise<Sharp> {
  sharpModule ??= import('sharp').then(
    (m) => ((m as unknown as { default?: Sharp }).default ?? m) as Sharp,
    (error) => {
      sharpModule = undefined;
      throw new Error(
        `@gan/data/node decodes images with sharp: npm i sharp (${(error as Error).message})`,
      );
    },
  );
  return sharpModule;
}

/**
 * Decodes PNG, JPEG, WebP, GIF (first frame), SVG (rasterised), TIFF, AVIF… to 8-bit RGBA.
 * 16-bit and gray images are converted; a corrupt or truncated file throws.
 */
export async function decodeImage(bytes: Uint8Array): Promise<RawImage> {
  const value: unknown = bytes;
  if (!(value instanceof Uint8Array || value instanceof ArrayBuffer))
    argError('decodeImage', 'bytes', 'a Uint8Array', bytes);
  if (bytes.byteLength === 0) throw new ArgumentError('decodeImage', 'bytes', 'bytes is empty');
  return decodeBytes(bytes);
}

/**
 * {@link decodeImage} for the loaders: a file's problems (empty, corrupt, truncated) are its
 * skip reason (`'empty file'`), not an argument error.
 */
export async function decodeBytes(bytes: Uint8Array): Promise<RawImage> {
  if (bytes.byteLength === 0) throw new Error('empty file');
  const sharp = await loadSharp();
  const { data, info } = await sharp(bytes, { pages: 1, failOn: 'warning' })
    .toColourspace('srgb')
    .ensureAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 4) throw new Error(`decoded to ${info.channels} channels, expected 4`);
  return {
    width: info.width,
    height: info.height,
    channels: 4,
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}
