import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import { expectNoLeaks } from './leaks';

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
  return tfl.loadLayersModel(tf.io.fromMemory({ ...saved, modelTopology: topology }));
}

/** One forward and backward pass of D(G(z)) into both models' trainable weights. */
export function forwardBackward(g: tfl.LayersModel, d: tfl.LayersModel, batch = 2) {
  const latent = g.inputs[0].shape[1] as number;
  const weights = [...g.trainableWeights, ...d.trainableWeights].map(
    (w) => (w as unknown as { val: tf.Variable }).val,
  );
  return expectNoLeaks(() => {
    const { value, grads } = tf.variableGrads(
      () =>
        tf.tidy(() => {
          const z = tf.randomNormal([batch, latent], 0, 1, 'float32', 1);
          const images = g.apply(z, { training: true }) as tf.Tensor;
          return tf.mean(d.apply(images, { training: true }) as tf.Tensor) as tf.Scalar;
        }),
      weights,
    );
    const norms = Object.values(grads).map((t) => tf.tidy(() => tf.norm(t).dataSync()[0]));
    const loss = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    return { loss, norms };
  });
}

/** Asserts two models (e.g. one and its saved-and-loaded copy) predict bit-identical outputs on x. */
export function expectSamePredictions(
  model: tfl.LayersModel,
  other: tfl.LayersModel,
  x: tf.Tensor,
  label = model.name,
) {
  const [a, b] = [model.predict(x), other.predict(x)] as tf.Tensor[];
  try {
    expect(Array.from(b.dataSync()), label).toEqual(Array.from(a.dataSync()));
  } finally {
    tf.dispose([a, b]);
  }
}
