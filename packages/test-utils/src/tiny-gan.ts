import * as tfl from '@tensorflow/tfjs-layers';

export interface MlpGanOptions {
  seed?: number;
  latentDim?: number;
  hidden?: number;
  /** Dimension of the samples. Default 2. */
  dims?: number;
}

/** A seeded MLP generator and discriminator for fast trainer tests (2-D mixtures, GAN Lab style). */
export function mlpGan(options: MlpGanOptions = {}) {
  const { seed = 1, latentDim = 4, hidden = 16, dims = 2 } = options;
  let s = seed * 10;
  const init = () => tfl.initializers.glorotUniform({ seed: s++ });
  const generator = tfl.sequential({
    layers: [
      tfl.layers.dense({
        inputShape: [latentDim],
        units: hidden,
        activation: 'relu',
        kernelInitializer: init(),
      }),
      tfl.layers.dense({ units: hidden, activation: 'relu', kernelInitializer: init() }),
      tfl.layers.dense({ units: dims, kernelInitializer: init() }),
    ],
  });
  const discriminator = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [dims], units: hidden, kernelInitializer: init() }),
      tfl.layers.leakyReLU({ alpha: 0.2 }),
      tfl.layers.dense({ units: hidden, kernelInitializer: init() }),
      tfl.layers.leakyReLU({ alpha: 0.2 }),
      tfl.layers.dense({ units: 1, kernelInitializer: init() }),
    ],
  });
  return { generator, discriminator, latentDim };
}
