import { oneOf, SeedStream, seedArg } from '@gan/core';
import { instanceNormalization, pixelNormalization, spectralNormalization } from '@gan/layers';
import * as tfl from '@tensorflow/tfjs-layers';

type Layer = InstanceType<typeof tfl.layers.Layer>;

/** 'dcgan': N(0, 0.02) weights, BatchNorm γ ~ N(1, 0.02); 'glorot': tfjs/Keras defaults; 'lecun': LeCun normal (what SELU assumes). */
export type Init = 'dcgan' | 'glorot' | 'lecun';
export type Activation = 'relu' | 'leakyRelu' | 'selu';
export type GeneratorNorm = 'batch' | 'pixel' | 'none';
export type DiscriminatorNorm = 'batch' | 'instance' | 'layer' | 'spectral' | 'none';

export const INITS = ['dcgan', 'glorot', 'lecun'] as const;
export const ACTIVATIONS = ['relu', 'leakyRelu', 'selu'] as const;

/** A model's `init` option, checked under the caller's name. */
export const initArg = (fn: string, init: unknown): Init => oneOf(fn, 'init', init, INITS);

/** A model's optional `seed`, checked under the caller's name (not SeedStream's). */
export const optionalSeed = (fn: string, seed: unknown): number | undefined =>
  seed == null ? undefined : seedArg(fn, 'seed', seed);

/**
 * Fresh initialisers for each layer, seeded from one stream when a seed is given. `init` and
 * `seed` are checked by the caller ({@link initArg}, {@link optionalSeed}) before any layer exists.
 */
export function initializers(init: Init, seed: number | undefined) {
  const stream = seed == null ? undefined : new SeedStream(seed);
  const next = () => stream?.nextSeed();
  return {
    kernel: () => {
      const s = next();
      if (init === 'dcgan')
        return tfl.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: s });
      if (init === 'lecun') return tfl.initializers.leCunNormal({ seed: s });
      return tfl.initializers.glorotUniform({ seed: s });
    },
    gamma: () =>
      init === 'dcgan'
        ? tfl.initializers.randomNormal({ mean: 1, stddev: 0.02, seed: next() })
        : tfl.initializers.ones(),
    /** Seeds layers that draw their own state (spectral norm's u). */
    seed: next,
  };
}

export type Initializers = ReturnType<typeof initializers>;

/** A hidden activation; `activation` is checked by the caller (`oneOf(fn, 'activation', …, ACTIVATIONS)`). */
export function activationLayer(activation: Activation): Layer {
  if (activation === 'leakyRelu') return tfl.layers.leakyReLU({ alpha: 0.2 });
  if (activation === 'relu') return tfl.layers.reLU();
  return tfl.layers.activation({ activation: 'selu' });
}

/**
 * BatchNorm with PyTorch's DCGAN settings (momentum 0.1 in PyTorch's convention = 0.9 in
 * tfjs's, ε = 1e-5), for layers that mirror PyTorch models.
 */
export function batchNorm(init: Initializers): Layer {
  return tfl.layers.batchNormalization({
    momentum: 0.9,
    epsilon: 1e-5,
    gammaInitializer: init.gamma(),
  });
}

export function generatorNorm(norm: GeneratorNorm, init: Initializers): Layer | null {
  if (norm === 'batch') return batchNorm(init);
  if (norm === 'pixel') return pixelNormalization();
  return null;
}

/** The normaliser after a discriminator convolution ('spectral' wraps the layer instead). */
export function discriminatorNorm(norm: DiscriminatorNorm, init: Initializers): Layer | null {
  if (norm === 'batch') return batchNorm(init);
  if (norm === 'instance') return instanceNormalization({ gammaInitializer: init.gamma() });
  // Over H, W and C, as PyTorch's nn.LayerNorm([C, H, W]); γ and β have the feature map's shape.
  if (norm === 'layer') return tfl.layers.layerNormalization({ axis: [1, 2, 3], epsilon: 1e-5 });
  return null;
}

/** Wraps a weight layer in spectral normalisation when that is the discriminator's norm. */
export function maybeSpectral(
  layer: Layer,
  norm: DiscriminatorNorm,
  init: Initializers,
  args = {},
): Layer {
  if (norm !== 'spectral') return layer;
  return spectralNormalization(layer, {
    ...args,
    uInitializer: tfl.initializers.randomNormal({ mean: 0, stddev: 1, seed: init.seed() }),
  });
}
