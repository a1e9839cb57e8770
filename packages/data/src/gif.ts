import * as gifenc from 'gifenc';

// gifenc ships ESM under "module" (bundlers) and CommonJS under "main" (what Node's import()
// loads, exposing only a default export): accept both shapes.
const { applyPalette, GIFEncoder, quantize } = (
  'GIFEncoder' in gifenc ? gifenc : (gifenc as unknown as { default: typeof gifenc }).default
) as typeof gifenc;

import { ArgumentError, argError, integerArg, numberArg, optionsArg } from '@gan/core';
import type { RgbaImage } from './grid';
import { rgbaImageArg } from './raw-image';

export interface GifOptions {
  /** Milliseconds per frame (≥ 0; GIFs store hundredths of a second). Default 200. */
  delay?: number;
  /** Loop forever (0), play once (-1), or repeat n more times (n > 0). Default 0. */
  repeat?: number;
}

/**
 * Frames (same size) as an animated GIF — the progress animations of the Pokémon and faces
 * write-ups. One 256-colour palette per frame (gifenc's quantiser); pure JS, Node and browsers.
 */
export function encodeGif(
  frames: readonly RgbaImage[],
  options: GifOptions = {},
): Uint8Array<ArrayBuffer> {
  const fn = 'encodeGif';
  if (!Array.isArray(frames)) argError(fn, 'frames', 'an array of RgbaImage', frames);
  if (frames.length === 0) throw new ArgumentError(fn, 'frames', 'frames is empty');
  optionsArg(fn, options);
  const delay = numberArg(fn, 'delay', options.delay ?? 200, { min: 0 });
  const repeat = integerArg(fn, 'repeat', options.repeat ?? 0, { min: -1 });
  const { width, height } = rgbaImageArg(fn, 'frames[0]', frames[0]);
  for (const [i, frame] of frames.entries()) {
    rgbaImageArg(fn, `frames[${i}]`, frame);
    if (frame.width !== width || frame.height !== height)
      throw new ArgumentError(
        fn,
        'frames',
        `frame ${i} is ${frame.width}×${frame.height}, the first ${width}×${height}`,
      );
  }
  const gif = GIFEncoder();
  frames.forEach((frame, i) => {
    const palette = quantize(frame.data, 256);
    gif.writeFrame(applyPalette(frame.data, palette), width, height, {
      palette,
      delay,
      repeat: i === 0 ? repeat : undefined,
    });
  });
  gif.finish();
  return gif.bytes();
}
