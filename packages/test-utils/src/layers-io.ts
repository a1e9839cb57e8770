import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * Saves a model to memory through `tf.io.withSaveHandler` and loads it back with
 * `tfl.loadLayersModel(tf.io.fromMemory(…))`: what `model.save('file://…')` and
 * `loadLayersModel` do, minus the file system.
 */
export async function saveAndLoad(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (saved == null) throw new Error('saveAndLoad: the save handler was not called');
  // A JSON round trip as well: what is saved must be plain data.
  const topology = JSON.parse(JSON.stringify(saved.modelTopology));
  return tfl.loadLayersModel(
    tf.io.fromMemory({ ...saved, modelTopology: topology }),
  );
}
