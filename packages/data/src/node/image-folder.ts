import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { argError, booleanArg, optionsArg } from '@gan/core';
import type { ImageDataset } from '../image-dataset';
import { checkLoadOptions, type LoadOptions, loadFiles } from './load-files';

export interface ImageFolderOptions extends LoadOptions {
  /** Descend into subdirectories. Default true. */
  recursive?: boolean;
  /** Extensions considered (lower case). Default .png .jpg .jpeg .webp .gif .svg .tif .tiff .avif. */
  extensions?: string[];
}

const EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.gif', '.svg', '.tif', '.tiff', '.avif'];

/**
 * Every image under a directory, decoded with sharp (GIF: first frame; SVG: rasterised),
 * composited onto `background`, fitted to `resolution`² and converted to `channels`, in sorted
 * path order. Corrupt, truncated or zero-byte files are skipped and listed in `skipped`; none
 * usable is an error naming the directory. Cached by default (see `cache`).
 */
export async function imageFolder(dir: string, options: ImageFolderOptions): Promise<ImageDataset> {
  const fn = 'imageFolder';
  if (typeof dir !== 'string' || dir.length === 0) argError(fn, 'dir', 'a non-empty string', dir);
  optionsArg(fn, options, { required: true });
  const { recursive = true, extensions = EXTENSIONS, ...load } = options;
  booleanArg(fn, 'recursive', recursive);
  if (!Array.isArray(extensions) || extensions.some((e) => typeof e !== 'string'))
    argError(fn, 'extensions', "an array of strings like '.png'", extensions);
  checkLoadOptions(fn, load); // before any file is read
  const wanted = new Set(extensions.map((e) => e.toLowerCase()));
  let entries: string[];
  try {
    entries = (await readdir(dir, { recursive, withFileTypes: true }))
      .filter((e) => e.isFile() && wanted.has(extname(e.name).toLowerCase()))
      .map((e) => join(e.parentPath ?? dir, e.name))
      .sort();
  } catch (error) {
    throw new Error(`imageFolder: cannot read ${dir}: ${(error as Error).message}`);
  }
  if (entries.length === 0) {
    const dotless = [...wanted].some((e) => e !== '' && !e.startsWith('.'));
    throw new Error(
      `imageFolder: no ${[...wanted].join('/')} files in ${dir}${recursive ? ' or below' : ''}` +
        (dotless ? "; extensions include the dot ('.png')" : ''),
    );
  }
  return loadFiles(entries, load, `imageFolder(${dir})`);
}
