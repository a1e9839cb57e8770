import {
  argError,
  type Batch,
  disposeBatch,
  epochPermutation,
  isLabelledBatch,
  type LabelledBatch,
  labelsArg,
} from '@gan/core';
import { gather, Tensor, tensor1d, tidy } from '@tensorflow/tfjs-core';

type Batches = Iterable<Batch> | AsyncIterable<Batch>;

/**
 * Training data: a tensor holding the whole dataset [N, …] (or `{ images, labels }` of them for
 * a class-conditional GAN; shuffled per epoch from the seed, the last partial batch dropped), a
 * function returning an epoch's batches, or an epoch-aware dataset (`{ iterate(epoch) }`, e.g.
 * `@gan/data`'s `images.batches(64, { shuffle: 1 })` or `labelledBatches(…)`). Batches are
 * tensors or `{ images, labels }`; those from a function or dataset are disposed by the trainer
 * after their step, and must be the same for the same epoch for a resumed run to see the same data.
 */
export type DataSource =
  | Tensor
  | LabelledBatch
  | ((epoch: number) => Batches)
  | { iterate(epoch: number): Batches };

/** Throws unless `data` is one of the {@link DataSource} kinds. */
export function checkData(fn: string, data: unknown): DataSource {
  if (isLabelledBatch(data)) {
    labelsArg(fn, 'data.labels', data.labels, data.images.shape[0]);
    return data;
  }
  if (
    data instanceof Tensor ||
    typeof data === 'function' ||
    typeof (data as { iterate?: unknown })?.iterate === 'function'
  )
    return data as DataSource;
  return argError(
    fn,
    'data',
    'a tf.Tensor [N, …], { images, labels } tensors, a function (epoch) => batches, or a dataset with iterate(epoch)',
    data,
  );
}

/** An epoch's batches, skipping the first `skip` (the data position of a resumed run). */
export async function* epochBatches(
  data: DataSource,
  epoch: number,
  skip: number,
  batchSize: number | undefined,
  seed: number,
): AsyncGenerator<Batch> {
  const whole = data instanceof Tensor ? data : isLabelledBatch(data) ? data.images : undefined;
  if (whole) {
    if (!(Number.isInteger(batchSize) && (batchSize as number) > 0))
      argError(
        'trainer.fit',
        'batchSize',
        'a positive integer',
        batchSize,
        'data is a tensor, which fit splits into batches of this size',
      );
    const n = whole.shape[0];
    const size = batchSize as number;
    const batches = Math.floor(n / size);
    if (batches === 0)
      argError('trainer.fit', 'batchSize', `at most the dataset's ${n} samples (one batch)`, size);
    // The epoch's order depends on (seed, epoch) only, so a resumed run reshuffles identically.
    const order = epochPermutation(n, seed, epoch);
    for (let b = skip; b < batches; b++) {
      const indices = order.slice(b * size, (b + 1) * size);
      yield tidy(() => {
        const at = tensor1d(indices, 'int32');
        return data instanceof Tensor
          ? gather(data, at)
          : { images: gather(whole, at), labels: gather((data as LabelledBatch).labels, at) };
      });
    }
    return;
  }
  let index = 0;
  const source = data as Exclude<DataSource, Tensor | LabelledBatch>;
  const batches = typeof source === 'function' ? source(epoch) : source.iterate(epoch);
  for await (const batch of batches) {
    if (!(batch instanceof Tensor) && !isLabelledBatch(batch))
      argError(
        'trainer.fit',
        'data',
        `a source of tf.Tensor or { images, labels } batches (epoch ${epoch} yielded one that is neither)`,
        batch,
      );
    if (index++ < skip) {
      disposeBatch(batch);
      continue;
    }
    yield batch;
  }
}

/** Batches in one epoch, when the source knows: a tensor's, or a dataset's `length`. */
export function epochLength(data: DataSource, batchSize: number | undefined): number | undefined {
  const whole = data instanceof Tensor ? data : isLabelledBatch(data) ? data.images : undefined;
  if (whole) return batchSize ? Math.floor(whole.shape[0] / batchSize) : undefined;
  const length = (data as { length?: unknown }).length;
  return typeof data === 'object' && Number.isInteger(length) ? (length as number) : undefined;
}
