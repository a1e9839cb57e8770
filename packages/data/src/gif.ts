import * as gifenc from 'gifenc';

// gifenc ships ESM under "module" (bundlers) and CommonJS under "main" (what Node's import()
// loads, exposing only a default export): accept both shapes.
const { applyPalette, GIFEncoder, quantize } = (
  'GIFEncoder' in gifenc ? gifenc : (gifenc as unknown as { default: typeof gifenc }).default
) as typeof gifenc;

import {
  ArgumentError,
  argError,
  integerArg,
  numberArg,
  optionsArg,
  positiveInteger,
} from '@gan/core';
import { enlarge, type RgbaImage } from './grid';
import { rgbaImageArg } from './raw-image';

export interface GifOptions {
  /** Milliseconds per frame (≥ 0; GIFs store hundredths of a second). Default 200. */
  delay?: number;
  /** Loop forever (0), play once (-1), or repeat n more times (n > 0). Default 0. */
  repeat?: number;
  /**
   * Each frame written this many times larger, nearest neighbour (a positive integer): the
   * palette is found on the frame as given, so a larger GIF costs no more quantising. Default 1.
   */
  scale?: number;
}

/**
 * Frames (same size) as an animated GIF — the progress animations of the Pokémon and faces
 * write-ups. One 256-colour palette per frame (gifenc's quantiser); pure JS, Node and browsers.
 * To write a GIF again after each new frame, use {@link GifStream}: it encodes each frame once.
 */
export function encodeGif(
  frames: readonly RgbaImage[],
  options: GifOptions = {},
): Uint8Array<ArrayBuffer> {
  const fn = 'encodeGif';
  if (!Array.isArray(frames)) argError(fn, 'frames', 'an array of RgbaImage', frames);
  if (frames.length === 0) throw new ArgumentError(fn, 'frames', 'frames is empty');
  const settings = gifSettings(fn, options);
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
  for (const [i, frame] of frames.entries()) writeFrame(gif, frame, settings, i === 0);
  gif.finish();
  return gif.bytes();
}

type Encoder = ReturnType<typeof GIFEncoder>;
type Settings = { delay: number; repeat: number; scale: number };

function gifSettings(fn: string, options: GifOptions): Settings {
  optionsArg(fn, options);
  return {
    delay: numberArg(fn, 'delay', options.delay ?? 200, { min: 0 }),
    repeat: integerArg(fn, 'repeat', options.repeat ?? 0, { min: -1 }),
    scale: positiveInteger(fn, 'scale', options.scale ?? 1),
  };
}

function writeFrame(gif: Encoder, frame: RgbaImage, settings: Settings, first: boolean): void {
  const palette = quantize(frame.data, 256);
  const k = settings.scale;
  const index = applyPalette(frame.data, palette);
  gif.writeFrame(
    k === 1
      ? index
      : enlarge(index, frame.width, frame.height, k, new Uint8Array(index.length * k * k)),
    frame.width * k,
    frame.height * k,
    {
      palette,
      delay: settings.delay,
      repeat: first ? settings.repeat : undefined,
    },
  );
}

/** GIF's trailer byte, after the last frame. */
const TRAILER = 0x3b;

/**
 * An animated GIF that grows a frame at a time: `add` quantises and compresses one frame, once;
 * `bytes()` is the whole GIF so far. `encodeGif` on a growing list re-encodes every frame each
 * time, which is quadratic: with 48 grids of 137² px it cost the Pokémon quick run ~4 minutes.
 */
export class GifStream {
  private readonly gif = GIFEncoder();
  private readonly settings: Settings;
  private size: { width: number; height: number } | undefined;
  private count = 0;

  constructor(options: GifOptions = {}) {
    this.settings = gifSettings('GifStream', options);
  }

  /** Frames added so far. */
  get frames(): number {
    return this.count;
  }

  /** Width and height of the frames as added (the first frame's; the GIF's are `scale` times that), undefined before it. */
  get frameSize(): { width: number; height: number } | undefined {
    return this.size && { ...this.size };
  }

  /** Appends a frame; every frame has the first one's size. */
  add(frame: RgbaImage): void {
    const fn = 'GifStream.add';
    const { width, height } = rgbaImageArg(fn, 'frame', frame);
    const size = this.size ?? { width, height };
    if (width !== size.width || height !== size.height)
      throw new ArgumentError(
        fn,
        'frame',
        `frame is ${width}×${height}, the first ${size.width}×${size.height}`,
      );
    writeFrame(this.gif, frame, this.settings, this.count === 0);
    this.size = size;
    this.count++;
  }

  /** The GIF of the frames so far (a copy: more frames may follow). */
  bytes(): Uint8Array<ArrayBuffer> {
    // A GIF needs a frame: its logical screen is the first frame's.
    if (this.count === 0) throw new Error('GifStream.bytes: no frame added yet (add() one first)');
    const written = this.gif.bytesView();
    const out = new Uint8Array(written.length + 1);
    out.set(written);
    out[written.length] = TRAILER;
    return out;
  }
}
