import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { argError, booleanArg, optionsArg } from '@gan/core';
import type { ImageDataset } from '../image-dataset';
import { checkLoadOptions, type LoadOptions, loadFiles } from './load-files';

export interface ImageFolderOptions extends LoadOptions {
  /** Descend into subdirectories. Default true. */
  recursive?: boolean;
  /** Extensions considered (lower case). Default .png .jpg .jpeg .webp .gif .svg .tif .tiff .avif. */
  extensions?: string[];
  /**
   * Class labels: 'folders' names each image's class by its first directory under `dir`
   * (torchvision's ImageFolder: `dir/cat/1.png` is class 'cat'; classes in sorted order);
   * `{ map: file }` reads them from a JSON file mapping paths relative to `dir` to labels —
   * stylegan2-ada's `dataset.json` (`{ "labels": [["00000/img.png", 6], …] }`) or a plain
   * `{ "a.png": "cat", … }` (integer labels are class indices, strings class names). Images the
   * map does not name are an error. Default: unlabelled.
   */
  labels?: 'folders' | { map: string };
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
  const { recursive = true, extensions = EXTENSIONS, labels, ...load } = options;
  booleanArg(fn, 'recursive', recursive);
  if (
    labels !== undefined &&
    labels !== 'folders' &&
    !(typeof labels === 'object' && typeof labels?.map === 'string' && labels.map !== '')
  )
    argError(fn, 'labels', "'folders' or { map: 'dataset.json' }", labels);
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
  const fileLabels =
    labels === undefined
      ? undefined
      : labels === 'folders'
        ? folderLabels(dir, entries)
        : await mapLabels(dir, entries, labels.map);
  return loadFiles(entries, load, `imageFolder(${dir})`, fileLabels);
}

/** Each file's class: its first directory under `dir`, classes sorted (torchvision's convention). */
function folderLabels(dir: string, files: string[]) {
  const folder = files.map((f) => relative(dir, f).split(sep));
  const loose = folder.findIndex((parts) => parts.length < 2);
  if (loose >= 0)
    throw new Error(
      `imageFolder: labels 'folders' puts every image in a class folder (dir/class/image), but ${files[loose]} is directly in ${dir}`,
    );
  const classes = [...new Set(folder.map((parts) => parts[0]))].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  return { perFile: folder.map((parts) => index.get(parts[0]) as number), classes };
}

/** Each file's class from a JSON map (stylegan2-ada's dataset.json, or { path: label }). */
async function mapLabels(dir: string, files: string[], mapFile: string) {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(mapFile, 'utf8'));
  } catch (error) {
    throw new Error(
      `imageFolder: cannot read the label map ${mapFile}: ${(error as Error).message}`,
    );
  }
  const pairs: [string, unknown][] = Array.isArray((json as { labels?: unknown })?.labels)
    ? ((json as { labels: unknown[] }).labels as [string, unknown][])
    : typeof json === 'object' && json !== null && !Array.isArray(json)
      ? Object.entries(json)
      : [];
  if (pairs.length === 0 || pairs.some((p) => !Array.isArray(p) && typeof p !== 'object'))
    throw new Error(
      `imageFolder: ${mapFile} is no label map: expected { "labels": [[path, label], …] } or { path: label }`,
    );
  const byPath = new Map<string, unknown>();
  for (const [path, label] of pairs) byPath.set(String(path).split(/[\\/]/).join(sep), label);
  const raw = files.map((f) => {
    const key = relative(dir, f);
    if (!byPath.has(key))
      throw new Error(`imageFolder: the label map ${mapFile} has no label for ${key}`);
    return byPath.get(key);
  });
  const bad = raw.findIndex(
    (l) => !(typeof l === 'string' || (Number.isInteger(l) && (l as number) >= 0)),
  );
  if (bad >= 0)
    throw new Error(
      `imageFolder: ${mapFile} labels ${relative(dir, files[bad])} ${JSON.stringify(raw[bad])}; labels are class indices (integers ≥ 0) or class names`,
    );
  if (raw.every((l) => typeof l === 'number')) {
    const count = Math.max(...(raw as number[])) + 1;
    return { perFile: raw as number[], classes: Array.from({ length: count }, (_, i) => `${i}`) };
  }
  if (raw.some((l) => typeof l === 'number'))
    throw new Error(`imageFolder: ${mapFile} mixes class indices and class names`);
  const classes = [...new Set(raw as string[])].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  return { perFile: raw.map((l) => index.get(l as string) as number), classes };
}
