import { expectArgError } from '@gan/test-utils';
import { describe, expect, it } from 'vitest';
import { encodeGif, GifStream } from './gif';
import type { RgbaImage } from './grid';

/** A frame of deterministic colours, different for each `k`. */
function frame(k: number, width = 6, height = 5): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = i % 4 === 3 ? 255 : (i * 37 + k * 91) % 256;
  return { width, height, data };
}

describe('GifStream', () => {
  it('after each frame, holds the bytes encodeGif writes for the frames so far', () => {
    const options = { delay: 120, repeat: 2 };
    const stream = new GifStream(options);
    const frames: RgbaImage[] = [];
    for (let k = 0; k < 4; k++) {
      frames.push(frame(k));
      stream.add(frames[k]);
      expect(stream.frames).toBe(k + 1);
      expect(Array.from(stream.bytes())).toEqual(Array.from(encodeGif(frames, options)));
    }
    expect(stream.frameSize).toEqual({ width: 6, height: 5 });
  });

  it('refuses a frame of another size and bytes before the first frame, naming the argument', () => {
    const stream = new GifStream();
    expect(() => stream.bytes()).toThrow(/^GifStream.bytes: no frame added yet/);
    stream.add(frame(0));
    expectArgError(
      () => stream.add(frame(1, 5, 5)),
      'GifStream.add',
      'frame',
      /frame is 5×5, the first 6×5$/,
    );
    expect(stream.frames).toBe(1);
    expectArgError(() => new GifStream({ delay: -1 }), 'GifStream', 'delay', /got -1$/);
  });
});
