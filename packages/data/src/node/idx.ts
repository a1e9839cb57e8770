import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { argError, optionsArg } from '@gan/core';
import { ImageDataset } from '../image-dataset';
import type { RawImage } from '../raw-image';

/** An IDX file's bytes (raw or .gz) after checking its type (unsigned bytes) and dimensions. */
async function readIdx(fn: string, path: string, dims: number) {
  if (typeof path !== 'string' || path.length === 0)
    argError(fn, 'path', 'a non-empty string', path);
  let bytes: Buffer = await readFile(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const header = 4 + 4 * dims;
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0)
    throw new Error(`${fn}: ${path} is not an IDX file`);
  if (bytes[2] !== 0x08 || bytes[3] !== dims)
    throw new Error(
      `${fn}: ${path} holds type 0x${bytes[2].toString(16)} with ${bytes[3]} dimensions; expected unsigned bytes, ${dims}-D`,
    );
  if (bytes.length < header) throw new Error(`${fn}: ${path} is not an IDX file`);
  const shape = Array.from({ length: dims }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  const expected = header + shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== expected)
    throw new Error(
      `${fn}: ${path} should hold ${expected} bytes for ${shape.join('×')}, has ${bytes.length}`,
    );
  return { bytes, shape, offset: header };
}

function limitArg(fn: string, limit: unknown): number | undefined {
  if (
    limit !== undefined &&
    limit !== Number.POSITIVE_INFINITY &&
    !(Number.isInteger(limit) && (limit as number) > 0)
  )
    argError(fn, 'limit', 'a positive integer or Infinity', limit);
  return limit as number | undefined;
}

/** Class labels from an IDX label file (MNIST, Fashion-MNIST; raw or .gz): unsigned bytes, 1-D. */
export async function idxLabels(
  path: string,
  options: { limit?: number } = {},
): Promise<Int32Array> {
  const fn = 'idxLabels';
  const limit = limitArg(fn, optionsArg(fn, options).limit);
  const { bytes, shape, offset } = await readIdx(fn, path, 1);
  const n = Math.min(shape[0], limit ?? shape[0]);
  return Int32Array.from(bytes.subarray(offset, offset + n));
}

export interface IdxImagesOptions {
  /** Read at most this many images. */
  limit?: number;
  /** An IDX label file (`train-labels-idx1-ubyte.gz`): the dataset comes labelled. */
  labels?: string;
  /** Class names by index, with `labels`. Default '0', '1', … */
  classes?: readonly string[];
}

/**
 * Images from an IDX file (MNIST, Fashion-MNIST; raw or .gz): unsigned-byte, 3-D
 * ([count, rows, cols]) → gray images, labelled from an IDX label file when `labels` names one.
 * Debian's `dataset-fashion-mnist` installs them under /usr/share/datasets/fashion-mnist/
 * ({@link fashionMnist} reads them from there).
 */
export async function idxImages(
  path: string,
  options: IdxImagesOptions = {},
): Promise<ImageDataset> {
  const fn = 'idxImages';
  if (typeof path !== 'string' || path.length === 0)
    argError(fn, 'path', 'a non-empty string', path);
  optionsArg(fn, options);
  const limit = limitArg(fn, options.limit);
  if (options.labels !== undefined && (typeof options.labels !== 'string' || options.labels === ''))
    argError(fn, 'labels', 'the path of an IDX label file', options.labels);
  if (options.classes !== undefined && options.labels === undefined)
    argError(fn, 'classes', 'given only with labels', options.classes);
  const { bytes, shape, offset } = await readIdx(fn, path, 3);
  const [count, rows, cols] = shape;
  const n = Math.min(count, limit ?? count);
  const size = rows * cols;
  const images = {
    length: n,
    get: (i: number): RawImage => ({
      width: cols,
      height: rows,
      channels: 1,
      data: new Uint8Array(bytes.buffer, bytes.byteOffset + offset + i * size, size),
    }),
  };
  const dataset = new ImageDataset(images, {
    images: n,
    skipped: [],
    duplicates: 0,
    fromCache: false,
  });
  if (options.labels === undefined) return dataset;
  const labels = await idxLabels(options.labels);
  if (labels.length < n)
    throw new Error(`${fn}: ${options.labels} holds ${labels.length} labels for ${n} images`);
  const classes =
    options.classes ??
    Array.from({ length: labels.reduce((m, v) => Math.max(m, v + 1), 0) }, (_, i) => `${i}`);
  return dataset.withLabels(labels.subarray(0, n), classes);
}

/** Fashion-MNIST's ten classes (Xiao et al. 2017), by label index. */
export const FASHION_MNIST_CLASSES = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);

export interface FashionMnistOptions {
  /** 'train' (60,000 images) or 'test' (10,000). Default 'train'. */
  split?: 'train' | 'test';
  /** Where the four IDX files are. Default Debian's /usr/share/datasets/fashion-mnist. */
  dir?: string;
  limit?: number;
}

/** Where Debian's `dataset-fashion-mnist` installs the files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/**
 * Fashion-MNIST (Xiao et al. 2017): 28×28 gray images of ten kinds of clothing, labelled
 * ({@link FASHION_MNIST_CLASSES}), from the IDX files of Debian's `dataset-fashion-mnist`
 * (`apt-get install dataset-fashion-mnist`) or `dir`. Nothing is downloaded.
 */
export async function fashionMnist(options: FashionMnistOptions = {}): Promise<ImageDataset> {
  const fn = 'fashionMnist';
  optionsArg(fn, options);
  const { split = 'train', dir = FASHION_MNIST_DIR, limit } = options;
  if (split !== 'train' && split !== 'test') argError(fn, 'split', "'train' or 'test'", split);
  if (typeof dir !== 'string' || dir === '') argError(fn, 'dir', 'a directory path', dir);
  limitArg(fn, limit);
  const prefix = split === 'train' ? 'train' : 't10k';
  const find = async (kind: string) => {
    for (const name of [`${prefix}-${kind}.gz`, `${prefix}-${kind}`]) {
      const path = join(dir, name);
      if (
        await access(path).then(
          () => true,
          () => false,
        )
      )
        return path;
    }
    throw new Error(
      `${fn}: no ${prefix}-${kind}(.gz) in ${dir}; install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or pass dir`,
    );
  };
  const images = await find('images-idx3-ubyte');
  const labels = await find('labels-idx1-ubyte');
  return idxImages(images, { labels, limit, classes: FASHION_MNIST_CLASSES });
}
