import { type PreprocessOptions, preprocess } from '../fit';
import { ImageDataset, pixelHash } from '../image-dataset';
import type { RawImage } from '../raw-image';
import type { ProgressFn, SkippedFile } from '../report';

export interface BrowserLoadOptions extends PreprocessOptions {
  dedupe?: boolean;
  onProgress?: ProgressFn;
}

/** Decodes an image blob with createImageBitmap and reads its RGBA pixels from an OffscreenCanvas. */
export async function decodeBlob(blob: Blob): Promise<RawImage> {
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
      const image = await decodeBlob(await source.blob());
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
export function imageUrls(
  urls: readonly string[],
  options: BrowserLoadOptions,
): Promise<ImageDataset> {
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
export function imageFiles(
  files: ArrayLike<File>,
  options: BrowserLoadOptions,
): Promise<ImageDataset> {
  return load(
    Array.from(files, (file) => ({ name: file.name, blob: async () => file })),
    options,
    'imageFiles',
  );
}
