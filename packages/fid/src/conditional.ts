import {
  ArgumentError,
  argError,
  labelsArg,
  optionsArg,
  positiveInteger,
  tensorArg,
} from '@gan/core';
import {
  argMax,
  gather,
  slice,
  type Tensor,
  type Tensor4D,
  tensor1d,
  tidy,
} from '@tensorflow/tfjs-core';
import { DEFAULT_BATCH_SIZE, type ExtractOptions, extractFeatures } from './extract';
import type { FeatureExtractor } from './extractor';
import { type FrechetOptions, frechetDistance } from './frechet';

/** Images with their class labels: images [n, h, w, c], labels int32 [n]. */
export interface LabelledImages {
  images: Tensor;
  labels: Tensor;
}

function labelledArg(
  fn: string,
  arg: string,
  value: unknown,
): { images: Tensor4D; labels: Int32Array } {
  const { images, labels } = optionsArg(fn, value as LabelledImages, { arg, required: true });
  tensorArg(fn, `${arg}.images`, images, { rank: 4, nonEmpty: true, layout: '[n, h, w, c]' });
  labelsArg(fn, `${arg}.labels`, labels, images.shape[0]);
  return { images: images as Tensor4D, labels: Int32Array.from(labels.dataSync()) };
}

/** Each class's row indices, classes 0…k − 1. */
function members(labels: Int32Array, k: number): number[][] {
  const byClass: number[][] = Array.from({ length: k }, () => []);
  for (const [i, c] of labels.entries()) {
    if (c < 0 || c >= k)
      throw new ArgumentError(
        'intraClassFid',
        'labels',
        `label ${c} at ${i} is outside 0…${k - 1}`,
      );
    byClass[c].push(i);
  }
  return byClass;
}

export interface IntraClassFidOptions extends Omit<ExtractOptions, 'samples' | 'keepFeatures'> {
  /** Classes 0…numClasses − 1. Default: the largest label + 1. */
  numClasses?: number;
  /** Passed to `frechetDistance` (eps, onWarning). */
  frechet?: FrechetOptions;
}

export interface IntraClassFidResult {
  /** The mean of the per-class distances (Miyato & Koyama 2018's intra-FID). */
  mean: number;
  perClass: number[];
  /** Images per class on each side: few images make each FID biased upward. */
  counts: { real: number[]; fake: number[] };
}

/**
 * Intra-class FID (Miyato & Koyama 2018): the Fréchet distance between real and generated
 * features of each class separately, and their mean — low only when every class is generated
 * well, where the FID of all images together cannot see a generator that swaps or drops classes.
 * Each class needs at least two images on each side.
 */
export async function intraClassFid(
  real: LabelledImages,
  fake: LabelledImages,
  extractor: FeatureExtractor,
  options: IntraClassFidOptions = {},
): Promise<IntraClassFidResult> {
  const fn = 'intraClassFid';
  const r = labelledArg(fn, 'real', real);
  const f = labelledArg(fn, 'fake', fake);
  const { numClasses, frechet = {}, ...extract } = optionsArg(fn, options);
  const k =
    numClasses === undefined
      ? Math.max(...r.labels, ...f.labels) + 1
      : positiveInteger(fn, 'numClasses', numClasses);
  const sides = [r, f].map((side) => members(side.labels, k));
  const perClass: number[] = [];
  for (let c = 0; c < k; c++) {
    const stats = [];
    for (const [s, side] of [r, f].entries()) {
      const rows = sides[s][c];
      if (rows.length < 2)
        throw new ArgumentError(
          fn,
          s === 0 ? 'real' : 'fake',
          `${s === 0 ? 'real' : 'fake'}: class ${c} has ${rows.length} image${rows.length === 1 ? '' : 's'}; each class needs at least 2 on each side`,
        );
      const images = tidy(() => gather(side.images, tensor1d(rows, 'int32')) as Tensor4D);
      try {
        stats.push((await extractFeatures(images, extractor, extract)).stats);
      } finally {
        images.dispose();
      }
    }
    perClass.push(frechetDistance(stats[0], stats[1], { onWarning: null, ...frechet }));
  }
  return {
    mean: perClass.reduce((a, b) => a + b, 0) / k,
    perClass,
    counts: { real: sides[0].map((m) => m.length), fake: sides[1].map((m) => m.length) },
  };
}

/** A classifier of images: a tfjs-layers model (or a function) mapping [n, h, w, c] to class logits [n, K]. */
export type Classifier =
  | ((images: Tensor) => Tensor)
  | { predict(images: Tensor): Tensor | Tensor[] };

export interface ClassifierAccuracyOptions {
  /** Images per forward pass. Default 16 ({@link DEFAULT_BATCH_SIZE}). */
  batchSize?: number;
}

export interface ClassifierAccuracy {
  /** Fraction of images classified as their label. */
  accuracy: number;
  /** Each class's accuracy (NaN for a class without images). */
  perClass: number[];
  count: number;
}

/**
 * The accuracy of `classifier` on labelled images (argmax of its logits against the labels),
 * overall and per class: on the real test split it says how good the classifier is; on a
 * conditional generator's samples it is GAN-test ({@link ganTest}).
 */
export async function classifierAccuracy(
  classifier: Classifier,
  data: LabelledImages,
  options: ClassifierAccuracyOptions = {},
): Promise<ClassifierAccuracy> {
  const fn = 'classifierAccuracy';
  return accuracy(fn, classifier, data, options);
}

/**
 * GAN-test (Shmelkov, Schmid & Alahari 2018, "How good is my GAN?"): the accuracy, on a
 * class-conditional generator's samples, of a classifier trained on the real labelled data —
 * high when the samples look like their class to it (a precision-like measure; report the
 * classifier's accuracy on the real test split beside it, the ceiling it can reach).
 */
export async function ganTest(
  classifier: Classifier,
  generated: LabelledImages,
  options: ClassifierAccuracyOptions = {},
): Promise<ClassifierAccuracy> {
  return accuracy('ganTest', classifier, generated, options);
}

async function accuracy(
  fn: string,
  classifier: Classifier,
  data: LabelledImages,
  options: ClassifierAccuracyOptions,
): Promise<ClassifierAccuracy> {
  const classify =
    typeof classifier === 'function'
      ? classifier
      : typeof (classifier as { predict?: unknown })?.predict === 'function'
        ? (x: Tensor) => {
            const out = classifier.predict(x);
            return Array.isArray(out) ? out[0] : out;
          }
        : argError(
            fn,
            'classifier',
            'a tfjs-layers model or a function images → logits',
            classifier,
          );
  const { images, labels } = labelledArg(fn, 'data', data);
  const batchSize = positiveInteger(
    fn,
    'batchSize',
    optionsArg(fn, options).batchSize ?? DEFAULT_BATCH_SIZE,
  );
  const n = images.shape[0];
  const predicted = new Int32Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const classes = tidy(() => {
      const logits = classify(slice(images, [start, 0, 0, 0], [size, -1, -1, -1]));
      if (logits?.rank !== 2 || logits.shape[0] !== size)
        throw new ArgumentError(
          fn,
          'classifier',
          `the classifier must return logits [${size}, K], got ${logits?.rank === undefined ? String(logits) : `[${logits.shape}]`}`,
        );
      return argMax(logits, 1);
    });
    predicted.set(await classes.data(), start);
    classes.dispose();
  }
  const k = Math.max(...labels) + 1;
  const right = new Array(k).fill(0);
  const seen = new Array(k).fill(0);
  labels.forEach((c, i) => {
    seen[c]++;
    if (predicted[i] === c) right[c]++;
  });
  return {
    accuracy: right.reduce((a, b) => a + b, 0) / n,
    perClass: seen.map((s, c) => (s === 0 ? Number.NaN : right[c] / s)),
    count: n,
  };
}
