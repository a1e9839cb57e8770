import { ArgumentError, argError, booleanArg, functionArg } from '@gan/core';
import { checkPreprocessOptions, type PreprocessOptions, preprocess } from '../fit';
import { ImageDataset, pixelHash } from '../image-dataset';
import type { RawImage } from '../raw-image';
import type { ProgressFn, SkippedFile } from '../report';

export interface BrowserLoadOptions extends PreprocessOptions {
  dedupe?: boolean;
  onProgress?: ProgressFn;
}

/** Decodes an image blob with createImageBitmap and reads its RGBA pixels from an OffscreenCanvas. */
export async function decodeBlob(blob: Blob): Promise<RawImage> {
  if (!(blob instanceof Blob)) argError('decodeBlob', 'blob', 'a Blob or File', blob);
  if (blob.size === 0) throw new ArgumentError('decodeBlob', 'blob', 'blob is empty');
  return decodeImageBlob(blob);
}

/** {@link decodeBlob} for the loaders: an empty or corrupt file is a skip reason (`'empty file'`). */
async function decodeImageBlob(blob: Blob): Promise<RawImage> {
  if (blob.size === 0) throw new Error('empty file');
  const bitmap = await createImageBitmap(blob, {
    premultiplyAlpha: 'none',
    colorSpaceConversion: 'none',
  });
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('no 2D canvas context');
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    return {
      width: bitmap.width,
      height: bitmap.height,
      channels: 4,
      data: new Uint8Array(data.buffer),
    };
  } finally {
    bitmap.close();
  }
}

/** A browser loader's options, checked under `fn` before anything is fetched or decoded. */
function checkBrowserLoadOptions(fn: string, options: BrowserLoadOptions): void {
  checkPreprocessOptions(fn, options);
  if (options.dedupe !== undefined) booleanArg(fn, 'dedupe', options.dedupe);
  if (options.onProgress !== undefined) functionArg(fn, 'onProgress', options.onProgress);
}

async function load(
  sources: { name: string; blob: () => Promise<Blob> }[],
  options: BrowserLoadOptions,
  label: string,
) {
  const { dedupe = false, onProgress, ...preprocessing } = options;
  const images: RawImage[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  for (const [i, source] of sources.entries()) {
    try {
      const image = await decodeImageBlob(await source.blob());
      const hash = dedupe ? pixelHash(image) : '';
      if (dedupe && seen.has(hash)) duplicates++;
      else {
        seen.add(hash);
        images.push(preprocess(image, preprocessing));
      }
    } catch (error) {
      skipped.push({ path: source.name, reason: (error as Error).message || String(error) });
    }
    onProgress?.(i + 1, sources.length);
  }
  if (images.length === 0)
    throw new Error(
      `${label}: no usable image among ${sources.length}` +
        (skipped[0] ? ` (${skipped[0].path}: ${skipped[0].reason})` : ''),
    );
  return new ImageDataset(
    { length: images.length, get: (i) => images[i] },
    { images: images.length, skipped, duplicates, fromCache: false },
  );
}

/** Images fetched from URLs (same preprocessing and dataset API as `@gan/data/node`). */
export async function imageUrls(
  urls: readonly string[],
  options: BrowserLoadOptions,
): Promise<ImageDataset> {
  const fn = 'imageUrls';
  if (!Array.isArray(urls)) argError(fn, 'urls', 'an array of strings', urls);
  for (const [i, url] of urls.entries())
    if (!(typeof url === 'string' || url instanceof URL))
      argError(fn, `urls[${i}]`, 'a string', url);
  checkBrowserLoadOptions(fn, options); // before anything is fetched
  return load(
    urls.map((url) => ({
      name: url,
      blob: async () => {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.blob();
      },
    })),
    options,
    'imageUrls',
  );
}

/** Images from files the user picked (`<input type="file" multiple>`) or dropped. */
export async function imageFiles(
  files: ArrayLike<File>,
  options: BrowserLoadOptions,
): Promise<ImageDataset> {
  const fn = 'imageFiles';
  if (
    typeof files !== 'object' ||
    files === null ||
    !Number.isInteger((files as ArrayLike<File>).length)
  )
    argError(fn, 'files', 'an array or FileList of File', files);
  for (let i = 0; i < files.length; i++)
    if (!(files[i] instanceof Blob)) argError(fn, `files[${i}]`, 'a File', files[i]);
  checkBrowserLoadOptions(fn, options); // before anything is decoded
  return load(
    Array.from(files, (file) => ({ name: file.name, blob: async () => file })),
    options,
    'imageFiles',
  );
}
