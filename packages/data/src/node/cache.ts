import { open, rename, rm } from 'node:fs/promises';
import type { Indexed } from '../dataset';
import type { RawImage } from '../raw-image';
import type { LoadReport } from '../report';

const MAGIC = Buffer.from('GANIMGS1');
/** Caches with at most this many pixel bytes are read into memory whole; larger ones per image. */
export const IN_MEMORY_BYTES = 256 * 2 ** 20;

export interface CacheHeader {
  version: 1;
  key: string;
  count: number;
  width: number;
  height: number;
  channels: 1 | 3;
  report: Omit<LoadReport, 'fromCache'>;
  /** Each cached image's class index, for a labelled load. */
  labels?: number[];
}

/**
 * Writes images to a cache file as they come (memory stays bounded): MAGIC, the pixels of every
 * image back to back, then the JSON header, its byte length (uint32) and MAGIC again — a trailer,
 * because the count is known only at the end. Written to a temporary file, fsynced, renamed:
 * a crash leaves the old cache or none, never a torn one.
 */
export async function writeImageCache(
  path: string,
  key: string,
  images: AsyncIterable<RawImage>,
  report: () => Omit<LoadReport, 'fromCache' | 'images'>,
  labels?: () => number[],
): Promise<CacheHeader> {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  const file = await open(tmp, 'w');
  let count = 0;
  let shape: { width: number; height: number; channels: 1 | 3 } | undefined;
  try {
    await file.write(MAGIC);
    for await (const image of images) {
      shape ??= { width: image.width, height: image.height, channels: image.channels as 1 | 3 };
      await file.write(image.data);
      count++;
    }
    const header: CacheHeader = {
      version: 1,
      key,
      count,
      ...(shape ?? { width: 0, height: 0, channels: 3 }),
      report: { images: count, ...report() },
      ...(labels ? { labels: labels() } : {}),
    };
    const json = Buffer.from(JSON.stringify(header));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(json.length);
    await file.write(Buffer.concat([json, length, MAGIC]));
    await file.sync();
    await file.close();
    await rename(tmp, path);
    return header;
  } catch (error) {
    await file.close().catch(() => {});
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Opens a cache for random access: images are read from disk on demand, not held in memory. */
export async function openImageCache(
  path: string,
  key: string,
  inMemoryBytes = IN_MEMORY_BYTES,
): Promise<{ header: CacheHeader; images: Indexed<RawImage>; close(): Promise<void> } | undefined> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await file.stat();
    const tail = Buffer.alloc(12);
    if (size < 20) throw new Error('too short');
    await file.read(tail, 0, 12, size - 12);
    if (!tail.subarray(4).equals(MAGIC)) throw new Error('no trailer');
    const length = tail.readUInt32LE(0);
    const json = Buffer.alloc(length);
    await file.read(json, 0, length, size - 12 - length);
    const header = JSON.parse(json.toString('utf8')) as CacheHeader;
    const imageBytes = header.width * header.height * header.channels;
    if (
      header.version !== 1 ||
      header.key !== key ||
      MAGIC.length + header.count * imageBytes + length + 12 !== size
    )
      throw new Error('stale');
    const handle = file;
    const { width, height, channels } = header;
    const pixelBytes = header.count * imageBytes;
    if (pixelBytes <= inMemoryBytes) {
      // Small enough: one read, then every epoch is served from memory. Reading each image with
      // its own async fs call costs more than a 16-px training step (measured: bench.ts).
      const pixels = new Uint8Array(pixelBytes);
      await handle.read(pixels, 0, pixelBytes, MAGIC.length);
      await handle.close();
      return {
        header,
        images: {
          length: header.count,
          get: (index) => ({
            width,
            height,
            channels,
            data: pixels.slice(index * imageBytes, (index + 1) * imageBytes),
          }),
        },
        close: async () => {},
      };
    }
    return {
      header,
      images: {
        length: header.count,
        async get(index) {
          const data = new Uint8Array(imageBytes);
          await handle.read(data, 0, imageBytes, MAGIC.length + index * imageBytes);
          return { width, height, channels, data };
        },
      },
      close: () => handle.close(),
    };
  } catch {
    await file.close();
    return undefined; // unreadable, stale or from other inputs: rebuilt by the caller
  }
}
