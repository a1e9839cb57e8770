import { modelDir } from '@gan/core/node';
import type { ImageDataset } from '@gan/data';
import { type ClassifierAccuracy, classifierAccuracy, type FeatureExtractor } from '@gan/fid';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CLASSES, RESOLUTION } from './recipe';

/**
 * The classifier GAN-test and the intra-class FID-like score use: a small all-convolutional
 * CNN (Springenberg et al. 2015: 3×3 convolutions with stride 2 instead of max pooling — tfjs
 * 4.22's cpu MaxPoolGrad takes 1.4 s a batch of 128 here, 90% of a step), a 128-unit layer and
 * 10 logits, on images in [−1, 1].
 */
export function buildClassifier(seed: number): tfl.LayersModel {
  let s = seed * 100;
  const init = () => tfl.initializers.heNormal({ seed: s++ });
  const model = tfl.sequential({
    name: 'fashion_classifier',
    layers: [
      tfl.layers.conv2d({
        inputShape: [RESOLUTION, RESOLUTION, 1],
        filters: 32,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: init(),
      }),
      tfl.layers.conv2d({
        filters: 64,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(),
      }),
      tfl.layers.conv2d({
        filters: 64,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(),
      }),
      tfl.layers.flatten(),
      tfl.layers.dropout({ rate: 0.3, seed: s++ }),
      tfl.layers.dense({
        units: 128,
        activation: 'relu',
        kernelInitializer: init(),
        name: 'features',
      }),
      tfl.layers.dense({ units: CLASSES, kernelInitializer: init(), name: 'logits' }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: (labels: tf.Tensor, logits: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, logits),
  });
  return model;
}

/** A labelled dataset as whole tensors: images [n, 28, 28, 1] in [−1, 1], labels int32 [n]. */
export async function labelledTensors(
  data: ImageDataset,
): Promise<{ images: tf.Tensor4D; labels: tf.Tensor1D }> {
  const parts = await data.labelledBatches(1000, { dropRemainder: false }).toArray();
  const images = tf.concat(parts.map((p) => p.images)) as tf.Tensor4D;
  const labels = tf.concat(parts.map((p) => p.labels)) as tf.Tensor1D;
  tf.dispose(parts.flatMap((p) => [p.images, p.labels]));
  return { images, labels };
}

export interface TrainClassifierOptions {
  train: ImageDataset;
  test: ImageDataset;
  epochs: number;
  seed: number;
  out: string;
  onEpoch?: (epoch: number, loss: number) => void;
}

/** Trains the classifier on the real training split, saves it, and measures it on the test split. */
export async function trainClassifier(
  options: TrainClassifierOptions,
): Promise<ClassifierAccuracy> {
  const model = buildClassifier(options.seed);
  const train = await labelledTensors(options.train);
  const oneHot = tf.tidy(() => tf.cast(tf.oneHot(train.labels, CLASSES), 'float32'));
  try {
    await model.fit(train.images, oneHot, {
      epochs: options.epochs,
      batchSize: 128,
      shuffle: true,
      verbose: 0,
      callbacks: {
        onEpochEnd: (epoch, logs) => options.onEpoch?.(epoch + 1, logs?.loss ?? Number.NaN),
      },
    });
    await model.save(modelDir(options.out));
    const test = await labelledTensors(options.test);
    try {
      return await classifierAccuracy(model, test, { batchSize: 500 });
    } finally {
      tf.dispose([test.images, test.labels]);
    }
  } finally {
    tf.dispose([train.images, train.labels, oneHot]);
    model.dispose();
  }
}

export async function loadClassifier(dir: string): Promise<tfl.LayersModel> {
  return tfl.loadLayersModel(modelDir(dir));
}

/**
 * The classifier's 128 penultimate features as a FeatureExtractor, for an intra-class
 * Fréchet distance in a Fashion-MNIST network's feature space (FID-like: not Inception's).
 */
export function classifierFeatures(classifier: tfl.LayersModel): FeatureExtractor {
  const features = tfl.model({
    inputs: classifier.inputs,
    outputs: classifier.getLayer('features').output as tfl.SymbolicTensor,
  });
  return {
    name: 'fashion-classifier features-128',
    dim: 128,
    inputSize: [RESOLUTION, RESOLUTION],
    standard: false,
    // extractFeatures hands over RGB in [0, 1]; the classifier takes one channel in [−1, 1].
    extract: (images) =>
      tf.tidy(
        () =>
          features.predict(
            tf.sub(tf.mul(tf.slice(images, [0, 0, 0, 0], [-1, -1, -1, 1]), 2), 1),
          ) as tf.Tensor2D,
      ),
    dispose: () => {},
  };
}
