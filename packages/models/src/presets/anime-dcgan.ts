import { argError, optionsArg, positiveInteger } from '@gan/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { type Init, initArg, initializers, optionalSeed } from '../blocks';
import { discriminatorSeed, type GanModels, type PresetOptions } from './types';

export interface AnimeDcganOptions extends PresetOptions {
  /** Filters of the four strided layers, in order. Default [512, 256, 128, 64] (the write-up's). */
  filters?: [number, number, number, number];
  /** Default 'dcgan'. */
  init?: Init;
}

/**
 * The anime-face write-up's Keras DCGAN at 64×64×3, as written there: the discriminator is 4
 * Conv2D (filters [512, 256, 128, 64] in that order, kernel 4, stride 2, 'same'), each followed by
 * BatchNormalization and LeakyReLU(0.2), then Flatten and Dense(1) (a logit). The generator is
 * Dense(4·4·512) + BatchNorm + LeakyReLU, then 4 Conv2DTranspose with the same configuration
 * (filters [512, 256, 128, 64], kernel 4, stride 2, BatchNorm + LeakyReLU after each), then a
 * 4×4 stride-1 Conv2D to 3 channels with tanh — the write-up does not say how the last layer
 * reaches RGB; this is the usual Keras DCGAN ending. Keras defaults elsewhere: biases on,
 * BatchNorm momentum 0.99 and ε 1e-3.
 */
export function animeDcgan(options: AnimeDcganOptions = {}): GanModels {
  const fn = 'animeDcgan';
  optionsArg(fn, options);
  const { latentDim = 100, filters = [512, 256, 128, 64], init = 'dcgan' } = options;
  positiveInteger(fn, 'latentDim', latentDim);
  // The generator reaches 4·2^4 = 64 px, the discriminator's fixed input, only with 4 stages.
  if (!Array.isArray(filters) || filters.length !== 4)
    argError(fn, 'filters', 'an array of 4 positive integers', filters);
  for (const [i, f] of filters.entries()) positiveInteger(fn, `filters[${i}]`, f);
  initArg(fn, init);
  const seed = optionalSeed(fn, options.seed);
  const g = initializers(init, seed);
  const d = initializers(init, discriminatorSeed(seed));
  const bnAndLeaky = (model: tfl.Sequential, init: typeof g) => {
    model.add(tfl.layers.batchNormalization({ gammaInitializer: init.gamma() }));
    model.add(tfl.layers.leakyReLU({ alpha: 0.2 }));
  };

  const generator = tfl.sequential({ name: 'anime_generator' });
  generator.add(
    tfl.layers.dense({
      inputShape: [latentDim],
      units: 4 * 4 * 512,
      kernelInitializer: g.kernel(),
    }),
  );
  bnAndLeaky(generator, g);
  generator.add(tfl.layers.reshape({ targetShape: [4, 4, 512] }));
  for (const f of filters) {
    generator.add(
      tfl.layers.conv2dTranspose({
        filters: f,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        kernelInitializer: g.kernel(),
      }),
    );
    bnAndLeaky(generator, g);
  }
  generator.add(
    tfl.layers.conv2d({
      filters: 3,
      kernelSize: 4,
      padding: 'same',
      activation: 'tanh',
      kernelInitializer: g.kernel(),
    }),
  );

  const discriminator = tfl.sequential({ name: 'anime_discriminator' });
  filters.forEach((f, i) => {
    discriminator.add(
      tfl.layers.conv2d({
        ...(i === 0 ? { inputShape: [64, 64, 3] } : {}),
        filters: f,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        kernelInitializer: d.kernel(),
      }),
    );
    bnAndLeaky(discriminator, d);
  });
  discriminator.add(tfl.layers.flatten());
  discriminator.add(tfl.layers.dense({ units: 1, kernelInitializer: d.kernel(), name: 'logit' }));
  return { generator, discriminator, latentDim };
}
