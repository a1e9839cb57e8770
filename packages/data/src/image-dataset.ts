import {
  argError,
  assertArg,
  booleanArg,
  epochPermutation,
  optionsArg,
  positiveInteger,
  seedArg,
} from '@gan/core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { randomFlip } from './augment';
import { imagesToTensor } from './batches';
import { Dataset, type Indexed, indexedArg, indexedSource } from './dataset';
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
  ) {
    super(indexedSource(indexedArg('ImageDataset', 'images', images)), images.length, images);
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
    const view = (indices: number[]) => {
      indices.sort((a, b) => a - b);
      const images = { length: indices.length, get: (i: number) => this.images.get(indices[i]) };
      return new ImageDataset(images, { ...this.report, images: indices.length });
    };
    return { train: view(order.slice(heldOut)), heldOut: view(order.slice(0, heldOut)) };
  }

  /** Releases a file-backed dataset's handle (a no-op in memory). */
  async close(): Promise<void> {
    await this.onClose?.();
  }
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
