import { argError, epochPermutation } from '@gan/core';
import { gather, Tensor, tensor1d, tidy } from '@tensorflow/tfjs-core';

type Batches = Iterable<Tensor> | AsyncIterable<Tensor>;

/**
 * Training data: a tensor holding the whole dataset [N, …] (shuffled per epoch from the seed,
 * the last partial batch dropped), a function returning an epoch's batches, or an epoch-aware
 * dataset (`{ iterate(epoch) }`, e.g. `@gan/data`'s `images.batches(64, { shuffle: 1 })`).
 * Batches from a function or dataset are disposed by the trainer after their step; they must
 * be the same for the same epoch for a resumed run to see the same data.
 */
export type DataSource =
  | Tensor
  | ((epoch: number) => Batches)
  | { iterate(epoch: number): Batches };

/** Throws unless `data` is one of the {@link DataSource} kinds. */
export function checkData(fn: string, data: unknown): DataSource {
  if (
    data instanceof Tensor ||
    typeof data === 'function' ||
    typeof (data as { iterate?: unknown })?.iterate === 'function'
  )
    return data as DataSource;
  return argError(
    fn,
    'data',
    'a tf.Tensor [N, …], a function (epoch) => batches, or a dataset with iterate(epoch)',
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
): AsyncGenerator<Tensor> {
  if (data instanceof Tensor) {
    if (!(Number.isInteger(batchSize) && (batchSize as number) > 0))
      argError(
        'trainer.fit',
        'batchSize',
        'a positive integer',
        batchSize,
        'data is a tensor, which fit splits into batches of this size',
      );
    const n = data.shape[0];
    const size = batchSize as number;
    const batches = Math.floor(n / size);
    if (batches === 0)
      argError('trainer.fit', 'batchSize', `at most the dataset's ${n} samples (one batch)`, size);
    // The epoch's order depends on (seed, epoch) only, so a resumed run reshuffles identically.
    const order = epochPermutation(n, seed, epoch);
    for (let b = skip; b < batches; b++) {
      const indices = order.slice(b * size, (b + 1) * size);
      yield tidy(() => gather(data, tensor1d(indices, 'int32')));
    }
    return;
  }
  let index = 0;
  const batches = typeof data === 'function' ? data(epoch) : data.iterate(epoch);
  for await (const batch of batches) {
    if (!(batch instanceof Tensor))
      argError(
        'trainer.fit',
        'data',
        `a source of tf.Tensor batches (epoch ${epoch} yielded one that is not)`,
        batch,
      );
    if (index++ < skip) {
      batch.dispose();
      continue;
    }
    yield batch;
  }
}

/** Batches in one epoch, when the source knows: a tensor's, or a dataset's `length`. */
export function epochLength(data: DataSource, batchSize: number | undefined): number | undefined {
  if (data instanceof Tensor) return batchSize ? Math.floor(data.shape[0] / batchSize) : undefined;
  const length = (data as { length?: unknown }).length;
  return typeof data === 'object' && Number.isInteger(length) ? (length as number) : undefined;
}
