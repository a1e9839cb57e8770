import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { argError, booleanArg, functionArg } from '@gan/core';
import { checkPreprocessOptions, type PreprocessOptions, preprocess } from '../fit';
import { ImageDataset, pixelHash } from '../image-dataset';
import type { RawImage } from '../raw-image';
import type { ProgressFn, SkippedFile } from '../report';
import { openImageCache, writeImageCache } from './cache';
import { decodeBytes } from './decode';

export interface LoadOptions extends PreprocessOptions {
  /**
   * Preprocess once into a cache file, reused while the files and options are unchanged:
   * `true` (default) uses `node_modules/.cache/gan-data` under the working directory, a string
   * names the directory, `false` keeps the images in memory.
   */
  cache?: boolean | string;
  /** Drop images whose decoded pixels are identical to an earlier one's. Default false. */
  dedupe?: boolean;
  onProgress?: ProgressFn;
}

/**
 * Checks a loader's options under `fn` (the loader the caller called) before any file is read:
 * the preprocessing options, `cache`, `dedupe` and `onProgress`.
 */
export function checkLoadOptions(fn: string, options: LoadOptions): void {
  checkPreprocessOptions(fn, options);
  const { cache = true, dedupe = false, onProgress } = options;
  if (typeof cache !== 'boolean' && !(typeof cache === 'string' && cache.length > 0))
    argError(fn, 'cache', 'true, false or a directory path', cache);
  booleanArg(fn, 'dedupe', dedupe);
  if (onProgress !== undefined) functionArg(fn, 'onProgress', onProgress);
}

/**
 * Decodes, preprocesses (and caches) the given files; unusable files are skipped and reported.
 * `options` are checked by the caller ({@link checkLoadOptions}) before it touches the disk.
 */
export async function loadFiles(
  files: string[],
  options: LoadOptions,
  label: string,
  fileLabels?: { perFile: number[]; classes: readonly string[] },
): Promise<ImageDataset> {
  const { cache = true, dedupe = false, onProgress, ...preprocessing } = options;
  const stats = await Promise.all(
    files.map((f) => stat(f).then((s) => [f, s.size, s.mtimeMs] as const)),
  );
  const key = createHash('sha256')
    .update(
      JSON.stringify({ v: 1, files: stats, preprocessing, dedupe, labels: fileLabels ?? null }),
    )
    .digest('hex');
  const skipped: SkippedFile[] = [];
  let duplicates = 0;
  // The class of each image kept (skipped files and duplicates drop out with their labels).
  const kept: number[] = [];
  async function* decoded(): AsyncGenerator<RawImage> {
    const seen = new Set<string>();
    for (const [i, file] of files.entries()) {
      let image: RawImage;
      try {
        image = await decodeBytes(await readFile(file));
      } catch (error) {
        skipped.push({ path: file, reason: (error as Error).message.split('\n')[0] });
        onProgress?.(i + 1, files.length);
        continue;
      }
      if (dedupe) {
        const hash = pixelHash(image);
        if (seen.has(hash)) {
          duplicates++;
          onProgress?.(i + 1, files.length);
          continue;
        }
        seen.add(hash);
      }
      if (fileLabels) kept.push(fileLabels.perFile[i]);
      yield preprocess(image, preprocessing);
      onProgress?.(i + 1, files.length);
    }
  }
  const empty = (n: number) => {
    if (n === 0)
      throw new Error(
        `${label}: no usable image among ${files.length} files` +
          (skipped.length
            ? ` (${skipped.length} skipped: ${skipped[0].path}: ${skipped[0].reason}, …)`
            : ''),
      );
  };
  if (cache === false) {
    const images: RawImage[] = [];
    for await (const image of decoded()) images.push(image);
    empty(images.length);
    const dataset = new ImageDataset(
      { length: images.length, get: (i) => images[i] },
      { images: images.length, skipped, duplicates, fromCache: false },
    );
    return fileLabels ? dataset.withLabels(kept, fileLabels.classes) : dataset;
  }
  const dir = resolve(
    typeof cache === 'string' ? cache : join(process.cwd(), 'node_modules', '.cache', 'gan-data'),
  );
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${key.slice(0, 32)}.ganimg`);
  let opened = await openImageCache(path, key);
  const hit = opened !== undefined;
  if (!opened) {
    const header = await writeImageCache(
      path,
      key,
      decoded(),
      () => ({ skipped, duplicates }),
      fileLabels && (() => kept),
    );
    empty(header.count);
    opened = await openImageCache(path, key);
    if (!opened) throw new Error(`${label}: could not reopen the cache ${path}`);
  } else onProgress?.(files.length, files.length);
  const { header, images, close } = opened;
  empty(header.count);
  const dataset = new ImageDataset(images, { ...header.report, fromCache: hit }, close);
  if (!fileLabels) return dataset;
  if (header.labels?.length !== header.count)
    throw new Error(`${label}: the cache ${path} holds no labels; delete it and load again`);
  return dataset.withLabels(header.labels, fileLabels.classes);
}
