import { expectArgError, expectArgErrorAsync, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeBlob, imageFiles, imageUrls } from './browser/loaders';
import {
  centerCrop,
  composite,
  Dataset,
  diffAugment,
  diffAugmentation,
  encodeGif,
  encodePng,
  grayscale,
  ImageDataset,
  imageGrid,
  imagesToTensor,
  letterbox,
  parseColor,
  pixelHash,
  preprocess,
  randomFlip,
  randomFlipBatch,
  rawImage,
  resize,
  toImageTensor,
  toRgb,
  toUint8,
} from './index';

// Each row: [audit row, call, fn, arg, message tail]. The tensors are made once (tiny) and
// disposed at the end: a check that throws leaves nothing allocated.
type Case = [string, () => unknown, string, string, RegExp];

const never = (value: unknown) => value as never;
const t = {} as Record<'image3d' | 'batch' | 'int' | 'empty' | 'two' | 'gray', tf.Tensor>;
const img = () => rawImage(2, 2, 3);
const rgba = { width: 2, height: 1, data: new Uint8Array(8) };
const dataset = () =>
  new ImageDataset(
    { length: 2, get: () => img() },
    { images: 2, skipped: [], duplicates: 0, fromCache: false },
  );

const cases: Case[] = [
  // #13 (H1): rank-3 images broadcast through `where` and flipped the channels.
  [
    '#13',
    () => randomFlipBatch(t.image3d, 1),
    'randomFlipBatch',
    'images',
    /images must have rank 4 \(\[n, h, w, c\]\), got shape \[2,2,3\]$/,
  ],
  [
    '#13',
    () => randomFlipBatch(never([1, 2]), 1),
    'randomFlipBatch',
    'images',
    /images must be a tf.Tensor, got an array of 2$/,
  ],
  ['#13 (M)', () => randomFlipBatch(t.batch, -1), 'randomFlipBatch', 'seed', /got -1$/],
  // #14 (H1): p NaN always flipped.
  [
    '#14',
    () => randomFlip(img(), 1, 0, 0, Number.NaN),
    'randomFlip',
    'p',
    /p must be a probability in \[0, 1\], got NaN$/,
  ],
  ['#14', () => randomFlipBatch(t.batch, 1, 2), 'randomFlipBatch', 'p', /probability.*got 2$/],
  ['#14 (M)', () => randomFlip(img(), 1.5, 0, 0), 'randomFlip', 'seed', /got 1.5$/],
  ['#14 (M)', () => randomFlip(img(), 1, Number.NaN, 0), 'randomFlip', 'epoch', /got NaN$/],
  ['#14 (M)', () => randomFlip(img(), 1, 0, -1), 'randomFlip', 'index', /≥ 0, got -1$/],
  ['#25', () => randomFlip(never(t.batch), 1, 0, 0), 'randomFlip', 'image', /got a float32/],
  // #15 (H1): a missing seed gave every call the same augmentation.
  [
    '#15',
    () => diffAugment(t.batch, never(undefined)),
    'diffAugment',
    'seed',
    /seed must be an integer in \[0, 2\^32\), got undefined$/,
  ],
  ['#15', () => diffAugment(t.batch, Number.NaN), 'diffAugment', 'seed', /got NaN$/],
  // #65: translation / cutout, at once (diffAugmentation: at the factory, not the first step).
  [
    '#65',
    () => diffAugmentation({ translation: -0.1 }),
    'diffAugmentation',
    'translation',
    /translation must be a finite number in \[0, 1\], got -0.1$/,
  ],
  [
    '#65',
    () => diffAugment(t.batch, 1, { cutout: Number.NaN }),
    'diffAugment',
    'cutout',
    /cutout must be a finite number in \[0, 1\], got NaN$/,
  ],
  // #66
  [
    '#66',
    () => diffAugment(t.int, 1),
    'diffAugment',
    'images',
    /images must be float32, got int32$/,
  ],
  [
    '#66',
    () => diffAugment(t.image3d, 1),
    'diffAugment',
    'images',
    /must have rank 4 \(\[n, h, w, c\]\), got shape \[2,2,3\]$/,
  ],
  ['#66', () => diffAugment(t.empty, 1), 'diffAugment', 'images', /images is empty/],
  // #116: policies as a string iterated its characters.
  [
    '#116',
    () => diffAugmentation({ policies: never('color') }),
    'diffAugmentation',
    'policies',
    /policies must be an array of 'color' \| 'translation' \| 'cutout', got 'color'$/,
  ],
  [
    '#116',
    () => diffAugment(t.batch, 1, { policies: never(['colour']) }),
    'diffAugment',
    'policies[0]',
    /policies\[0\] must be 'color' \| 'translation' \| 'cutout', got 'colour'$/,
  ],
  ['#134', () => diffAugment(t.batch, 1, never(null)), 'diffAugment', 'options', /got null$/],
  // #16 (H1): non-uint8 arrays ignored `shape` and gave a 1-D tensor.
  [
    '#16',
    () => toImageTensor(never(new Float32Array(12)), [1, 2, 2, 3]),
    'toImageTensor',
    'pixels',
    /pixels must be a tf.Tensor, Uint8Array or Uint8ClampedArray, got a Float32Array of 12$/,
  ],
  ['#16', () => toImageTensor(never([0, 255])), 'toImageTensor', 'pixels', /got an array of 2$/],
  [
    '#16',
    () => toImageTensor(t.batch, [4, 3]),
    'toImageTensor',
    'shape',
    /shape is only for typed arrays; pixels is a tf.Tensor of shape \[1,2,2,3\], got shape \[4,3\]$/,
  ],
  [
    '#126',
    () => toImageTensor(new Uint8Array(4), [-2, -2]),
    'toImageTensor',
    'shape[0]',
    /shape\[0\] must be an integer ≥ 0, got -2$/,
  ],
  ['L', () => toUint8(never([1])), 'toUint8', 'images', /must be a tf.Tensor, got an array/],
  // #19 (H1): a tensor (no `length`) made an empty dataset.
  [
    '#19',
    () => Dataset.fromArray(never(t.batch)),
    'Dataset.fromArray',
    'items',
    /items must be an array, got a float32 tf.Tensor of shape \[1,2,2,3\]$/,
  ],
  [
    'M',
    () => Dataset.fromIndexed(never({ length: 2 })),
    'Dataset.fromIndexed',
    'items',
    /items must be an Indexed \{ length, get\(index\) \}, got an object \{length\}$/,
  ],
  // #20 (H1): NaN took everything with length NaN; 1.5 took 2.
  [
    '#20',
    () => Dataset.fromArray([1, 2, 3]).take(Number.NaN),
    'Dataset.take',
    'n',
    /n must be an integer ≥ 0 or Infinity, got NaN$/,
  ],
  ['#20', () => Dataset.fromArray([1, 2, 3]).take(1.5), 'Dataset.take', 'n', /got 1.5$/],
  // #21 (H1)
  [
    '#21',
    () => Dataset.fromArray([1, 2, 3]).shuffle(1, 0),
    'Dataset.shuffle',
    'bufferSize',
    /bufferSize must be a positive integer or Infinity, got 0$/,
  ],
  [
    '#21',
    () => Dataset.fromArray([1, 2, 3]).shuffle(Number.NaN),
    'Dataset.shuffle',
    'seed',
    /seed must be an integer in \[0, 2\^32\), got NaN$/,
  ],
  // #70: functions checked when the dataset is made, not when it is iterated.
  [
    '#70',
    () => Dataset.fromArray([1]).map(never(undefined)),
    'Dataset.map',
    'fn',
    /fn must be a function, got undefined$/,
  ],
  ['#70', () => new Dataset(never('items')), 'Dataset', 'source', /got 'items'$/],
  [
    '#115',
    () => Dataset.fromArray([1]).batch(0),
    'Dataset.batch',
    'size',
    /size must be a positive integer, got 0$/,
  ],
  [
    'M',
    () => Dataset.fromArray([1]).batch(1, { dropRemainder: never('no') }),
    'Dataset.batch',
    'dropRemainder',
    /must be true or false, got 'no'$/,
  ],
  ['#134', () => Dataset.fromArray([1]).batch(1, never(null)), 'Dataset.batch', 'options', /null$/],
  [
    '#115',
    () => Dataset.fromArray([1]).prefetch(0),
    'Dataset.prefetch',
    'n',
    /n must be a positive integer, got 0$/,
  ],
  [
    'M',
    () => Dataset.fromArray([1]).prefetch(1, { discard: never(true) }),
    'Dataset.prefetch',
    'discard',
    /discard must be a function, got true$/,
  ],
  ['M', () => Dataset.fromArray([1]).iterate(-1), 'Dataset.iterate', 'epoch', /got -1$/],
  // #115: ImageDataset.batches under its own name.
  [
    '#115',
    () => dataset().batches(0),
    'ImageDataset.batches',
    'size',
    /size must be a positive integer, got 0$/,
  ],
  [
    '#115',
    () => dataset().batches(2, { prefetch: 0 }),
    'ImageDataset.batches',
    'prefetch',
    /prefetch must be a positive integer, got 0$/,
  ],
  [
    '#115 (M)',
    () => dataset().batches(2, { shuffle: never('1') }),
    'ImageDataset.batches',
    'shuffle',
    /shuffle must be an integer in \[0, 2\^32\), got '1'$/,
  ],
  ['M', () => dataset().batches(2, { flip: never(1) }), 'ImageDataset.batches', 'flip', /got 1$/],
  ['L', () => dataset().get(1.5), 'ImageDataset.get', 'index', /index 1.5 is outside 0…1$/],
  [
    'M',
    () => new ImageDataset(never([img()]), never({})),
    'ImageDataset',
    'images',
    /images must be an Indexed/,
  ],
  // #23 (H1): short image data was zero-filled.
  [
    '#23',
    () => imagesToTensor([img(), { ...img(), data: new Uint8Array(5) }]),
    'imagesToTensor',
    'images[1].data',
    /images\[1\].data has 5 bytes, a 2×2×3 image holds 12$/,
  ],
  [
    '#68',
    () => imagesToTensor(never(undefined)),
    'imagesToTensor',
    'images',
    /images must be an array of RawImage, got undefined$/,
  ],
  ['#68', () => imagesToTensor([]), 'imagesToTensor', 'images', /images is empty$/],
  [
    '#68',
    () => imagesToTensor([img(), rawImage(1, 1, 3)]),
    'imagesToTensor',
    'image 1',
    /image 1 is 1×1×3, the first 2×2×3$/,
  ],
  // #24 (H1): [r, g] and NaN entries became 0 bytes; 'constructor' passed the named lookup.
  [
    '#24',
    () => parseColor(never([255, 0])),
    'parseColor',
    'color',
    /color must be '#rrggbb', 'white', 'black', 'gray' or \[r, g, b\] with 3 finite numbers, got an array of 2$/,
  ],
  ['#24', () => parseColor([255, Number.NaN, 0]), 'parseColor', 'color', /got an array of 3$/],
  ['#24', () => parseColor('constructor'), 'parseColor', 'color', /got 'constructor'$/],
  [
    '#24',
    () => preprocess(img(), { resolution: 2, background: 'blue' }),
    'preprocess',
    'background',
    /background must be '#rrggbb'.*, got 'blue'$/,
  ],
  // #25 (H1): composite returned a tensor unchanged; channels 2 gave wrong pixels.
  [
    '#25',
    () => composite(never(t.batch)),
    'composite',
    'image',
    /image must be a RawImage \{ width, height, channels: 1 \| 3 \| 4, data \}, got a float32 tf.Tensor of shape \[1,2,2,3\]$/,
  ],
  [
    '#25',
    () => grayscale({ ...img(), channels: never(2) }),
    'grayscale',
    'image.channels',
    /image.channels must be 1, 3 or 4, got 2$/,
  ],
  ['#25', () => toRgb(never(undefined)), 'toRgb', 'image', /got undefined$/],
  ['#25', () => composite(img(), never([0, 0])), 'composite', 'background', /array of 2$/],
  ['L', () => pixelHash(never({ data: [] })), 'pixelHash', 'image', /got an object \{data\}$/],
  // #26 (H1): width 0 wrote an invalid PNG.
  [
    '#26',
    () => encodePng({ width: 0, height: 1, data: new Uint8Array(0) }),
    'encodePng',
    'image.width',
    /image.width must be a positive integer, got 0$/,
  ],
  [
    '#68',
    () => encodePng({ width: 1, height: 1, data: never([0, 0, 0, 255]) }),
    'encodePng',
    'image.data',
    /image.data must be a Uint8Array, got an array of 4$/,
  ],
  [
    'L',
    () => encodePng({ width: 2, height: 1, data: new Uint8Array(4) }),
    'encodePng',
    'image.data',
    /image.data has 4 bytes, a 2×1×4 image holds 8$/,
  ],
  // #68 / #125
  [
    '#68',
    () => encodeGif(never(undefined)),
    'encodeGif',
    'frames',
    /frames must be an array of RgbaImage, got undefined$/,
  ],
  ['#68', () => encodeGif([]), 'encodeGif', 'frames', /frames is empty$/],
  [
    '#125',
    () => encodeGif([rgba], { delay: -5 }),
    'encodeGif',
    'delay',
    /delay must be a finite number ≥ 0, got -5$/,
  ],
  [
    '#125',
    () => encodeGif([rgba], { repeat: 2.5 }),
    'encodeGif',
    'repeat',
    /repeat must be an integer ≥ -1, got 2.5$/,
  ],
  [
    'L',
    () => encodeGif([rgba, { width: 1, height: 2, data: new Uint8Array(8) }]),
    'encodeGif',
    'frame 1',
    /frame 1 is 1×2, the first 2×1$/,
  ],
  ['#134', () => encodeGif([rgba], never(null)), 'encodeGif', 'options', /got null$/],
  // #111 / #113 / #120: sizes and methods under the function called, not rawImage / resize.
  [
    '#111',
    () => centerCrop(img(), 0, 1),
    'centerCrop',
    'width',
    /width must be a positive integer, got 0$/,
  ],
  [
    'L',
    () => centerCrop(img(), 3, 1),
    'centerCrop',
    'width',
    /width × height 3×1 is larger than the 2×2 image$/,
  ],
  [
    '#111',
    () => letterbox(img(), 0),
    'letterbox',
    'size',
    /size must be a positive integer, got 0$/,
  ],
  [
    '#113',
    () => letterbox(img(), 2, 'white', never('nearest')),
    'letterbox',
    'method',
    /method must be 'area' \| 'bilinear' \| 'bicubic' \| 'lanczos', got 'nearest'$/,
  ],
  ['#111', () => resize(img(), 1.5, 2), 'resize', 'width', /got 1.5$/],
  // 'constructor' passed the FILTERS lookup and gave an all-zero image.
  [
    '#120',
    () => resize(img(), 2, 2, never('constructor')),
    'resize',
    'method',
    /got 'constructor'$/,
  ],
  [
    '#111',
    () => rawImage(0, 1, 1),
    'rawImage',
    'width',
    /width must be a positive integer, got 0$/,
  ],
  ['#111 (M)', () => rawImage(1, 1, never(2)), 'rawImage', 'channels', /must be 1, 3 or 4, got 2$/],
  [
    '#111',
    () => rawImage(2, 1, 1, new Uint8Array(3)),
    'rawImage',
    'data',
    /data has 3 bytes, a 2×1×1 image holds 2$/,
  ],
  // #63 / #112
  [
    '#63',
    () => preprocess(img(), never(undefined)),
    'preprocess',
    'options',
    /options must be an options object \(it is required\), got undefined$/,
  ],
  [
    '#112',
    () => preprocess(img(), { resolution: 2, method: never('nearest') }),
    'preprocess',
    'method',
    /method must be 'area' \| 'bilinear' \| 'bicubic' \| 'lanczos', got 'nearest'$/,
  ],
  [
    '#112',
    () => preprocess(img(), { resolution: 2, channels: never(4) }),
    'preprocess',
    'channels',
    /channels must be 1 or 3, got 4$/,
  ],
  [
    '#112',
    () => preprocess(img(), { resolution: 2, fit: never('zoom') }),
    'preprocess',
    'fit',
    /fit must be 'cover' \| 'contain' \| 'fill', got 'zoom'$/,
  ],
];

// Functions that return promises: they reject (before any fetch, decode or tensor read).
const asyncCases: Case[] = [
  // #18 (H1): an empty batch gave { width: 2, height: NaN }.
  [
    '#18',
    () => imageGrid(t.empty),
    'imageGrid',
    'images',
    /images is empty \(shape \[0,2,2,3\]\)$/,
  ],
  [
    '#18',
    () => imageGrid(t.two),
    'imageGrid',
    'images',
    /images must have 1 or 3 channels \(\[n, h, w, 1 \| 3\]\), got shape \[1,2,2,2\]$/,
  ],
  // #67
  [
    '#67',
    () => imageGrid(t.gray, { cols: 0 }),
    'imageGrid',
    'cols',
    /cols must be a positive integer, got 0$/,
  ],
  [
    '#67',
    () => imageGrid(t.gray, { padding: -1 }),
    'imageGrid',
    'padding',
    /padding must be an integer ≥ 0, got -1$/,
  ],
  [
    '#67',
    () => imageGrid(t.gray, { background: 'none' }),
    'imageGrid',
    'background',
    /got 'none'$/,
  ],
  ['#134', () => imageGrid(t.gray, never(null)), 'imageGrid', 'options', /got null$/],
  // #17 (H1): the options were checked only per image, after every fetch and decode.
  [
    '#17',
    () => imageUrls(['a.png'], { resolution: 0 }),
    'imageUrls',
    'resolution',
    /resolution must be a positive integer, got 0$/,
  ],
  [
    '#17',
    () => imageUrls(['a.png'], { resolution: 4, background: 'transparent' }),
    'imageUrls',
    'background',
    /got 'transparent'$/,
  ],
  [
    '#17',
    () => imageFiles([], { resolution: 4, method: never('nearest') }),
    'imageFiles',
    'method',
    /got 'nearest'$/,
  ],
  [
    '#17',
    () => imageUrls([], never(undefined)),
    'imageUrls',
    'options',
    /it is required\), got undefined$/,
  ],
  [
    '#17',
    () => imageFiles([], { resolution: 4, onProgress: never(true) }),
    'imageFiles',
    'onProgress',
    /got true$/,
  ],
  // #71
  [
    '#71',
    () => imageUrls(never('a.png'), { resolution: 4 }),
    'imageUrls',
    'urls',
    /urls must be an array of strings, got 'a.png'$/,
  ],
  ['#71', () => imageUrls(never([3]), { resolution: 4 }), 'imageUrls', 'urls[0]', /got 3$/],
  [
    '#71',
    () => imageFiles(never(undefined), { resolution: 4 }),
    'imageFiles',
    'files',
    /files must be an array or FileList of File, got undefined$/,
  ],
  [
    '#71',
    () => imageFiles(never(['a.png']), { resolution: 4 }),
    'imageFiles',
    'files[0]',
    /got 'a.png'$/,
  ],
  // #69 / #114
  [
    '#69',
    () => decodeBlob(never(undefined)),
    'decodeBlob',
    'blob',
    /blob must be a Blob or File, got undefined$/,
  ],
  ['#114', () => decodeBlob(new Blob([])), 'decodeBlob', 'blob', /blob is empty$/],
];

describe(`data: misuse [${testBackend()}]`, () => {
  beforeAll(() => {
    t.image3d = tf.zeros([2, 2, 3]);
    t.batch = tf.zeros([1, 2, 2, 3]);
    t.int = tf.zeros([1, 2, 2, 3], 'int32');
    t.empty = tf.zeros([0, 2, 2, 3]);
    t.two = tf.zeros([1, 2, 2, 2]);
    t.gray = tf.zeros([2, 2, 2, 1]);
  });
  afterAll(() => tf.dispose(Object.values(t)));

  const named = (list: Case[]) =>
    list.map(([row, ...rest]) => [`${row}: ${rest[1]} ${rest[2]}`, ...rest] as const);

  it.each(named(cases))('%s', (_name, call, fn, arg, tail) => {
    const before = tf.memory().numTensors;
    expectArgError(call, fn, arg, tail);
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(named(asyncCases))('%s (rejects)', async (_name, call, fn, arg, tail) => {
    const before = tf.memory().numTensors;
    await expectArgErrorAsync(call, fn, arg, tail);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('#17: imageUrls checks its options before fetching anything', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    try {
      await expectArgErrorAsync(
        () => imageUrls(['a.png', 'b.png'], { resolution: 2, fit: never('zoom') }),
        'imageUrls',
        'fit',
      );
      expect(fetch).not.toHaveBeenCalled();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('#65: diffAugmentation refuses bad options at once and keeps the config it records', () => {
    const augment = diffAugmentation({ translation: 0.25 });
    expect(augment.name).toBe('diffAugment');
    expect(augment.config).toEqual({
      policies: ['color', 'translation', 'cutout'],
      translation: 0.25,
      cutout: 0.5,
    });
    // Before, the bad value surfaced only inside the first training step's tfjs pad.
    expect(() => diffAugmentation({ cutout: 2 })).toThrow(/^diffAugmentation: cutout/);
  });

  it('correct calls keep their meaning: take(Infinity), shuffle(seed, 1), colour arrays clamp', async () => {
    const ds = Dataset.fromArray([1, 2, 3]);
    expect(await ds.take(Number.POSITIVE_INFINITY).toArray()).toEqual([1, 2, 3]);
    expect(ds.take(Number.POSITIVE_INFINITY).length).toBe(3);
    const stream = new Dataset(function* () {
      yield* [1, 2, 3];
    });
    expect(await stream.shuffle(4, 1).toArray()).toEqual([1, 2, 3]);
    expect(parseColor([300, -4, 12.4])).toEqual([255, 0, 12]);
    expect(parseColor('#0a0B0c')).toEqual([10, 11, 12]);
    expect(parseColor('gray')).toEqual([128, 128, 128]);
  });
});
