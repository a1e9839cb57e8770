import { writeFileSync } from 'node:fs';
import { encodeGif, encodePng, imageGrid, type RgbaImage } from '@gan/data';
import type * as tf from '@tensorflow/tfjs-core';

/** A batch in [−1, 1] as an 8-column grid PNG; returns the grid for the progress GIF. */
export async function writeGrid(path: string, images: tf.Tensor): Promise<RgbaImage> {
  const grid = await imageGrid(images, { cols: 8, padding: 1 });
  writeFileSync(path, encodePng(grid));
  return grid;
}

export function writeGif(path: string, frames: RgbaImage[]): void {
  writeFileSync(path, encodeGif(frames, { delay: 300 }));
}
