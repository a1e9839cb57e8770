import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectArgErrorAsync, testBackend } from '@gan/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, idxImages, imageFolder, pokemonSprites } from '../node';

// The Node loaders' rows of the misuse table (src/misuse.test.ts holds the rest): every check
// runs before a file is read, so the paths need not exist.
type Case = [string, () => Promise<unknown>, string, string, RegExp];

const never = (value: unknown) => value as never;
let root: string;

const cases: Case[] = [
  // #22 (H1): a negative or NaN limit gave an empty dataset.
  [
    '#22',
    () => idxImages('/nonexistent.idx', { limit: -5 }),
    'idxImages',
    'limit',
    /limit must be a positive integer or Infinity, got -5$/,
  ],
  ['#22', () => idxImages('/nonexistent.idx', { limit: Number.NaN }), 'idxImages', 'limit', /NaN$/],
  ['M', () => idxImages(never(undefined)), 'idxImages', 'path', /non-empty string, got undefined$/],
  // #63
  [
    '#63',
    () => imageFolder('/nonexistent', never(undefined)),
    'imageFolder',
    'options',
    /options must be an options object \(it is required\), got undefined$/,
  ],
  [
    '#63',
    () => pokemonSprites(never(undefined)),
    'pokemonSprites',
    'options',
    /it is required\), got undefined$/,
  ],
  // #64
  [
    '#64',
    () => imageFolder('/nonexistent', { resolution: 4, extensions: never('.png') }),
    'imageFolder',
    'extensions',
    /extensions must be an array of strings like '.png', got '.png'$/,
  ],
  [
    '#64',
    () => imageFolder('/nonexistent', { resolution: 4, onProgress: never(true) }),
    'imageFolder',
    'onProgress',
    /onProgress must be a function, got true$/,
  ],
  ['M', () => imageFolder(never(42), { resolution: 4 }), 'imageFolder', 'dir', /got 42$/],
  [
    'M',
    () => imageFolder('/nonexistent', { resolution: 4, cache: never(1) }),
    'imageFolder',
    'cache',
    /cache must be true, false or a directory path, got 1$/,
  ],
  [
    'M',
    () => imageFolder('/nonexistent', { resolution: 4, recursive: never('yes') }),
    'imageFolder',
    'recursive',
    /got 'yes'$/,
  ],
  // #112: under the loader's name, and method / background checked before any decoding.
  [
    '#112',
    () => imageFolder('/nonexistent', { resolution: 0 }),
    'imageFolder',
    'resolution',
    /resolution must be a positive integer, got 0$/,
  ],
  [
    '#112',
    () => imageFolder('/nonexistent', { resolution: 4, method: never('nearest') }),
    'imageFolder',
    'method',
    /method must be 'area' \| 'bilinear' \| 'bicubic' \| 'lanczos', got 'nearest'$/,
  ],
  [
    '#112',
    () => imageFolder('/nonexistent', { resolution: 4, background: [0, 0] as never }),
    'imageFolder',
    'background',
    /got an array of 2$/,
  ],
  [
    '#112',
    () => pokemonSprites({ resolution: 4, background: 'blue' }),
    'pokemonSprites',
    'background',
    /got 'blue'$/,
  ],
  // #117: a string iterated its characters; 'constructor' passed the FOLDERS lookup.
  [
    '#117',
    () => pokemonSprites({ resolution: 4, variants: never('front') }),
    'pokemonSprites',
    'variants',
    /variants must be an array of 'front' \| 'shiny' \| 'back' \| 'back-shiny', got 'front'$/,
  ],
  [
    '#117',
    () => pokemonSprites({ resolution: 4, variants: never(['constructor']) }),
    'pokemonSprites',
    'variants[0]',
    /variants\[0\] must be 'front' \| 'shiny' \| 'back' \| 'back-shiny', got 'constructor'$/,
  ],
  // #69 / #114
  [
    '#69',
    () => decodeImage(never(undefined)),
    'decodeImage',
    'bytes',
    /bytes must be a Uint8Array, got undefined$/,
  ],
  ['#114', () => decodeImage(new Uint8Array(0)), 'decodeImage', 'bytes', /bytes is empty$/],
];

describe(`data (node): misuse [${testBackend()}]`, () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gan-data-misuse-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.each(cases.map(([row, ...rest]) => [`${row}: ${rest[1]} ${rest[2]}`, ...rest] as const))(
    '%s',
    async (_name, call, fn, arg, tail) => {
      await expectArgErrorAsync(call, fn, arg, tail);
    },
  );

  it('#127: extensions without the dot get a hint', async () => {
    await writeFile(join(root, 'a.png'), '');
    await expect(imageFolder(root, { resolution: 4, extensions: ['png'] })).rejects.toThrow(
      /imageFolder: no png files in .*; extensions include the dot \('.png'\)$/,
    );
  });

  it("#114: a loader's empty file is still skipped with the reason 'empty file'", async () => {
    await writeFile(join(root, 'b.png'), '');
    await expect(imageFolder(root, { resolution: 4, cache: false })).rejects.toThrow(
      /no usable image among 2 files \(2 skipped: .*a.png: empty file/,
    );
  });
});
