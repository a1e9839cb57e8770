import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeGif, encodePng, imageGrid, type RgbaImage } from '@gan/data';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** A batch in [−1, 1] as an 8-column grid PNG; returns the grid for the progress GIF. */
export async function writeGrid(path: string, images: tf.Tensor): Promise<RgbaImage> {
  const grid = await imageGrid(images, { cols: 8, padding: 1 });
  writeFileSync(path, encodePng(grid));
  return grid;
}

export function writeGif(path: string, frames: RgbaImage[]): void {
  writeFileSync(path, encodeGif(frames, { delay: 300 }));
}

/** A model in tfjs's format (model.json + weights.bin): `tf.loadLayersModel('file://…')` reads it. */
export async function saveModel(model: tfl.LayersModel, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
      writeFileSync(join(dir, 'weights.bin'), new Uint8Array(weights));
      const { weightData: _, weightSpecs, ...rest } = artifacts;
      writeFileSync(
        join(dir, 'model.json'),
        JSON.stringify({
          ...rest,
          weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}
