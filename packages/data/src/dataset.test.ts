import { epochPermutation } from '@gan/core';
import { expectArgError, expectNoLeaks, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { imagesToTensor } from './batches';
import { Dataset } from './dataset';
import { ImageDataset } from './image-dataset';
import { rawImage } from './raw-image';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('Dataset', () => {
  it('shuffles with a seed: a permutation, the same for the same epoch, another for the next', async () => {
    const ds = Dataset.fromArray(range(50)).shuffle(7);
    const [e0, again, e1] = [await ds.toArray(0), await ds.toArray(0), await ds.toArray(1)];
    expect([...e0].sort((a, b) => a - b)).toEqual(range(50));
    expect(again).toEqual(e0);
    expect(e1).not.toEqual(e0);
    expect(e0).not.toEqual(range(50));
    expect(await Dataset.fromArray(range(50)).shuffle(8).toArray(0)).not.toEqual(e0);
    expect(e0).toEqual(epochPermutation(50, 7, 0));
  });

  it('shuffles unindexed sources through a buffer, still a seeded permutation', async () => {
    const stream = new Dataset(function* () {
      yield* range(30);
    }).shuffle(3, 8);
    const order = await stream.toArray(2);
    expect([...order].sort((a, b) => a - b)).toEqual(range(30));
    expect(await stream.toArray(2)).toEqual(order);
  });

  it('batches, maps with index and epoch, takes, and knows its length', async () => {
    const ds = Dataset.fromArray(range(10));
    expect(ds.batch(4).length).toBe(2);
    expect(await ds.batch(4).toArray()).toEqual([range(4), [4, 5, 6, 7]]);
    expect(await ds.batch(4, { dropRemainder: false }).toArray()).toEqual([
      range(4),
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(
      await ds
        .map((x, i, epoch) => x * 10 + i + epoch * 1000)
        .take(3)
        .toArray(2),
    ).toEqual([2000, 2011, 2022]);
    expect(ds.take(3).length).toBe(3);
    expect(() => ds.batch(0)).toThrow(/size must be a positive integer/);
  });

  it('prefetches: the producer runs ahead of a slow consumer, order kept', async () => {
    let produced = 0;
    const ds = new Dataset(async function* () {
      for (let i = 0; i < 6; i++) {
        produced++;
        yield i;
      }
    }).prefetch(3);
    const seen: number[] = [];
    const aheadBy: number[] = [];
    for await (const x of ds) {
      await new Promise((r) => setTimeout(r, 5));
      aheadBy.push(produced - (x + 1));
      seen.push(x);
    }
    expect(seen).toEqual(range(6));
    expect(Math.max(...aheadBy)).toBeGreaterThanOrEqual(2);
  });

  it('hands items computed ahead but never consumed to discard', async () => {
    const discarded: number[] = [];
    const ds = Dataset.fromArray(range(10)).prefetch(3, { discard: (x) => discarded.push(x) });
    expect(await ds.take(2).toArray()).toEqual([0, 1]);
    expect(discarded).toEqual([2, 3, 4]);
  });
});

describe(`image batches [${testBackend()}]`, () => {
  it('turn same-size images into [n, h, w, c] tensors in [−1, 1], with seeded flips, no leaks', async () => {
    const images = range(6).map((i) => rawImage(2, 1, 1, Uint8Array.of(i * 40, 255)));
    const ds = new ImageDataset(
      { length: 6, get: (i) => images[i] },
      { images: 6, skipped: [], duplicates: 0, fromCache: false },
    );
    const batches = await ds.batches(4, { shuffle: 1, flip: true }).toArray(0);
    expect(batches).toHaveLength(1);
    expect(batches[0].shape).toEqual([4, 1, 2, 1]);
    const values = Array.from(batches[0].dataSync());
    expect(values.every((v) => v >= -1 && v <= 1)).toBe(true);
    const again = await ds.batches(4, { shuffle: 1, flip: true }).toArray(0);
    expect(Array.from(again[0].dataSync())).toEqual(values);
    // Evaluation wants every image: the short last batch kept.
    const all = await ds.batches(4, { dropRemainder: false }).toArray(0);
    expect(all.map((b) => b.shape[0])).toEqual([4, 2]);
    tf.dispose([...batches, ...again, ...all]);
    const t = expectNoLeaks(() => imagesToTensor([images[0], images[5]]));
    expect(Array.from(t.dataSync())).toEqual([-1, 1, Math.fround(Math.fround(200 / 127.5) - 1), 1]);
    t.dispose();
    expect(() => imagesToTensor([images[0], rawImage(1, 1, 1)])).toThrow(
      /image 1 is 1×1×1, the first 2×1×1/,
    );
  });

  it('split holds out a seeded random subset: disjoint, complete, in order, reproducible', async () => {
    const images = range(10).map((i) => rawImage(1, 1, 1, Uint8Array.of(i)));
    const report = { images: 10, skipped: [], duplicates: 0, fromCache: false };
    const ds = new ImageDataset({ length: 10, get: (i) => images[i] }, report);
    const ids = async (d: ImageDataset) => (await d.toArray()).map((im) => im.data[0]);
    const { train, heldOut } = ds.split(3, { seed: 4 });
    const [a, b] = [await ids(train), await ids(heldOut)];
    expect([a.length, b.length]).toEqual([7, 3]);
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(range(10));
    expect(a).toEqual([...a].sort((x, y) => x - y));
    expect(heldOut.report.images).toBe(3);
    expect(await ids(ds.split(3, { seed: 4 }).heldOut)).toEqual(b);
    expect(await ids(ds.split(3, { seed: 5 }).heldOut)).not.toEqual(b);
    const batch = await train.batches(7).toArray(0); // a view batches like any dataset
    expect(batch[0].shape).toEqual([7, 1, 1, 1]);
    tf.dispose(batch);
    expectArgError(() => ds.split(10), 'ImageDataset.split', 'heldOut', /leave images.*10 of 10/);
    expectArgError(() => ds.split(0), 'ImageDataset.split', 'heldOut');
    expectArgError(() => ds.split(2, { seed: -1 }), 'ImageDataset.split', 'seed');
  });
});
