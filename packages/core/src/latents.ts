import { randomNormal, type Tensor2D, tensor2d } from '@tensorflow/tfjs-core';
import type { SeedStream } from './seed';

/**
 * `n` latents of `latentDim` from `stream`: standard normal, or with the truncation trick (Brock
 * et al. 2019, BigGAN): components beyond ±`truncation` redrawn, trading variety for fidelity.
 * The fixed latents of sample grids and evaluators are `sampleLatents(n, d, new SeedStream(seed))`.
 */
export function sampleLatents(
  n: number,
  latentDim: number,
  stream: SeedStream,
  truncation?: number,
): Tensor2D {
  if (truncation == null) return randomNormal([n, latentDim], 0, 1, 'float32', stream.nextSeed());
  const values: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    while (row.length < latentDim) {
      const v = stream.normal();
      if (Math.abs(v) <= truncation) row.push(v);
    }
    values.push(row);
  }
  return tensor2d(values);
}
