import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

// Test fixtures of the model-directory suites (not exported by the package).

/** A small conv + dense model (with batch norm's non-trainable weights) from fixed seeds. */
export function convDenseModel(seed = 1): tfl.LayersModel {
  const init = (s: number) => tfl.initializers.glorotUniform({ seed: seed * 10 + s });
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [6, 6, 2],
        filters: 3,
        kernelSize: 3,
        padding: 'same',
        kernelInitializer: init(1),
        biasInitializer: 'ones',
      }),
      tfl.layers.batchNormalization({ movingMeanInitializer: 'ones' }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 4, kernelInitializer: init(2), activation: 'tanh' }),
    ],
  });
}

/** conv 3·3·2·3 + 3, batch norm 4·3, dense 108·4 + 4 float32 values, in 8 weights. */
export const CONV_DENSE_BYTES = (54 + 3 + 12 + 432 + 4) * 4;

/** What `model.save` hands its handler. */
export async function savedArtifacts(model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (artifacts == null) throw new Error('savedArtifacts: the save handler was not called');
  return artifacts;
}

/** A batch for convDenseModel. */
export const convDenseInput = () => tf.randomUniform([2, 6, 6, 2], -1, 1, 'float32', 4);
