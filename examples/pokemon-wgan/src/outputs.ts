import { modelDir } from '@gan/core/node';
import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * A model in tfjs's format (model.json + weights.bin), replaced atomically by @gan/core/node:
 * `generate`, the page and `tf.loadLayersModel('file://…')` read it.
 */
export async function saveModel(model: tfl.LayersModel, dir: string): Promise<void> {
  await model.save(modelDir(dir));
}
