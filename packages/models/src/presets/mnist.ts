import { optionsArg, positiveInteger } from '@gan/core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  type Activation,
  activationLayer,
  type Init,
  initArg,
  initializers,
  optionalSeed,
} from '../blocks';
import { discriminatorSeed, type GanModels, type PresetOptions } from './types';

export interface MnistGanOptions extends PresetOptions {
  init?: Init;
}

/**
 * The faces write-up's 28×28×1 Keras models (gan/dcgan_mnist.py), layer for layer. HR-DCGAN
 * (`hr`) swaps every activation for SELU and adds a stride-1 5×5 convolution first in the
 * generator (after the projection) and last in the discriminator.
 */
function mnistGan(hr: boolean, options: MnistGanOptions, defaultInit: Init): GanModels {
  const fn = hr ? 'hrDcganMnist' : 'dcganMnist';
  optionsArg(fn, options);
  const { latentDim = 100, init = defaultInit } = options;
  positiveInteger(fn, 'latentDim', latentDim);
  initArg(fn, init);
  const seed = optionalSeed(fn, options.seed);
  const g = initializers(init, seed);
  const d = initializers(init, discriminatorSeed(seed));
  const act = (fallback: Activation) => activationLayer(hr ? 'selu' : fallback);
  const bn = (i: typeof g) => tfl.layers.batchNormalization({ gammaInitializer: i.gamma() });
  const up = (filters: number, strides: number, activation?: 'tanh') =>
    tfl.layers.conv2dTranspose({
      filters,
      kernelSize: 5,
      strides,
      padding: 'same',
      useBias: false,
      activation,
      kernelInitializer: g.kernel(),
    });
  const down = (filters: number, strides: number, first = false) =>
    tfl.layers.conv2d({
      ...(first ? { inputShape: [28, 28, 1] } : {}),
      filters,
      kernelSize: 5,
      strides,
      padding: 'same',
      kernelInitializer: d.kernel(),
    });

  const generator = tfl.sequential({
    name: hr ? 'hr_dcgan_mnist_generator' : 'dcgan_mnist_generator',
  });
  generator.add(
    tfl.layers.dense({
      inputShape: [latentDim],
      units: 7 * 7 * 128,
      useBias: false,
      kernelInitializer: g.kernel(),
    }),
  );
  generator.add(bn(g));
  generator.add(act('relu'));
  generator.add(tfl.layers.reshape({ targetShape: [7, 7, 128] }));
  if (hr) {
    generator.add(up(128, 1));
    generator.add(bn(g));
    generator.add(act('relu'));
  }
  generator.add(up(64, 2));
  generator.add(bn(g));
  generator.add(act('relu'));
  generator.add(up(1, 2, 'tanh'));

  const discriminator = tfl.sequential({
    name: hr ? 'hr_dcgan_mnist_discriminator' : 'dcgan_mnist_discriminator',
  });
  discriminator.add(down(64, 2, true));
  discriminator.add(act('leakyRelu'));
  discriminator.add(down(128, 2));
  discriminator.add(bn(d));
  discriminator.add(act('leakyRelu'));
  if (hr) {
    discriminator.add(down(128, 1));
    discriminator.add(bn(d));
    discriminator.add(act('leakyRelu'));
  }
  discriminator.add(tfl.layers.flatten());
  discriminator.add(tfl.layers.dense({ units: 1, kernelInitializer: d.kernel(), name: 'logit' }));
  return { generator, discriminator, latentDim };
}

/** The faces write-up's DCGAN for 28×28×1 digits. Default init 'dcgan' (the seed used Keras's glorot: pass `init: 'glorot'`). */
export function dcganMnist(options: MnistGanOptions = {}): GanModels {
  return mnistGan(false, options, 'dcgan');
}

/** The faces write-up's HR-DCGAN for 28×28×1 digits. Default init 'lecun' (SELU's). */
export function hrDcganMnist(options: MnistGanOptions = {}): GanModels {
  return mnistGan(true, options, 'lecun');
}
