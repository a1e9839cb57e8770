import {
  ArgumentError,
  argError,
  assertArg,
  booleanArg,
  epochPermutation,
  type LabelledBatch,
  optionsArg,
  positiveInteger,
  SeedStream,
  seedArg,
} from '@gan/core';
import { type Tensor4D, tensor1d } from '@tensorflow/tfjs-core';
import { randomFlip } from './augment';
import { imagesToTensor } from './batches';
import { Dataset, type Indexed, indexedArg, indexedSource } from './dataset';
import { type ClassLabels, classCounts, classLabelsArg } from './labels';
import { type RawImage, rawImageArg } from './raw-image';
import type { LoadReport, SkippedFile } from './report';

export interface BatchOptions {
  /** Shuffle with this seed (a new order each epoch). Default: no shuffle. */
  shuffle?: number;
  /** Random horizontal flips (p = 0.5 per image per epoch), seeded by `shuffle` or 0. */
  flip?: boolean;
  /** Batches decoded ahead while training runs. Default 2. */
  prefetch?: number;
  /**
   * Drop the last short batch (training wants equal batches). Default true; pass false to see
   * every image (evaluation, FID).
   */
  dropRemainder?: boolean;
}

export interface LabelledBatchOptions extends BatchOptions {
  /**
   * Class-balanced sampling: each epoch draws as many images as the dataset holds, each from a
   * class chosen uniformly (then an image of it uniformly, with replacement), so rare classes are
   * seen as often as common ones. Seeded by `shuffle` (or 0) and the epoch. Default false.
   */
  balanced?: boolean;
}

/** What {@link ImageDataset.split} returns. */
export interface SplitDatasets {
  train: ImageDataset;
  heldOut: ImageDataset;
}

/**
 * Preprocessed same-size images with random access and a load report: what the loaders return.
 * `batches(n, …)` turns it into float32 tensors in [−1, 1] ready for a trainer.
 */
export class ImageDataset extends Dataset<RawImage> {
  /** Always known for loaded images. */
  declare readonly length: number;

  constructor(
    private readonly images: Indexed<RawImage>,
    readonly report: LoadReport,
    private readonly onClose?: () => Promise<void>,
    labels?: ClassLabels,
  ) {
    super(indexedSource(indexedArg('ImageDataset', 'images', images)), images.length, images);
    this.classLabels =
      labels === undefined
        ? undefined
        : classLabelsArg('ImageDataset', 'labels', labels, images.length);
    if (typeof report !== 'object' || report === null || !Array.isArray(report.skipped))
      argError(
        'ImageDataset',
        'report',
        'a LoadReport { images, skipped, duplicates, fromCache }',
        report,
      );
    if (onClose !== undefined && typeof onClose !== 'function')
      argError('ImageDataset', 'onClose', 'a function', onClose);
  }

  private readonly classLabels?: ClassLabels;

  /** Each image's class index (0…classes.length − 1), when the dataset is labelled. */
  get labels(): Int32Array | undefined {
    return this.classLabels?.indices;
  }

  /** The class names, index by index (folder names, a label map's, Fashion-MNIST's), when labelled. */
  get classes(): readonly string[] | undefined {
    return this.classLabels?.classes;
  }

  /** Images per class, when labelled. */
  classCounts(): number[] | undefined {
    return this.classLabels && classCounts(this.classLabels);
  }

  /**
   * The same images with class labels: one index per image in 0…classes.length − 1 (or the
   * classes named by index, `classes` defaulting to '0', '1', …). A view: nothing is copied.
   */
  withLabels(labels: ArrayLike<number>, classes?: readonly string[]): ImageDataset {
    const fn = 'ImageDataset.withLabels';
    const indices = Int32Array.from(
      labels ?? argError(fn, 'labels', 'an array of class indices', labels),
    );
    const names =
      classes ??
      Array.from({ length: indices.reduce((m, v) => Math.max(m, v + 1), 0) }, (_, i) => `${i}`);
    return new ImageDataset(
      this.images,
      this.report,
      this.onClose,
      classLabelsArg(fn, 'labels', { indices, classes: names }, this.length),
    );
  }

  /** Files that could not be used, with the reason (zero-byte, truncated, not an image, …). */
  get skipped(): SkippedFile[] {
    return this.report.skipped;
  }

  get(index: number): RawImage | Promise<RawImage> {
    assertArg(
      Number.isInteger(index) && index >= 0 && index < this.images.length,
      'ImageDataset.get',
      () => `index ${index} is outside 0…${this.images.length - 1}`,
      'index',
    );
    return this.images.get(index);
  }

  /** Batches of `size` as [size, h, w, c] tensors in [−1, 1]; the caller (or trainer) disposes them. */
  batches(size: number, options: BatchOptions = {}): Dataset<Tensor4D> {
    // Checked here, under this name, before the inner batch / prefetch / shuffle see them.
    const fn = 'ImageDataset.batches';
    positiveInteger(fn, 'size', size);
    optionsArg(fn, options);
    if (options.shuffle != null) seedArg(fn, 'shuffle', options.shuffle);
    if (options.flip != null) booleanArg(fn, 'flip', options.flip);
    if (options.prefetch != null) positiveInteger(fn, 'prefetch', options.prefetch);
    if (options.dropRemainder != null) booleanArg(fn, 'dropRemainder', options.dropRemainder);
    const seed = options.shuffle ?? 0;
    let images: Dataset<RawImage> = options.shuffle == null ? this : this.shuffle(seed);
    if (options.flip) images = images.map((image, i, epoch) => randomFlip(image, seed, epoch, i));
    return images
      .batch(size, { dropRemainder: options.dropRemainder ?? true })
      .map((group) => imagesToTensor(group))
      .prefetch(options.prefetch ?? 2, { discard: (t) => t.dispose() });
  }

  /**
   * Batches of `size` labelled images, `{ images, labels }`: images as {@link batches} makes
   * them, labels an int32 [size] tensor of class indices — what a class-conditional trainer's
   * `fit` takes. `balanced: true` samples classes uniformly. The caller (or trainer) disposes both.
   */
  labelledBatches(size: number, options: LabelledBatchOptions = {}): Dataset<LabelledBatch> {
    const fn = 'ImageDataset.labelledBatches';
    positiveInteger(fn, 'size', size);
    optionsArg(fn, options);
    const { balanced = false, ...rest } = options;
    booleanArg(fn, 'balanced', balanced);
    const labelled = this.classLabels;
    if (!labelled)
      throw new ArgumentError(
        fn,
        'this',
        `the dataset has no labels; load it with labels (imageFolder(dir, { labels: 'folders' }), idxImages(path, { labels }), fashionMnist()) or call withLabels`,
      );
    const { shuffle, flip, prefetch = 2, dropRemainder = true } = rest;
    if (shuffle != null) seedArg(fn, 'shuffle', shuffle);
    if (flip != null) booleanArg(fn, 'flip', flip);
    positiveInteger(fn, 'prefetch', prefetch);
    booleanArg(fn, 'dropRemainder', dropRemainder);
    const seed = shuffle ?? 0;
    let order: Dataset<number>;
    if (balanced) {
      const byClass = classMembers(labelled);
      if (byClass.some((m) => m.length === 0))
        throw new ArgumentError(
          fn,
          'balanced',
          `balanced sampling needs an image of every class; ${labelled.classes.filter((_, c) => byClass[c].length === 0).join(', ')} ha${byClass.filter((m) => m.length === 0).length === 1 ? 's' : 've'} none`,
        );
      const n = this.length;
      order = new Dataset(function* (epoch) {
        const stream = new SeedStream((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0);
        for (let i = 0; i < n; i++) {
          const members = byClass[Math.floor(stream.uniform() * byClass.length)];
          yield members[Math.floor(stream.uniform() * members.length)];
        }
      }, n);
    } else {
      const indices = Dataset.fromIndexed({ length: this.length, get: (i) => i });
      order = shuffle == null ? indices : indices.shuffle(seed);
    }
    return order
      .map(async (index, i, epoch) => {
        const image = await this.images.get(index);
        return {
          image: flip ? randomFlip(image, seed, epoch, i) : image,
          label: labelled.indices[index],
        };
      })
      .batch(size, { dropRemainder })
      .map((group) => ({
        images: imagesToTensor(group.map((g) => g.image)),
        labels: tensor1d(
          group.map((g) => g.label),
          'int32',
        ),
      }))
      .prefetch(prefetch, {
        discard: (b) => {
          b.images.dispose();
          b.labels.dispose();
        },
      });
  }

  /**
   * A seeded random hold-out: `heldOut` images that training never sees (for ADA's r_v
   * heuristic, or a validation score) and the rest to train on, each in the original order.
   * Two views on the same images: nothing is copied; close the original, not the views.
   */
  split(heldOut: number, options: { seed?: number } = {}): SplitDatasets {
    const fn = 'ImageDataset.split';
    positiveInteger(fn, 'heldOut', heldOut);
    const { seed = 0 } = optionsArg(fn, options);
    seedArg(fn, 'seed', seed);
    assertArg(
      heldOut < this.length,
      fn,
      () => `heldOut must leave images to train on: ${heldOut} of ${this.length}`,
      'heldOut',
    );
    const order = epochPermutation(this.length, seed, 0);
    const labelled = this.classLabels;
    const view = (indices: number[]) => {
      indices.sort((a, b) => a - b);
      const images = { length: indices.length, get: (i: number) => this.images.get(indices[i]) };
      const labels = labelled && {
        indices: Int32Array.from(indices, (i) => labelled.indices[i]),
        classes: labelled.classes,
      };
      return new ImageDataset(
        images,
        { ...this.report, images: indices.length },
        undefined,
        labels,
      );
    };
    return { train: view(order.slice(heldOut)), heldOut: view(order.slice(0, heldOut)) };
  }

  /** Releases a file-backed dataset's handle (a no-op in memory). */
  async close(): Promise<void> {
    await this.onClose?.();
  }
}

/** Each class's image indices, in order. */
function classMembers(labels: ClassLabels): number[][] {
  const members: number[][] = labels.classes.map(() => []);
  labels.indices.forEach((c, i) => {
    members[c].push(i);
  });
  return members;
}

/** FNV-1a over the bytes, two lanes: enough to spot identical images (de-duplication). */
export function pixelHash(image: RawImage): string {
  rawImageArg('pixelHash', 'image', image);
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ image.width ^ (image.height << 16);
  const d = image.data;
  for (let i = 0; i < d.length; i++) {
    a = Math.imul(a ^ d[i], 0x01000193);
    b = Math.imul(b ^ d[i] ^ (i & 0xff), 0x5bd1e995);
  }
  return `${image.width}x${image.height}x${image.channels}:${(a >>> 0).toString(16)}${(b >>> 0).toString(16)}`;
}
