import { writeFileSync } from 'node:fs';
import { modelDir } from '@gan/core/node';
import { encodePng, imageGrid } from '@gan/data';
import { latentWalk } from '@gan/trainers';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export interface GenerateOptions {
  /** A generator directory in tfjs format (model.json + weights.bin), e.g. runs/quick/generator. */
  model: string;
  n: number;
  out: string;
  seed: number;
  /** Walk the latent space: rows interpolate (spherically) between random pairs of latents. */
  interpolate: boolean;
}

/** Samples (or latent interpolations) from a saved generator into a grid PNG. */
export async function generate(
  options: GenerateOptions,
): Promise<{ images: number; path: string }> {
  const model = await tfl.loadLayersModel(modelDir(options.model));
  const latent = model.inputs[0].shape[1] as number;
  const cols = 8;
  const z = tf.tidy(() => {
    if (!options.interpolate)
      return tf.randomNormal([options.n, latent], 0, 1, 'float32', options.seed);
    const rows = Math.max(1, Math.round(options.n / cols));
    const [a, b] = [0, 1].map((k) =>
      tf.randomNormal<tf.Rank.R2>([rows, latent], 0, 1, 'float32', options.seed + k),
    );
    return latentWalk(a, b, { steps: cols });
  });
  const images = tf.tidy(() => model.predict(z) as tf.Tensor);
  writeFileSync(options.out, encodePng(await imageGrid(images, { cols, padding: 1 })));
  const count = images.shape[0];
  tf.dispose([z, images]);
  model.dispose();
  return { images: count, path: options.out };
}
