import { SeedStream } from '@gan/core';
import { ImageDataset } from '@gan/data';

/**
 * Sprite-like stand-ins while @gan/data cannot load the Pokémon set yet: one or two coloured
 * ellipses with a dark outline on a white background, uint8 RGB, `count` × size × size × 3.
 */
export function syntheticSprites(count: number, size: number, stream: SeedStream): Uint8Array {
  const out = new Uint8Array(count * size * size * 3).fill(255);
  for (let n = 0; n < count; n++) {
    const blobs = stream.uniform() < 0.5 ? 1 : 2;
    for (let b = 0; b < blobs; b++) {
      const cx = size * (0.3 + 0.4 * stream.uniform());
      const cy = size * (0.3 + 0.4 * stream.uniform());
      const rx = size * (0.15 + 0.2 * stream.uniform());
      const ry = size * (0.15 + 0.2 * stream.uniform());
      const colour = [stream.uniform(), stream.uniform(), stream.uniform()].map((c) =>
        Math.round(40 + 200 * c),
      );
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const d = ((x + 0.5 - cx) / rx) ** 2 + ((y + 0.5 - cy) / ry) ** 2;
          if (d > 1) continue;
          const i = ((n * size + y) * size + x) * 3;
          const edge = d > 0.7 ? 0.35 : 1;
          for (let c = 0; c < 3; c++) out[i + c] = Math.round(colour[c] * edge);
        }
      }
    }
  }
  return out;
}

/** `count` synthetic sprites as an ImageDataset (offline; what `--data synthetic` trains on). */
export function syntheticDataset(count: number, size: number, seed: number): ImageDataset {
  const bytes = syntheticSprites(count, size, new SeedStream(seed));
  const pixels = size * size * 3;
  const get = (i: number) => ({
    width: size,
    height: size,
    channels: 3 as const,
    data: bytes.subarray(i * pixels, (i + 1) * pixels),
  });
  return new ImageDataset(
    { length: count, get },
    { images: count, skipped: [], duplicates: 0, fromCache: false },
  );
}
