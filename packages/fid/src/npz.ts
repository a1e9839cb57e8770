import { ArgumentError, argError, assertArg, describe, numbersArg } from '@gan/core';
import { unzipSync, zipSync } from 'fflate';
import { bytesArg, isFeatureStats } from './feature-stats';
import type { GaussianStats } from './frechet';

/** A NumPy array: its shape and its values in C (row-major) order as float64. */
export interface NpyArray {
  shape: number[];
  values: Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Parses a `.npy` file (format 1.0–3.0) of float32 or float64, either byte order, C or Fortran. */
export function readNpy(bytes: Uint8Array): NpyArray {
  bytesArg('readNpy', bytes);
  return parseNpy('readNpy', 'bytes', bytes);
}

/** readNpy's parser; errors name `fn` and `name` (the argument, or the file inside an .npz). */
function parseNpy(fn: string, name: string, bytes: Uint8Array): NpyArray {
  const fail = (message: string): never => {
    throw new ArgumentError(fn, name, `${name} ${message}`);
  };
  if (bytes.byteLength < 10 || !MAGIC.every((b, i) => bytes[i] === b))
    fail('is not a .npy file (no \\x93NUMPY magic)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major !== 1 && bytes.byteLength < 12) fail('is truncated (no header length)');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([<>|=])([fiu])(\d+)'/.exec(header);
  const fortran = /'fortran_order':\s*(True|False)/.exec(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeText) return fail(`has an unreadable header ${header}`);
  const [, order, kind, size] = descr;
  if (kind !== 'f' || (size !== '4' && size !== '8'))
    fail(`holds ${descr[0]}: only float32/float64 arrays are supported`);
  const shape = shapeText[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const width = Number(size);
  const little = order !== '>';
  const offset = start + headerLength;
  if (!shape.every((n) => Number.isInteger(n) && n >= 0))
    fail(`has an unreadable shape (${shapeText[1]})`);
  if (bytes.byteLength - offset < count * width)
    fail(`holds ${bytes.byteLength - offset} data bytes, need ${count * width} (truncated file?)`);
  const flat = new Float64Array(count);
  for (let i = 0; i < count; i++)
    flat[i] =
      width === 8
        ? view.getFloat64(offset + i * 8, little)
        : view.getFloat32(offset + i * 4, little);
  return { shape, values: fortran[1] === 'True' ? fortranToC(flat, shape) : flat };
}

/** Reorders column-major values to row-major. */
function fortranToC(values: Float64Array, shape: number[]): Float64Array {
  if (shape.length < 2) return values;
  const out = new Float64Array(values.length);
  const index = new Array(shape.length).fill(0);
  for (let c = 0; c < values.length; c++) {
    // c is the row-major position of `index`; its column-major position is Σ index_k · Π_{j<k} shape_j.
    let f = 0;
    let stride = 1;
    for (let k = 0; k < shape.length; k++) {
      f += index[k] * stride;
      stride *= shape[k];
    }
    out[c] = values[f];
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++index[k] < shape[k]) break;
      index[k] = 0;
    }
  }
  return out;
}

/** A `.npy` file (format 1.0, little-endian float64, C order), byte for byte what `np.save` writes. */
export function writeNpy(values: ArrayLike<number>, shape: number[]): Uint8Array {
  const fn = 'writeNpy';
  numbersArg(fn, 'values', values);
  if (!Array.isArray(shape)) argError(fn, 'shape', 'an array of integers ≥ 0', shape);
  if (!shape.every((n) => Number.isInteger(n) && n >= 0))
    throw new ArgumentError(
      fn,
      'shape',
      `shape must be an array of integers ≥ 0, got [${shape.map((n) => describe(n)).join(', ')}]`,
    );
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length)
    throw new ArgumentError(
      fn,
      'values',
      `values (${values.length} of them) do not fill shape (${shape}), which holds ${count}`,
    );
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // NumPy pads the header with spaces and a newline so the data starts on a 64-byte boundary.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + count * 8);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  for (let i = 0; i < count; i++) view.setFloat64(total + i * 8, values[i], true);
  return out;
}

/**
 * Reads pytorch-fid / TTUR statistics: an `.npz` (plain or compressed) holding `mu` and `sigma`.
 * Published reference statistics (e.g. `fid_stats_cifar10_train.npz`) load directly.
 */
export function readNpzStats(bytes: Uint8Array): GaussianStats {
  const fn = 'readNpzStats';
  bytesArg(fn, bytes);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new ArgumentError(
      fn,
      'bytes',
      `bytes is not an .npz (zip) file: ${(error as Error).message}`,
    );
  }
  const mu = files['mu.npy'];
  const sigma = files['sigma.npy'];
  if (!mu || !sigma)
    throw new ArgumentError(
      fn,
      'bytes',
      `bytes: expected mu and sigma, found ${Object.keys(files).join(', ') || 'nothing'}`,
    );
  const mean = parseNpy(fn, 'mu.npy', mu);
  const cov = parseNpy(fn, 'sigma.npy', sigma);
  const d = mean.values.length;
  if (mean.shape.length !== 1 || cov.shape.length !== 2 || cov.shape[0] !== d || cov.shape[1] !== d)
    throw new ArgumentError(
      fn,
      'bytes',
      `bytes: mu is (${mean.shape}), sigma (${cov.shape}): not (d,) and (d, d)`,
    );
  return { mean: mean.values, covariance: cov.values };
}

/** Writes `mu` and `sigma` as an uncompressed `.npz`, as pytorch-fid's `--save-stats` does. */
export function writeNpzStats(stats: GaussianStats): Uint8Array {
  const fn = 'writeNpzStats';
  // A FeatureStats' mean and covariance are methods: their `length` (0) would make an empty file.
  if (isFeatureStats(stats))
    argError(
      fn,
      'stats',
      '{ mean, covariance } arrays',
      stats,
      'pass { mean: s.mean(), covariance: s.covariance() }',
    );
  if (
    typeof stats !== 'object' ||
    stats === null ||
    ArrayBuffer.isView(stats) ||
    Array.isArray(stats)
  )
    argError(fn, 'stats', '{ mean, covariance } arrays', stats);
  numbersArg(fn, 'stats.mean', stats.mean);
  numbersArg(fn, 'stats.covariance', stats.covariance);
  const d = stats.mean.length;
  assertArg(d > 0, fn, 'stats.mean is empty', 'stats.mean');
  if (stats.covariance.length !== d * d)
    throw new ArgumentError(
      fn,
      'stats.covariance',
      `stats.covariance has ${stats.covariance.length} values, not ${d}² = ${d * d}`,
    );
  return zipSync(
    {
      'mu.npy': [writeNpy(stats.mean, [d]), { level: 0 }],
      'sigma.npy': [writeNpy(stats.covariance, [d, d]), { level: 0 }],
    },
    { mtime: new Date('2000-01-01T00:00:00Z') },
  );
}
