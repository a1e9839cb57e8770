import { Tensor } from '@tensorflow/tfjs-core';
import { ArgumentError, argError, tensorArg } from './args';

/**
 * A batch of labelled images, what class-conditional training takes: `images` [n, h, w, c]
 * (float32, [−1, 1]) and `labels` [n] (int32 class indices in 0…numClasses − 1). `@gan/data`'s
 * `labelledBatches` yields them; trainers dispose both after the step.
 */
export interface LabelledBatch {
  images: Tensor;
  labels: Tensor;
}

/** A training batch: images alone, or images with their class labels. */
export type Batch = Tensor | LabelledBatch;

/** Whether `value` is a {@link LabelledBatch} (an object with tensors `images` and `labels`). */
export function isLabelledBatch(value: unknown): value is LabelledBatch {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Tensor) &&
    (value as LabelledBatch).images instanceof Tensor &&
    (value as LabelledBatch).labels instanceof Tensor
  );
}

/**
 * Class labels as an int32 [n] tensor, checked under `fn` (`n`: the batch size they go with).
 * Values are not read (that would be a device sync): out-of-range labels are the data loader's
 * to refuse, and `@gan/data`'s do.
 */
export function labelsArg(fn: string, arg: string, value: unknown, n?: number): Tensor {
  const labels = tensorArg(fn, arg, value, {
    rank: 1,
    dtype: 'int32',
    layout: '[n] class indices',
    hint: 'class indices as tf.tensor1d(labels, "int32")',
  });
  if (n !== undefined && labels.shape[0] !== n)
    throw new ArgumentError(
      fn,
      arg,
      `${arg} must hold one label per image: ${n} images, ${labels.shape[0]} labels`,
    );
  return labels;
}

/** Disposes a batch: the tensor, or both tensors of a labelled one. */
export function disposeBatch(batch: Batch): void {
  if (batch instanceof Tensor) batch.dispose();
  else {
    batch.images.dispose();
    batch.labels.dispose();
  }
}

/** A batch's images and labels (none for an unlabelled one), after checking what it is. */
export function splitBatch(
  fn: string,
  arg: string,
  batch: unknown,
): { images: Tensor; labels?: Tensor } {
  if (batch instanceof Tensor) return { images: batch };
  if (isLabelledBatch(batch)) return batch;
  return argError(fn, arg, 'a tf.Tensor of images or { images, labels }', batch);
}
