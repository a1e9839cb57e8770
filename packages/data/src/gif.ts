import * as gifenc from 'gifenc';

// gifenc ships ESM under "module" (bundlers) and CommonJS under "main" (what Node's import()
// loads, exposing only a default export): accept both shapes.
const { applyPalette, GIFEncoder, quantize } = (
  'GIFEncoder' in gifenc ? gifenc : (gifenc as unknown as { default: typeof gifenc }).default
) as typeof gifenc;

import type { RgbaImage } from './grid';

export interface GifOptions {
  /** Milliseconds per frame. Default 200. */
  delay?: number;
  /** Loop forever (0) or play once (-1). Default 0. */
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
  if (frames.length === 0) throw new Error('encodeGif: no frames');
  const { width, height } = frames[0];
  const gif = GIFEncoder();
  frames.forEach((frame, i) => {
    if (frame.width !== width || frame.height !== height)
      throw new Error(
        `encodeGif: frame ${i} is ${frame.width}×${frame.height}, the first ${width}×${height}`,
      );
    const palette = quantize(frame.data, 256);
    gif.writeFrame(applyPalette(frame.data, palette), width, height, {
      palette,
      delay: options.delay ?? 200,
      repeat: i === 0 ? (options.repeat ?? 0) : undefined,
    });
  });
  gif.finish();
  return gif.bytes();
}
