import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { LabelledBatch } from '@gan/core';
import { testBackend } from '@gan/test-utils';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageDataset } from '../image-dataset';
import { FASHION_MNIST_CLASSES, fashionMnist, idxImages, idxLabels } from './idx';
import { imageFolder } from './image-folder';

let root: string;
// Each class's images are a solid gray level: a label can be checked against its pixels.
const LEVEL = { bag: 40, coat: 120, shoe: 200 } as const;
const gray = (level: number) =>
  sharp({
    create: { width: 4, height: 4, channels: 3, background: { r: level, g: level, b: level } },
  });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-labels-'));
  const dir = join(root, 'classes');
  for (const [name, level] of Object.entries(LEVEL)) {
    await mkdir(join(dir, name, 'deeper'), { recursive: true });
    await gray(level)
      .png()
      .toFile(join(dir, name, 'a.png'));
    await gray(level)
      .png()
      .toFile(join(dir, name, 'deeper', 'b.png'));
  }
  await writeFile(join(dir, 'coat', 'broken.png'), 'not a png'); // skipped, with its label
  await mkdir(join(root, 'flat'), { recursive: true });
  for (const [i, level] of [10, 90, 170, 250].entries())
    await gray(level)
      .png()
      .toFile(join(root, 'flat', `img${i}.png`));
  // IDX: 6 images of 2×2 whose pixels are their label × 50, and the 6 labels.
  const labels = [2, 0, 1, 1, 0, 2];
  const idx = (dims: number[], data: number[]) => {
    const header = Buffer.alloc(4 + 4 * dims.length);
    header.set([0, 0, 8, dims.length]);
    for (const [i, d] of dims.entries()) header.writeUInt32BE(d, 4 + 4 * i);
    return Buffer.concat([header, Buffer.from(data)]);
  };
  await mkdir(join(root, 'idx'));
  await writeFile(
    join(root, 'idx', 'train-images-idx3-ubyte.gz'),
    gzipSync(
      idx(
        [6, 2, 2],
        labels.flatMap((l) => [l * 50, l * 50, l * 50, l * 50]),
      ),
    ),
  );
  await writeFile(join(root, 'idx', 'train-labels-idx1-ubyte.gz'), gzipSync(idx([6], labels)));
  await writeFile(join(root, 'idx', 't10k-labels-idx1-ubyte'), idx([2], [0, 9]));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function firstEpoch(batches: AsyncIterable<LabelledBatch>) {
  const seen: { level: number; label: number }[] = [];
  for await (const { images, labels } of batches) {
    const pixels = await images.data();
    const size = pixels.length / images.shape[0];
    const l = await labels.data();
    for (let i = 0; i < images.shape[0]; i++)
      seen.push({ level: Math.round(((pixels[i * size] + 1) / 2) * 255), label: l[i] });
    images.dispose();
    labels.dispose();
  }
  return seen;
}

describe(`labelled datasets [${testBackend()}]`, () => {
  it("labels 'folders': the first directory names the class, skipped files drop out with theirs", async () => {
    for (const cache of [false, join(root, 'cache')]) {
      for (const pass of cache === false ? [1] : [1, 2]) {
        const ds = await imageFolder(join(root, 'classes'), {
          resolution: 4,
          labels: 'folders',
          cache,
        });
        expect(ds.report.fromCache).toBe(pass === 2);
        expect(ds.classes).toEqual(['bag', 'coat', 'shoe']);
        expect(ds.skipped).toHaveLength(1);
        expect(ds.length).toBe(6);
        expect(ds.classCounts()).toEqual([2, 2, 2]);
        for (let i = 0; i < ds.length; i++) {
          const image = await ds.get(i);
          const name = ds.classes?.[ds.labels?.[i] as number] as keyof typeof LEVEL;
          expect(image.data[0]).toBe(LEVEL[name]);
        }
        const seen = await firstEpoch(ds.labelledBatches(2, { shuffle: 3 }));
        expect(seen).toHaveLength(6);
        for (const { level, label } of seen)
          expect(level).toBe(LEVEL[ds.classes?.[label] as keyof typeof LEVEL]);
      }
    }
  });

  it('a label map: stylegan2-ada dataset.json (indices) and { path: name }', async () => {
    const flat = join(root, 'flat');
    await writeFile(
      join(root, 'dataset.json'),
      JSON.stringify({
        labels: [
          ['img0.png', 1],
          ['img1.png', 0],
          ['img2.png', 3],
          ['img3.png', 1],
        ],
      }),
    );
    const indexed = await imageFolder(flat, {
      resolution: 4,
      cache: false,
      labels: { map: join(root, 'dataset.json') },
    });
    expect(Array.from(indexed.labels ?? [])).toEqual([1, 0, 3, 1]);
    expect(indexed.classes).toEqual(['0', '1', '2', '3']);
    await writeFile(
      join(root, 'names.json'),
      JSON.stringify({
        'img0.png': 'dark',
        'img1.png': 'dark',
        'img2.png': 'light',
        'img3.png': 'light',
      }),
    );
    const named = await imageFolder(flat, {
      resolution: 4,
      cache: false,
      labels: { map: join(root, 'names.json') },
    });
    expect(named.classes).toEqual(['dark', 'light']);
    expect(Array.from(named.labels ?? [])).toEqual([0, 0, 1, 1]);
    await writeFile(join(root, 'partial.json'), JSON.stringify({ 'img0.png': 'dark' }));
    await expect(
      imageFolder(flat, {
        resolution: 4,
        cache: false,
        labels: { map: join(root, 'partial.json') },
      }),
    ).rejects.toThrow(/has no label for img1\.png/);
    await expect(
      imageFolder(flat, { resolution: 4, cache: false, labels: 'folders' }),
    ).rejects.toThrow(/is directly in/);
    await expect(imageFolder(flat, { resolution: 4, labels: 'names' as never })).rejects.toThrow(
      /imageFolder: labels must be 'folders' or \{ map/,
    );
  });

  it('IDX labels, and fashionMnist from a directory of IDX files', async () => {
    expect(Array.from(await idxLabels(join(root, 'idx', 'train-labels-idx1-ubyte.gz')))).toEqual([
      2, 0, 1, 1, 0, 2,
    ]);
    const ds = await fashionMnist({ dir: join(root, 'idx') });
    expect(ds.classes).toEqual(FASHION_MNIST_CLASSES);
    expect(ds.length).toBe(6);
    for (let i = 0; i < 6; i++)
      expect((await ds.get(i)).data[0]).toBe((ds.labels?.[i] as number) * 50);
    const limited = await idxImages(join(root, 'idx', 'train-images-idx3-ubyte.gz'), {
      labels: join(root, 'idx', 'train-labels-idx1-ubyte.gz'),
      limit: 4,
    });
    expect(Array.from(limited.labels ?? [])).toEqual([2, 0, 1, 1]);
    expect(limited.classes).toEqual(['0', '1', '2']);
    await expect(fashionMnist({ dir: join(root, 'idx'), split: 'test' })).rejects.toThrow(
      /no t10k-images-idx3-ubyte\(\.gz\) in .*apt-get install dataset-fashion-mnist/,
    );
    await expect(idxImages(join(root, 'idx', 't10k-labels-idx1-ubyte'))).rejects.toThrow(
      /holds type 0x8 with 1 dimensions; expected unsigned bytes, 3-D/,
    );
  });

  it('balanced sampling draws every class alike; split and withLabels keep labels', async () => {
    // 90 images of class 0, 10 of class 1: balanced batches see the two about equally.
    const images = {
      length: 100,
      get: (i: number) => ({
        width: 1,
        height: 1,
        channels: 1 as const,
        data: Uint8Array.of(i < 90 ? 0 : 255),
      }),
    };
    const ds = new ImageDataset(images, {
      images: 100,
      skipped: [],
      duplicates: 0,
      fromCache: false,
    }).withLabels(
      Array.from({ length: 100 }, (_, i) => (i < 90 ? 0 : 1)),
      ['common', 'rare'],
    );
    const counts = [0, 0];
    for (let epoch = 0; epoch < 10; epoch++)
      for (const { level, label } of await firstEpoch(
        ds.labelledBatches(10, { shuffle: 7, balanced: true }).iterate(epoch),
      )) {
        expect(level).toBe(label === 0 ? 0 : 255);
        counts[label]++;
      }
    expect(counts[0] + counts[1]).toBe(1000);
    // Binomial(1000, ½): 3.5 standard deviations either side.
    expect(Math.abs(counts[1] - 500)).toBeLessThan(56);
    const again = await firstEpoch(
      ds.labelledBatches(10, { shuffle: 7, balanced: true }).iterate(3),
    );
    expect(again).toEqual(
      await firstEpoch(ds.labelledBatches(10, { shuffle: 7, balanced: true }).iterate(3)),
    );
    const { train, heldOut } = ds.split(20, { seed: 1 });
    expect(train.classes).toEqual(['common', 'rare']);
    for (const part of [train, heldOut])
      for (let i = 0; i < part.length; i++)
        expect((await part.get(i)).data[0]).toBe(part.labels?.[i] === 0 ? 0 : 255);
    expect(() => ds.withLabels([0, 1], ['a', 'b'])).toThrow(
      /ImageDataset\.withLabels: labels must hold one label per image: 100 images, 2 labels/,
    );
    expect(() => ds.withLabels(Array(100).fill(2), ['a', 'b'])).toThrow(
      /labels\[0\] is 2, outside 0…1/,
    );
    expect(() => ds.withLabels(Array(100).fill(0), ['a', 'a'])).toThrow(
      /class names must be unique/,
    );
    const plain = new ImageDataset(images, {
      images: 100,
      skipped: [],
      duplicates: 0,
      fromCache: false,
    });
    expect(() => plain.labelledBatches(4)).toThrow(/labelledBatches: the dataset has no labels/);
    const lopsided = plain.withLabels(Array(100).fill(0), ['only', 'never']);
    expect(() => lopsided.labelledBatches(4, { balanced: true })).toThrow(/never has none/);
  });
});
