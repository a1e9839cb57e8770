import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

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
