import { expectArgError, expectArgErrorAsync, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFeatures } from './extract';
import { checkExtractorImages, type FeatureExtractor, scoreLabel } from './extractor';
import { FeatureStats } from './feature-stats';
import { frechetDistance, type GaussianStats } from './frechet';
import { inceptionV3Parameters, loadInceptionV3 } from './inception-v3';
import { kernelInceptionDistance, polynomialMmd2 } from './kid';
import { traceSqrtProduct } from './linalg';
import { readNpy, readNpzStats, writeNpy, writeNpzStats } from './npz';
import { randomConvExtractor } from './random-conv-extractor';

/** n rows of d deterministic, non-degenerate features, flat row-major. */
const flat = (n: number, d: number, offset = 0) =>
  Float64Array.from({ length: n * d }, (_, i) => Math.sin(1.3 * i + offset) + (i % d));
const rowsOf = (n: number, d: number, offset = 0) =>
  Array.from({ length: n }, (_, r) => Array.from(flat(n, d, offset).subarray(r * d, (r + 1) * d)));
const statsOf = (n: number, d: number, offset = 0) => new FeatureStats(d).add(flat(n, d, offset));

/** The GANSTATS layout with a hand-made header: what FeatureStats.save writes. */
function statsFile(header: Record<string, unknown>, d: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(12 + json.length + 8 * (d + (d * (d + 1)) / 2));
  out.set(new TextEncoder().encode('GANSTATS'));
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  return out;
}

/** A feature extractor that returns `rows` rows whatever it is given (a broken one). */
const wrongRows = (rows: number): FeatureExtractor => ({
  name: 'broken',
  dim: 4,
  inputSize: [8, 8],
  standard: false,
  extract: () => tf.zeros([rows, 4]) as tf.Tensor2D,
  dispose() {},
});

interface Case {
  /** The audit row (§5) it covers. */
  row: string;
  fn: string;
  arg: string | undefined;
  tail: RegExp;
  call: () => unknown;
}

// Tensors shared by the cases (checks never read them): made once, disposed at the end.
const t = {} as Record<'zeros24' | 'ones84' | 'grey' | 'int' | 'wrongChannels' | 'rgb1', tf.Tensor>;
let extractor: FeatureExtractor;

const cases: Case[] = [
  // FeatureStats
  {
    row: '79 (the issue)',
    fn: 'FeatureStats.add',
    arg: 'rows',
    tail: /rows must be an array or typed array of numbers, got a float32 tf\.Tensor of shape \[2,4\]; add\(\) takes numbers; use await addTensor\(features\) for a tf\.Tensor/,
    call: () => new FeatureStats(4).add(t.zeros24 as unknown as number[]),
  },
  {
    row: '80',
    fn: 'FeatureStats.add',
    arg: 'rows',
    tail: /rows must be flat row-major numbers \(n·4 of them\), got an array of 2 arrays; flatten it or use addTensor\(tf\.tensor2d\(rows\)\)/,
    call: () => new FeatureStats(4).add(rowsOf(2, 4) as unknown as number[]),
  },
  {
    row: '80 (undefined)',
    fn: 'FeatureStats.add',
    arg: 'rows',
    tail: /rows must be an array of numbers or a typed array, got undefined/,
    call: () => new FeatureStats(4).add(undefined as never),
  },
  {
    row: '80 (length)',
    fn: 'FeatureStats.add',
    arg: 'rows',
    tail: /5 values are not a whole number of 4-d rows/,
    call: () => new FeatureStats(4).add([1, 2, 3, 4, 5]),
  },
  {
    row: '80 (non-finite)',
    fn: 'FeatureStats.add',
    arg: 'rows',
    tail: /rows hold non-finite values: feature 1 is not finite/,
    call: () => new FeatureStats(2).add([1, Number.POSITIVE_INFINITY]),
  },
  {
    row: '81',
    fn: 'FeatureStats.addTensor',
    arg: 'features',
    tail: /features must be a tf\.Tensor, got a Float32Array of 8; use add\(\) for arrays/,
    call: () => new FeatureStats(4).addTensor(new Float32Array(8) as never),
  },
  {
    row: '81 (shape)',
    fn: 'FeatureStats.addTensor',
    arg: 'features',
    tail: /features must have shape \[n, 3\], got \[8,4\]/,
    call: () => new FeatureStats(3).addTensor(t.ones84 as tf.Tensor2D),
  },
  {
    row: '82',
    fn: 'FeatureStats.merge',
    arg: 'other',
    tail: /other must be a FeatureStats, got an object \{mean, covariance\}; a \{ mean, covariance \} summary cannot be merged/,
    call: () => new FeatureStats(2).merge({ mean: [0, 0], covariance: [1, 0, 0, 1] } as never),
  },
  {
    row: '82 (dim)',
    fn: 'FeatureStats.merge',
    arg: 'other',
    tail: /other must be 2-d like this one, got 3-d \(dimensions differ\)/,
    call: () => new FeatureStats(2).merge(new FeatureStats(3)),
  },
  {
    row: 'FeatureStats dim',
    fn: 'FeatureStats',
    arg: 'dim',
    tail: /dim must be a positive integer, got 2\.5/,
    call: () => new FeatureStats(2.5),
  },
  {
    row: '75',
    fn: 'FeatureStats.load',
    arg: 'bytes',
    tail: /bytes must be a Uint8Array, got an ArrayBuffer of 64 bytes; wrap it: new Uint8Array\(buffer\)/,
    call: () => FeatureStats.load(new ArrayBuffer(64) as never),
  },
  {
    row: '75 (corrupt header)',
    fn: 'FeatureStats.load',
    arg: 'bytes',
    tail: /bytes has a corrupt header \(.*; truncated file\?\)/,
    call: () => {
      const bytes = statsFile({}, 1);
      bytes.set(new TextEncoder().encode('{"form'), 12);
      return FeatureStats.load(bytes);
    },
  },
  {
    row: '130',
    fn: 'FeatureStats.load',
    arg: 'header.count',
    tail: /header\.count must be an integer ≥ 0, got -3/,
    call: () =>
      FeatureStats.load(
        statsFile({ format: 'gan-fid-stats', version: 1, dim: 2, count: -3, meta: {} }, 2),
      ),
  },
  {
    row: '130 (dim)',
    fn: 'FeatureStats.load',
    arg: 'header.dim',
    tail: /header\.dim must be a positive integer, got 'x'/,
    call: () =>
      FeatureStats.load(
        statsFile({ format: 'gan-fid-stats', version: 1, dim: 'x', count: 3, meta: {} }, 1),
      ),
  },

  // frechetDistance / traceSqrtProduct
  {
    row: '28 (empty)',
    fn: 'frechetDistance',
    arg: 'a.mean',
    tail: /a\.mean is empty/,
    call: () => frechetDistance({ mean: [], covariance: [] }, { mean: [], covariance: [] }),
  },
  {
    row: '28 (FeatureStats-like with a method mean)',
    fn: 'frechetDistance',
    arg: 'b.mean',
    tail: /b\.mean must be an array of numbers or a typed array, got a function \(mean\); GaussianStats holds arrays/,
    call: () =>
      frechetDistance(statsOf(8, 2), {
        mean: () => [0, 0],
        covariance: () => [1, 0, 0, 1],
      } as never),
  },
  {
    row: '73',
    fn: 'frechetDistance',
    arg: 'a',
    tail: /a must be a FeatureStats or \{ mean, covariance \}, got a float32 tf\.Tensor of shape \[8,4\]/,
    call: () => frechetDistance(t.ones84 as never, statsOf(8, 4)),
  },
  {
    row: '73 (typed array)',
    fn: 'frechetDistance',
    arg: 'b',
    tail: /b must be a FeatureStats or \{ mean, covariance \}, got a Float64Array of 4/,
    call: () => frechetDistance(statsOf(8, 2), new Float64Array(4) as never),
  },
  {
    row: '83',
    fn: 'frechetDistance',
    arg: 'a',
    tail: /a has 1 sample; the covariance needs at least 2/,
    call: () => frechetDistance(statsOf(1, 2), statsOf(8, 2)),
  },
  {
    row: 'frechet dims',
    fn: 'frechetDistance',
    arg: 'b',
    tail: /a is 2-d, b is 3-d/,
    call: () => frechetDistance(statsOf(8, 2), statsOf(8, 3)),
  },
  {
    row: 'frechet eps',
    fn: 'frechetDistance',
    arg: 'eps',
    tail: /eps must be a finite number ≥ 0, got -1/,
    call: () => frechetDistance(statsOf(8, 2), statsOf(8, 2), { eps: -1 }),
  },
  {
    row: 'frechet onWarning',
    fn: 'frechetDistance',
    arg: 'onWarning',
    tail: /onWarning must be a function or null, got true/,
    call: () => frechetDistance(statsOf(8, 2), statsOf(8, 2), { onWarning: true as never }),
  },
  {
    row: '134 (frechetDistance)',
    fn: 'frechetDistance',
    arg: 'options',
    tail: /options must be an object, got null/,
    call: () => frechetDistance(statsOf(8, 2), statsOf(8, 2), null as never),
  },
  {
    row: '86',
    fn: 'traceSqrtProduct',
    arg: 'a',
    tail: /a must hold 16 values \(4 × 4, row-major\), got 15/,
    call: () => traceSqrtProduct(new Float64Array(15), new Float64Array(16), 4),
  },
  {
    row: '86 (non-finite)',
    fn: 'traceSqrtProduct',
    arg: 'b',
    tail: /b must hold finite values, got NaN at \[1, 0\]/,
    call: () => {
      const b = new Float64Array(4);
      b[2] = Number.NaN;
      return traceSqrtProduct(new Float64Array(4), b, 2);
    },
  },
  {
    row: '86 (n)',
    fn: 'traceSqrtProduct',
    arg: 'n',
    tail: /n must be an integer ≥ 0, got 1\.5/,
    call: () => traceSqrtProduct([], [], 1.5),
  },

  // KID
  {
    row: '29 (0-d)',
    fn: 'kernelInceptionDistance',
    arg: 'a',
    tail: /a has 0-d features \(empty rows\)/,
    call: () => kernelInceptionDistance([[], []], [[], []]),
  },
  {
    row: '29 (non-finite)',
    fn: 'kernelInceptionDistance',
    arg: 'b',
    tail: /b holds non-finite values \(NaN in row 1\)/,
    call: () =>
      kernelInceptionDistance(rowsOf(4, 2), [
        [0, 1],
        [2, Number.NaN],
        [3, 4],
      ]),
  },
  {
    row: '29 (polynomialMmd2)',
    fn: 'polynomialMmd2',
    arg: 'a',
    tail: /a holds non-finite values \(Infinity in row 0\)/,
    call: () =>
      polynomialMmd2({ values: [Number.POSITIVE_INFINITY, 1, 2, 3], dim: 2 }, rowsOf(3, 2)),
  },
  {
    row: '30 (range)',
    fn: 'polynomialMmd2',
    arg: 'rowsA',
    tail: /rowsA must be distinct integers in \[0, 9\], got 120 at index 1/,
    call: () => polynomialMmd2(rowsOf(10, 2), rowsOf(10, 2, 1), [0, 120, 3]),
  },
  {
    row: '30 (repeat)',
    fn: 'polynomialMmd2',
    arg: 'rowsB',
    tail: /rowsB must be distinct integers in \[0, 9\], got 2 at index 2 \(a repeat\)/,
    call: () => polynomialMmd2(rowsOf(10, 2), rowsOf(10, 2, 1), undefined, [1, 2, 2]),
  },
  {
    row: '30 (non-integer)',
    fn: 'polynomialMmd2',
    arg: 'rowsA',
    tail: /rowsA must be distinct integers in \[0, 9\], got 1\.5 at index 0/,
    call: () => polynomialMmd2(rowsOf(10, 2), rowsOf(10, 2, 1), [1.5, 2]),
  },
  {
    row: '30 (too few)',
    fn: 'polynomialMmd2',
    arg: 'rowsA',
    tail: /rowsA must hold at least 2 samples \(row indices\), got 1/,
    call: () => polynomialMmd2(rowsOf(10, 2), rowsOf(10, 2, 1), [3]),
  },
  {
    row: '72 (FeatureStats)',
    fn: 'kernelInceptionDistance',
    arg: 'a',
    tail: /a must be rows \(arrays of numbers\) or \{ values, dim \}, got a FeatureStats; statistics hold no feature rows; use extractFeatures\(…, \{ keepFeatures: true \}\)\.features/,
    call: () => kernelInceptionDistance(statsOf(8, 2) as never, rowsOf(8, 2)),
  },
  {
    row: '72 (tensor)',
    fn: 'kernelInceptionDistance',
    arg: 'b',
    tail: /b must be rows \(arrays of numbers\) or \{ values, dim \}, got a float32 tf\.Tensor of shape \[8,4\]; read it with await t\.array\(\)/,
    call: () => kernelInceptionDistance(rowsOf(8, 4), t.ones84 as never),
  },
  {
    row: '72 (object)',
    fn: 'kernelInceptionDistance',
    arg: 'a.dim',
    tail: /a\.dim must be a positive integer, got undefined/,
    call: () => kernelInceptionDistance({ values: [1, 2, 3, 4] } as never, rowsOf(8, 2)),
  },
  {
    row: '84 (empty)',
    fn: 'kernelInceptionDistance',
    arg: 'a',
    tail: /a is empty/,
    call: () => kernelInceptionDistance([], rowsOf(8, 2)),
  },
  {
    row: '84 (flat)',
    fn: 'kernelInceptionDistance',
    arg: 'a',
    tail: /a must be rows \(arrays of numbers\) or \{ values, dim \}, got an array of 12; for 12 flat numbers give \{ values, dim \}/,
    call: () => kernelInceptionDistance(Array.from(flat(6, 2)) as never, rowsOf(8, 2)),
  },
  {
    row: '84 (one row)',
    fn: 'kernelInceptionDistance',
    arg: 'b',
    tail: /b must hold at least 2 samples \(rows\), got 1/,
    call: () => kernelInceptionDistance(rowsOf(8, 2), rowsOf(1, 2)),
  },
  {
    row: '85',
    fn: 'polynomialMmd2',
    arg: 'b',
    tail: /a has 2-d features, b 3-d/,
    call: () => polynomialMmd2(rowsOf(4, 2), rowsOf(4, 3)),
  },
  {
    row: '85 (rows)',
    fn: 'polynomialMmd2',
    arg: 'a',
    tail: /a row 1 has 3 values, row 0 has 2/,
    call: () =>
      polynomialMmd2(
        [
          [1, 2],
          [1, 2, 3],
        ],
        rowsOf(4, 2),
      ),
  },
  {
    row: 'KID subsetSize',
    fn: 'kernelInceptionDistance',
    arg: 'subsetSize',
    tail: /subsetSize must be an integer in \[2, 6\], got 7; the smaller set holds 6/,
    call: () => kernelInceptionDistance(rowsOf(6, 2), rowsOf(9, 2), { subsetSize: 7 }),
  },
  {
    row: 'KID subsets',
    fn: 'kernelInceptionDistance',
    arg: 'subsets',
    tail: /subsets must be a positive integer, got 0/,
    call: () => kernelInceptionDistance(rowsOf(6, 2), rowsOf(6, 2), { subsets: 0 }),
  },
  {
    row: '90 (KID)',
    fn: 'kernelInceptionDistance',
    arg: 'seed',
    tail: /seed must be an integer in \[0, 2\^32\), got -1/,
    call: () => kernelInceptionDistance(rowsOf(6, 2), rowsOf(6, 2), { seed: -1 }),
  },
  {
    row: '134 (KID)',
    fn: 'kernelInceptionDistance',
    arg: 'options',
    tail: /options must be an object, got null/,
    call: () => kernelInceptionDistance(rowsOf(6, 2), rowsOf(6, 2), null as never),
  },

  // npz / npy
  {
    row: '27',
    fn: 'writeNpzStats',
    arg: 'stats',
    tail: /stats must be \{ mean, covariance \} arrays, got a FeatureStats; pass \{ mean: s\.mean\(\), covariance: s\.covariance\(\) \}/,
    call: () => writeNpzStats(statsOf(8, 2) as unknown as GaussianStats),
  },
  {
    row: '27 (empty)',
    fn: 'writeNpzStats',
    arg: 'stats.mean',
    tail: /stats\.mean is empty/,
    call: () => writeNpzStats({ mean: [], covariance: [] }),
  },
  {
    row: '27 (covariance)',
    fn: 'writeNpzStats',
    arg: 'stats.covariance',
    tail: /stats\.covariance has 3 values, not 2² = 4/,
    call: () => writeNpzStats({ mean: [0, 0], covariance: [1, 0, 1] }),
  },
  {
    row: '87',
    fn: 'readNpy',
    arg: 'bytes',
    tail: /bytes must be a Uint8Array, got an ArrayBuffer of 128 bytes; wrap it/,
    call: () => readNpy(new ArrayBuffer(128) as never),
  },
  {
    row: '87 (magic)',
    fn: 'readNpy',
    arg: 'bytes',
    tail: /bytes is not a \.npy file/,
    call: () => readNpy(new Uint8Array(4)),
  },
  {
    row: '87 (readNpzStats)',
    fn: 'readNpzStats',
    arg: 'bytes',
    tail: /bytes must be a Uint8Array, got undefined/,
    call: () => readNpzStats(undefined as never),
  },
  {
    row: 'writeNpy shape',
    fn: 'writeNpy',
    arg: 'shape',
    tail: /shape must be an array of integers ≥ 0, got \[2\.5, 2\]/,
    call: () => writeNpy([1, 2, 3, 4, 5], [2.5, 2]),
  },
  {
    row: 'writeNpy fill',
    fn: 'writeNpy',
    arg: 'values',
    tail: /values \(5 of them\) do not fill shape \(2,3\), which holds 6/,
    call: () => writeNpy([1, 2, 3, 4, 5], [2, 3]),
  },

  // extractFeatures
  {
    row: '31',
    fn: 'extractFeatures',
    arg: 'images',
    tail: /images are int32: give range \(e\.g\. \[0, 255\]\); the default \[-1, 1\] is for float32 tanh images/,
    call: () => extractFeatures(t.int as tf.Tensor4D, extractor),
  },
  {
    row: '31 (a batch of an iterable)',
    fn: 'extractFeatures',
    arg: 'images batch 0',
    tail: /images batch 0 are int32: give range/,
    // Batches of an iterable are disposed after use: this one is its own.
    call: () => extractFeatures([tf.zeros([2, 8, 8, 3], 'int32') as tf.Tensor4D], extractor),
  },
  {
    row: '32',
    fn: 'extractFeatures',
    arg: 'images',
    tail: /images\(4, 0\) returned 0 images; a function source must return the n images asked for/,
    call: () =>
      extractFeatures(() => tf.zeros([0, 8, 8, 3]) as tf.Tensor4D, extractor, {
        samples: 10,
        batchSize: 4,
      }),
  },
  {
    row: '74 (extractor)',
    fn: 'extractFeatures',
    arg: 'extractor',
    tail: /extractor must be a FeatureExtractor \{ name, dim, inputSize, extract \}, got undefined/,
    call: () => extractFeatures(t.grey as tf.Tensor4D, undefined as never),
  },
  {
    row: '74 (extractor.dim)',
    fn: 'extractFeatures',
    arg: 'extractor.dim',
    tail: /extractor\.dim must be a positive integer, got 0/,
    call: () => extractFeatures(t.grey as tf.Tensor4D, { ...wrongRows(1), dim: 0 }),
  },
  {
    row: '74 (RawImage batches)',
    fn: 'extractFeatures',
    arg: 'images batch 0',
    tail: /images batch 0 must be a tf\.Tensor \[n, h, w, c\], got an object \{width, height, channels, data\}; make tensors of RawImages with imagesToTensor\(\)/,
    call: () =>
      extractFeatures(
        [{ width: 8, height: 8, channels: 3, data: new Uint8Array(192) }] as never,
        extractor,
      ),
  },
  {
    row: '74 (source)',
    fn: 'extractFeatures',
    arg: 'images',
    tail: /images must be a tf\.Tensor \[n, h, w, c\], an iterable or async iterable of such batches, or a function \(n, index\) => batch, got 'a\.png'/,
    call: () => extractFeatures('a.png' as never, extractor),
  },
  {
    row: 'extract channels',
    fn: 'extractFeatures',
    arg: 'images',
    tail: /images must have shape \[n, h, w, 3\] or \[n, h, w, 1\], got \[2,8,8,4\]/,
    call: () => extractFeatures(t.wrongChannels as tf.Tensor4D, extractor),
  },
  {
    row: 'extract samples (function)',
    fn: 'extractFeatures',
    arg: 'samples',
    tail: /samples is required when images is a function: give `samples`/,
    call: () => extractFeatures(() => t.grey as tf.Tensor4D, extractor),
  },
  {
    row: 'extract samples',
    fn: 'extractFeatures',
    arg: 'samples',
    tail: /samples must be a positive integer, got 1\.5/,
    call: () => extractFeatures(t.grey as tf.Tensor4D, extractor, { samples: 1.5 }),
  },
  {
    row: 'extract batchSize',
    fn: 'extractFeatures',
    arg: 'batchSize',
    tail: /batchSize must be a positive integer, got 0/,
    call: () => extractFeatures(t.grey as tf.Tensor4D, extractor, { batchSize: 0 }),
  },
  {
    row: 'extract range',
    fn: 'extractFeatures',
    arg: 'range',
    tail: /range must be an increasing pair of finite numbers \[lo, hi\], got \[255, 0\]/,
    call: () => extractFeatures(t.grey as tf.Tensor4D, extractor, { range: [255, 0] }),
  },
  {
    row: 'extract keepFeatures',
    fn: 'extractFeatures',
    arg: 'keepFeatures',
    tail: /keepFeatures must be true or false, got 'yes'/,
    call: () => extractFeatures(t.grey as tf.Tensor4D, extractor, { keepFeatures: 'yes' as never }),
  },
  {
    row: 'extract onProgress',
    fn: 'extractFeatures',
    arg: 'onProgress',
    tail: /onProgress must be a function \(done, total\) => void, got true/,
    call: () => extractFeatures(t.grey as tf.Tensor4D, extractor, { onProgress: true as never }),
  },
  {
    row: '119',
    fn: 'extractFeatures',
    arg: 'resize',
    tail: /resize must be 'bilinear' \| 'nearest', got 'toString'/,
    call: () => extractFeatures(t.grey as tf.Tensor4D, extractor, { resize: 'toString' as never }),
  },
  {
    row: '128',
    fn: 'extractFeatures',
    arg: 'extractor',
    tail: /extractor broken returned shape \[3,4\] for 2 images, expected \[2, 4\]/,
    call: () => extractFeatures(t.grey as tf.Tensor4D, wrongRows(3)),
  },
  {
    row: '134 (extractFeatures)',
    fn: 'extractFeatures',
    arg: 'options',
    tail: /options must be an object, got null/,
    call: () => extractFeatures(t.grey as tf.Tensor4D, extractor, null as never),
  },

  // extractors
  {
    row: '89',
    fn: 'randomConvExtractor',
    arg: 'size',
    tail: /size must be an integer ≥ 4, got 2/,
    call: () => randomConvExtractor({ size: 2 }),
  },
  {
    row: '89 (dim)',
    fn: 'randomConvExtractor',
    arg: 'dim',
    tail: /dim must be a positive integer, got 0/,
    call: () => randomConvExtractor({ dim: 0 }),
  },
  {
    row: '90 (randomConvExtractor)',
    fn: 'randomConvExtractor',
    arg: 'seed',
    tail: /seed must be an integer in \[0, 2\^32\), got 1\.5/,
    call: () => randomConvExtractor({ seed: 1.5 }),
  },
  {
    row: '134 (randomConvExtractor)',
    fn: 'randomConvExtractor',
    arg: 'options',
    tail: /options must be an object, got null/,
    call: () => randomConvExtractor(null as never),
  },
  {
    row: '77 (randomConvExtractor.extract)',
    fn: 'randomConvExtractor.extract',
    arg: 'images',
    tail: /images must have shape \[n, 8, 8, 3\] \(RGB in \[0, 1\]; extractFeatures resizes and converts\), got \[2,8,8,1\]/,
    call: () => extractor.extract(t.rgb1 as tf.Tensor4D),
  },
  {
    row: '77 (dtype)',
    fn: 'randomConvExtractor.extract',
    arg: 'images',
    tail: /images must be float32, got int32/,
    call: () => extractor.extract(t.int as tf.Tensor4D),
  },
  {
    row: '77 (loadInceptionV3.extract, its check)',
    fn: 'loadInceptionV3.extract',
    arg: 'images',
    tail: /images must have shape \[n, h, w, 3\] with h, w ≥ 75 .*, got \[2,8,8,3\]/,
    call: () => checkExtractorImages('loadInceptionV3.extract', t.grey, { minSize: 75 }),
  },
  {
    row: '76',
    fn: 'loadInceptionV3',
    arg: 'options',
    tail: /options must be an options object \(it is required\), got undefined/,
    call: () => loadInceptionV3(undefined as never),
  },
  {
    row: '76 (from)',
    fn: 'loadInceptionV3',
    arg: 'from',
    tail: /from must be a path or URL of model\.json \(a non-empty string\), got 42/,
    call: () => loadInceptionV3({ from: 42 as never }),
  },
  {
    row: '76 (neither)',
    fn: 'loadInceptionV3',
    arg: 'from',
    tail: /give `from` \(path or URL of model\.json\) or `weights`/,
    call: () => loadInceptionV3({}),
  },
  {
    row: '76 (BatchNorm shape)',
    fn: 'loadInceptionV3',
    arg: 'weights',
    tail: /weights Conv2d_1a_3x3\.bn\.weight has shape \[16\], expected \[32\]/,
    call: async () => {
      const weights = {
        'Conv2d_1a_3x3.conv.weight': tf.zeros([32, 3, 3, 3]),
        'Conv2d_1a_3x3.bn.weight': tf.zeros([16]),
      };
      try {
        return await loadInceptionV3({ weights });
      } finally {
        tf.dispose(Object.values(weights));
      }
    },
  },
  {
    row: '76 (not a tensor)',
    fn: 'loadInceptionV3',
    arg: "weights['Conv2d_1a_3x3.conv.weight']",
    tail: /must be a tf\.Tensor, got an array of 32/,
    call: () =>
      loadInceptionV3({ weights: { 'Conv2d_1a_3x3.conv.weight': new Array(32) } as never }),
  },
  {
    row: '129',
    fn: 'scoreLabel',
    arg: 'metric',
    tail: /metric must be 'FID' \| 'KID', got 'fid'/,
    call: () => scoreLabel({ name: 'x', standard: false }, 'fid' as never),
  },
  {
    row: 'scoreLabel extractor',
    fn: 'scoreLabel',
    arg: 'extractor',
    tail: /extractor must be a FeatureExtractor \(or \{ name, standard \}\), got undefined/,
    call: () => scoreLabel(undefined as never),
  },
];

describe(`@gan/fid misuse: every error names the function and the argument [${testBackend()}]`, () => {
  beforeAll(() => {
    t.zeros24 = tf.zeros([2, 4]);
    t.ones84 = tf.ones([8, 4]);
    t.grey = tf.zeros([2, 8, 8, 3]);
    t.int = tf.zeros([2, 8, 8, 3], 'int32');
    t.wrongChannels = tf.zeros([2, 8, 8, 4]);
    t.rgb1 = tf.zeros([2, 8, 8, 1]);
    extractor = randomConvExtractor({ dim: 4, size: 8 });
  });
  afterAll(() => {
    tf.dispose(Object.values(t));
    extractor.dispose();
  });

  it.each(cases)('#$row: $fn ($arg)', async ({ fn, arg, tail, call }) => {
    const before = tf.memory().numTensors;
    await expectArgErrorAsync(call, fn, arg, tail);
    // A refused call leaves nothing behind.
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the issue: FeatureStats.add(tensor) throws at once, saying add takes numbers and addTensor tensors', async () => {
    const features = tf.zeros([2, 4]);
    expectArgError(
      () => new FeatureStats(4).add(features as unknown as number[]),
      'FeatureStats.add',
      'rows',
      /must be an array or typed array of numbers, got a float32 tf\.Tensor of shape \[2,4\]; add\(\) takes numbers; use await addTensor\(features\) for a tf\.Tensor/,
    );
    // …and the advice works.
    const stats = await new FeatureStats(4).addTensor(features as tf.Tensor2D);
    expect(stats.count).toBe(2);
    features.dispose();
  });

  it('previously silent: a FeatureStats from another copy of the package scores like this one (not 0)', () => {
    const [a, b] = [statsOf(12, 3), statsOf(12, 3, 2)];
    // What another build's FeatureStats looks like here: the same members, not this class.
    const foreign = {
      dim: a.dim,
      count: a.count,
      meta: {},
      mean: () => a.mean(),
      covariance: () => a.covariance(),
      addTensor: async () => foreign,
    };
    expect(foreign instanceof FeatureStats).toBe(false);
    const expected = frechetDistance(a, b, { onWarning: null });
    expect(expected).toBeGreaterThan(0.01);
    expect(frechetDistance(foreign as never, b, { onWarning: null })).toBe(expected);
  });

  it('correct calls are unchanged: int32 images with a range, an explicit subset, sized extractors', async () => {
    const ints = tf.fill([3, 8, 8, 3], 128, 'int32') as tf.Tensor4D;
    const floats = tf.fill([3, 8, 8, 3], 128 / 255, 'float32') as tf.Tensor4D;
    const viaRange = await extractFeatures(ints, extractor, { range: [0, 255] });
    const viaFloat = await extractFeatures(floats, extractor, { range: [0, 1] });
    expect(Array.from(viaRange.stats.mean())).toEqual(Array.from(viaFloat.stats.mean()));
    tf.dispose([ints, floats]);
    const [a, b] = [rowsOf(10, 2), rowsOf(10, 2, 1)];
    expect(polynomialMmd2(a, b, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe(polynomialMmd2(a, b));
    expect(inceptionV3Parameters().length).toBeGreaterThan(0);
  });
});
