import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { argError, optionsArg } from '@gan/core';
import { ImageDataset } from '../image-dataset';
import type { RawImage } from '../raw-image';

/**
 * Images from an IDX file (MNIST, Fashion-MNIST; raw or .gz): unsigned-byte, 3-D
 * ([count, rows, cols]) → gray images. Debian's `dataset-fashion-mnist` installs them under
 * /usr/share/datasets/fashion-mnist/.
 */
export async function idxImages(
  path: string,
  options: { limit?: number } = {},
): Promise<ImageDataset> {
  const fn = 'idxImages';
  if (typeof path !== 'string' || path.length === 0)
    argError(fn, 'path', 'a non-empty string', path);
  optionsArg(fn, options);
  const { limit } = options;
  if (
    limit !== undefined &&
    limit !== Number.POSITIVE_INFINITY &&
    !(Number.isInteger(limit) && limit > 0)
  )
    argError(fn, 'limit', 'a positive integer or Infinity', limit);
  let bytes: Buffer = await readFile(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  if (bytes.length < 16 || bytes[0] !== 0 || bytes[1] !== 0)
    throw new Error(`idxImages: ${path} is not an IDX file`);
  const [type, dims] = [bytes[2], bytes[3]];
  if (type !== 0x08 || dims !== 3)
    throw new Error(
      `idxImages: ${path} holds type 0x${type.toString(16)} with ${dims} dimensions; images are unsigned bytes, 3-D`,
    );
  const [count, rows, cols] = [
    bytes.readUInt32BE(4),
    bytes.readUInt32BE(8),
    bytes.readUInt32BE(12),
  ];
  if (bytes.length !== 16 + count * rows * cols)
    throw new Error(
      `idxImages: ${path} should hold ${16 + count * rows * cols} bytes for ${count}×${rows}×${cols}, has ${bytes.length}`,
    );
  const n = Math.min(count, options.limit ?? count);
  const size = rows * cols;
  const images: Indexed = {
    length: n,
    get: (i) => ({
      width: cols,
      height: rows,
      channels: 1,
      data: new Uint8Array(bytes.buffer, bytes.byteOffset + 16 + i * size, size),
    }),
  };
  return new ImageDataset(images, { images: n, skipped: [], duplicates: 0, fromCache: false });
}

type Indexed = { length: number; get(i: number): RawImage };
