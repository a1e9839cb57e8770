import { writeFileSync } from 'node:fs';
import { modelDir } from '@gan/core/node';
import { encodePng, imageGrid, scaleToWidth, upscaleNearest } from '@gan/data';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { classNames } from './classes';

export interface GenerateOptions {
  /** A generator folder from a run (model.json with the class names, weights.bin), e.g. runs/quick/generator. */
  model: string;
  /** A class index or name; absent: every class, a row each. */
  label?: string;
  /** Images (per class, without `label`). */
  n: number;
  out: string;
  seed: number;
}

/** The class `label` names (an index, or a class name, case-insensitive), checked. */
export function classIndex(label: string, classes: readonly string[]): number {
  const byName = classes.findIndex((c) => c.toLowerCase() === label.toLowerCase());
  if (byName >= 0) return byName;
  const n = Number(label);
  if (Number.isInteger(n) && n >= 0 && n < classes.length) return n;
  throw new Error(
    `--label ${label} is no class: 0…${classes.length - 1} or one of ${classes.map((c) => `"${c}"`).join(', ')}`,
  );
}

/** A grid PNG of one class (`label`) or of every class, a row each, from a saved generator. */
export async function generate(
  options: GenerateOptions,
): Promise<{ images: number; path: string; classes: string[] }> {
  const model = await tfl.loadLayersModel(modelDir(options.model));
  const classes = classNames(model);
  const only = options.label === undefined ? undefined : classIndex(options.label, classes);
  const latent = model.inputs[0].shape[1] as number;
  const labels =
    only === undefined
      ? Array.from({ length: classes.length * options.n }, (_, i) => Math.floor(i / options.n))
      : new Array(options.n).fill(only);
  const images = tf.tidy(() => {
    const z = tf.randomNormal([labels.length, latent], 0, 1, 'float32', options.seed);
    const y = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), classes.length), 'float32');
    return model.predict([z, y]) as tf.Tensor;
  });
  const grid = await imageGrid(images, {
    cols: only === undefined ? options.n : Math.min(options.n, 10),
    padding: 1,
  });
  writeFileSync(options.out, encodePng(upscaleNearest(grid, scaleToWidth(grid.width, 512))));
  images.dispose();
  model.dispose();
  return {
    images: labels.length,
    path: options.out,
    classes: only === undefined ? classes : [classes[only]],
  };
}
