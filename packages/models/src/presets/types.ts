import type * as tfl from '@tensorflow/tfjs-layers';

/** A generator and a discriminator (or critic) built together, with the generator's z size. */
export interface GanModels {
  generator: tfl.LayersModel;
  discriminator: tfl.LayersModel;
  latentDim: number;
}

/** Options every preset accepts. */
export interface PresetOptions {
  /** Size of z. Default 100. */
  latentDim?: number;
  /** Seed of all initial weights (the discriminator's derived from it); unseeded when absent. */
  seed?: number;
}

/** The discriminator's seed, derived so that G and D never share a stream. */
export function discriminatorSeed(seed: number | undefined): number | undefined {
  return seed == null ? undefined : (seed + 0x9e3779b9) >>> 0;
}
