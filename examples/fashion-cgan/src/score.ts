import { modelDir } from '@gan/core/node';
import { ImageDataset } from '@gan/data';
import {
  classifierAccuracy,
  type FeatureExtractor,
  ganTest,
  intraClassFid,
  nsfwjsInceptionV3,
  scoreLabel,
} from '@gan/fid';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { classNames, firstOfEachClass } from './classes';
import { classifierFeatures, labelledTensors, loadClassifier } from './classifier';
import { loadLabelled } from './data';

export interface ScoreOptions {
  /** A generator folder from a run (`runs/NAME/generator`). */
  model: string;
  /** The classifier folder `fashion-cgan classifier` wrote. */
  classifier: string;
  /** Where the real test split comes from: 'fashion' or a directory of IDX files. */
  data: string;
  /** Generated images per class. */
  samplesPerClass: number;
  /** Also an intra-class FID-like score on InceptionV3 features (nsfwjs) from this many images per class; 0: none. */
  inceptionPerClass: number;
  seed: number;
}

export interface ClassScores {
  classes: string[];
  /** The classifier on the real test split: the ceiling GAN-test is read against. */
  classifierAccuracy: { accuracy: number; perClass: number[] };
  /** GAN-test (Shmelkov et al. 2018): the classifier's accuracy on the generator's images of each class. */
  ganTest: { accuracy: number; perClass: number[] };
  /** Intra-class Fréchet distances (generated vs real test images of each class), by feature space. */
  intraClassFid: {
    label: string;
    mean: number;
    perClass: number[];
    perClassImages: number;
    /** The same score between real training and real test images: the floor a generator is read against. */
    floor: number;
  }[];
}

/** `samplesPerClass` images of every class from a saved conditional generator, and their labels. */
export function sampleClasses(
  generator: tfl.LayersModel,
  classes: number,
  perClass: number,
  seed: number,
) {
  const latent = generator.inputs[0].shape[1] as number;
  const parts: tf.Tensor[] = [];
  for (let start = 0; start < classes * perClass; start += 500) {
    const n = Math.min(500, classes * perClass - start);
    parts.push(
      tf.tidy(() => {
        const labels = tf.tensor1d(
          Array.from({ length: n }, (_, i) => Math.floor((start + i) / perClass)),
          'int32',
        );
        const z = tf.randomNormal([n, latent], 0, 1, 'float32', seed + start);
        return generator.predict([z, tf.cast(tf.oneHot(labels, classes), 'float32')]) as tf.Tensor;
      }),
    );
  }
  const images = tf.concat(parts);
  tf.dispose(parts);
  const labels = tf.tensor1d(
    Array.from({ length: classes * perClass }, (_, i) => Math.floor(i / perClass)),
    'int32',
  );
  return { images, labels };
}

/** The first `perClass` images of each class of a dataset, as a labelled view. */
function firstImagesOfEach(data: ImageDataset, classes: number, perClass: number): ImageDataset {
  const rows = firstOfEachClass(data.labels ?? [], classes, perClass);
  const view = new ImageDataset(
    { length: rows.length, get: (i) => data.get(rows[i]) },
    data.report,
  );
  return view.withLabels(
    rows.map((i) => data.labels?.[i] as number),
    data.classes,
  );
}

/** The first `perClass` images of each class. */
function firstOfEach(
  data: { images: tf.Tensor; labels: tf.Tensor },
  classes: number,
  perClass: number,
) {
  const rows = firstOfEachClass(data.labels.dataSync(), classes, perClass);
  return tf.tidy(() => {
    const at = tf.tensor1d(rows, 'int32');
    return { images: tf.gather(data.images, at), labels: tf.gather(data.labels, at) };
  });
}

/** GAN-test, the classifier's real test accuracy and intra-class FID-like scores of a saved generator. */
export async function score(
  options: ScoreOptions,
  log: (line: string) => void = () => {},
): Promise<ClassScores> {
  const generator = await tfl.loadLayersModel(modelDir(options.model));
  const classes = classNames(generator);
  const classifier = await loadClassifier(options.classifier);
  const test = await labelledTensors(await loadLabelled(options.data, 'test'));
  const trainSplit = await loadLabelled(options.data, 'train');
  const fake = sampleClasses(generator, classes.length, options.samplesPerClass, options.seed);
  try {
    const real = await classifierAccuracy(classifier, test, { batchSize: 500 });
    log(
      `classifier on the real test split: ${(100 * real.accuracy).toFixed(1)}% (${test.labels.shape[0]} images)`,
    );
    const gan = await ganTest(classifier, fake, { batchSize: 500 });
    log(
      `GAN-test: ${(100 * gan.accuracy).toFixed(1)}% of ${fake.labels.shape[0]} generated images classified as their class`,
    );
    const spaces: [FeatureExtractor, number][] = [
      [classifierFeatures(classifier), options.samplesPerClass],
    ];
    if (options.inceptionPerClass > 0)
      spaces.push([await nsfwjsInceptionV3(), options.inceptionPerClass]);
    const intra: ClassScores['intraClassFid'] = [];
    // Real training images, as many per class, for the real-vs-real floor.
    const most = Math.max(...spaces.map(([, n]) => n));
    const reference = await labelledTensors(firstImagesOfEach(trainSplit, classes.length, most));
    for (const [extractor, perClass] of spaces) {
      const sides = [test, fake, reference].map((d) => firstOfEach(d, classes.length, perClass));
      const [r, f, t] = sides;
      try {
        const opts = { numClasses: classes.length, batchSize: 100 };
        const result = await intraClassFid(r, f, extractor, opts);
        const floor = (await intraClassFid(r, t, extractor, opts)).mean;
        const label = `intra-class ${scoreLabel(extractor)}`;
        intra.push({
          label,
          mean: result.mean,
          perClass: result.perClass,
          perClassImages: perClass,
          floor,
        });
        log(
          `${label}: ${result.mean.toFixed(3)} (${perClass} real and ${perClass} generated images per class; ` +
            `real training vs real test images: ${floor.toFixed(3)}${floor > 1e-6 ? `, so ${(result.mean / floor).toFixed(1)}× the floor` : ''})`,
        );
      } finally {
        tf.dispose(sides.flatMap((d) => [d.images, d.labels]));
        extractor.dispose();
      }
    }
    tf.dispose([reference.images, reference.labels]);
    return {
      classes,
      classifierAccuracy: { accuracy: real.accuracy, perClass: real.perClass },
      ganTest: { accuracy: gan.accuracy, perClass: gan.perClass },
      intraClassFid: intra,
    };
  } finally {
    tf.dispose([test.images, test.labels, fake.images, fake.labels]);
    generator.dispose();
    classifier.dispose();
  }
}
