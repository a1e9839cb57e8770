import {
  argError,
  booleanArg,
  epochPermutation,
  functionArg,
  nonNegativeInteger,
  optionsArg,
  positiveInteger,
  SeedStream,
  seedArg,
} from '@gan/core';

type Source<T> = (epoch: number) => AsyncIterable<T> | Iterable<T>;

/** A count that may be unbounded: `Infinity` or an integer ≥ `min`. */
function countOrInfinity(fn: string, arg: string, value: unknown, min: number): number {
  if (value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && (value as number) >= min))
    return value as number;
  return argError(
    fn,
    arg,
    `${min === 1 ? 'a positive integer' : `an integer ≥ ${min}`} or Infinity`,
    value,
  );
}

/** `items` of {@link Dataset.fromIndexed} (and ImageDataset): `{ length, get(i) }`. */
export function indexedArg<T>(fn: string, arg: string, items: unknown): Indexed<T> {
  if (
    typeof items !== 'object' ||
    items === null ||
    typeof (items as Indexed<T>).get !== 'function'
  )
    return argError(fn, arg, 'an Indexed { length, get(index) }', items);
  nonNegativeInteger(fn, `${arg}.length`, (items as Indexed<T>).length);
  return items as Indexed<T>;
}

/** Items addressable by index: what a shuffle needs to reorder without holding everything. */
export interface Indexed<T> {
  readonly length: number;
  get(index: number): T | Promise<T>;
}

/** Iterates indexed items in order (every epoch alike). */
export function indexedSource<T>(items: Indexed<T>) {
  return async function* (): AsyncGenerator<T> {
    for (let i = 0; i < items.length; i++) yield await items.get(i);
  };
}

/**
 * An epoch-aware async iterable: `iterate(epoch)` yields that epoch's items, so seeded shuffles
 * and augmentations differ per epoch yet repeat exactly when an epoch is replayed (a resumed
 * run). Chain `shuffle`, `map`, `batch`, `prefetch`, `take`; pass `(e) => ds.iterate(e)` or the
 * dataset itself to a trainer's `fit`.
 */
export class Dataset<T> implements AsyncIterable<T> {
  constructor(
    private readonly source: Source<T>,
    /** Items per epoch, when known. */
    readonly length?: number,
    private readonly indexed?: Indexed<T>,
  ) {
    functionArg('Dataset', 'source', source);
    if (length !== undefined) nonNegativeInteger('Dataset', 'length', length);
  }

  static fromArray<T>(items: readonly T[]): Dataset<T> {
    if (!Array.isArray(items)) argError('Dataset.fromArray', 'items', 'an array', items);
    return Dataset.fromIndexed({ length: items.length, get: (i) => items[i] });
  }

  static fromIndexed<T>(items: Indexed<T>): Dataset<T> {
    indexedArg('Dataset.fromIndexed', 'items', items);
    return new Dataset(indexedSource(items), items.length, items);
  }

  iterate(epoch = 0): AsyncIterable<T> {
    nonNegativeInteger('Dataset.iterate', 'epoch', epoch);
    const source = this.source;
    return {
      async *[Symbol.asyncIterator]() {
        yield* source(epoch) as AsyncIterable<T>;
      },
    };
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.iterate(0)[Symbol.asyncIterator]();
  }

  /** Applies `fn` to every item (it may be async); `fn` gets the item's index and the epoch. */
  map<U>(fn: (item: T, index: number, epoch: number) => U | Promise<U>): Dataset<U> {
    functionArg('Dataset.map', 'fn', fn);
    const parent = this;
    return new Dataset(async function* (epoch) {
      let i = 0;
      for await (const item of parent.iterate(epoch)) yield await fn(item, i++, epoch);
    }, this.length);
  }

  /**
   * A different seeded order every epoch. Indexed datasets (arrays, caches) are permuted by
   * index, holding nothing; others through a buffer of `bufferSize` items (default all; 1
   * keeps the order).
   */
  shuffle(seed: number, bufferSize = Number.POSITIVE_INFINITY): Dataset<T> {
    seedArg('Dataset.shuffle', 'seed', seed);
    countOrInfinity('Dataset.shuffle', 'bufferSize', bufferSize, 1);
    const { indexed } = this;
    if (indexed)
      return new Dataset(async function* (epoch) {
        for (const i of epochPermutation(indexed.length, seed, epoch)) yield await indexed.get(i);
      }, this.length);
    const parent = this;
    return new Dataset(async function* (epoch) {
      const stream = new SeedStream((seed ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0);
      const buffer: T[] = [];
      const draw = () => {
        const j = Math.floor(stream.uniform() * buffer.length);
        const item = buffer[j];
        buffer[j] = buffer[buffer.length - 1];
        buffer.pop();
        return item;
      };
      for await (const item of parent.iterate(epoch)) {
        buffer.push(item);
        if (buffer.length >= bufferSize) yield draw();
      }
      while (buffer.length > 0) yield draw();
    }, this.length);
  }

  /** Groups items into arrays of `size`; the last short group is dropped unless `dropRemainder: false`. */
  batch(size: number, options: { dropRemainder?: boolean } = {}): Dataset<T[]> {
    positiveInteger('Dataset.batch', 'size', size);
    optionsArg('Dataset.batch', options);
    const drop = booleanArg('Dataset.batch', 'dropRemainder', options.dropRemainder ?? true);
    const parent = this;
    const length =
      this.length == null
        ? undefined
        : drop
          ? Math.floor(this.length / size)
          : Math.ceil(this.length / size);
    return new Dataset(async function* (epoch) {
      let group: T[] = [];
      for await (const item of parent.iterate(epoch)) {
        group.push(item);
        if (group.length === size) {
          yield group;
          group = [];
        }
      }
      if (group.length > 0 && !drop) yield group;
    }, length);
  }

  /** The first n items of each epoch (`Infinity`: all). */
  take(n: number): Dataset<T> {
    countOrInfinity('Dataset.take', 'n', n, 0);
    const parent = this;
    return new Dataset(
      async function* (epoch) {
        if (n <= 0) return;
        let i = 0;
        for await (const item of parent.iterate(epoch)) {
          yield item;
          if (++i >= n) return;
        }
      },
      this.length == null ? undefined : Math.min(n, this.length),
    );
  }

  /**
   * Computes up to n items ahead while the consumer works (decoding overlaps training). Items
   * computed but never consumed (the consumer stopped early) go to `discard` — pass
   * `(t) => t.dispose()` for tensors, or they leak.
   */
  prefetch(n: number, options: { discard?: (item: T) => void } = {}): Dataset<T> {
    positiveInteger('Dataset.prefetch', 'n', n);
    optionsArg('Dataset.prefetch', options);
    if (options.discard !== undefined) functionArg('Dataset.prefetch', 'discard', options.discard);
    const parent = this;
    return new Dataset(async function* (epoch) {
      const iterator = parent.iterate(epoch)[Symbol.asyncIterator]();
      const queue: Promise<IteratorResult<T>>[] = [];
      const fill = () => {
        while (queue.length < n) queue.push(iterator.next());
      };
      try {
        fill();
        while (true) {
          const result = await (queue.shift() as Promise<IteratorResult<T>>);
          if (result.done) return;
          fill();
          yield result.value;
        }
      } finally {
        for (const pending of queue.splice(0)) {
          const result = await pending.catch(
            () => ({ done: true, value: undefined }) as IteratorResult<T>,
          );
          if (!result.done) options.discard?.(result.value);
        }
        await iterator.return?.();
      }
    }, this.length);
  }

  /** Every item of an epoch, in an array. */
  async toArray(epoch = 0): Promise<T[]> {
    nonNegativeInteger('Dataset.toArray', 'epoch', epoch);
    const items: T[] = [];
    for await (const item of this.iterate(epoch)) items.push(item);
    return items;
  }
}
