import { SeedStream } from '@gan/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { stagePlan } from './stages';

export type DcganInit = 'dcgan' | 'glorot';

export interface DcganGeneratorOptions {
  /** Size of z. Default 100. */
  latentDim?: number;
  /** Output height and width: s·2^k with s in 3…7 (16, 28, 32, 48, 64, 96, 128, 256, …). */
  resolution: number;
  /** Output channels. Default 3. */
  channels?: number;
  /** Filters of the last hidden stage; doubled towards the input. Default 64 (PyTorch's ngf). */
  baseFilters?: number;
  /** Normalisation after each hidden layer. Default 'batch'. */
  norm?: 'batch' | 'none';
  /** 'dcgan': weights N(0, 0.02) and BatchNorm γ N(1, 0.02) (Radford et al. 2016). Default 'dcgan'. */
  init?: DcganInit;
  /** Seed of the initial weights (one derived seed per layer); unseeded when absent. */
  seed?: number;
}

export interface DcganDiscriminatorOptions {
  resolution: number;
  channels?: number;
  /** Filters of the first layer; doubled at each downsampling. Default 64 (PyTorch's ndf). */
  baseFilters?: number;
  /** Normalisation after each hidden layer but the first. Default 'batch'; WGAN-GP critics use 'none'. */
  norm?: 'batch' | 'none';
  /** 'logit' for BCE losses, 'score' for Wasserstein critics: both are linear. Default 'logit'. */
  output?: 'logit' | 'score';
  init?: DcganInit;
  /** Seed of the initial weights (one derived seed per layer); unseeded when absent. */
  seed?: number;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

function checkNorm(norm: string): void {
  if (norm !== 'batch' && norm !== 'none')
    throw new Error(`norm must be 'batch' or 'none', got ${norm}`);
}

/** Fresh initialisers for each layer, seeded from one stream when a seed is given. */
function initializers(init: DcganInit, seed: number | undefined) {
  if (init !== 'dcgan' && init !== 'glorot')
    throw new Error(`init must be 'dcgan' or 'glorot', got ${init}`);
  const stream = seed == null ? undefined : new SeedStream(seed);
  const next = () => stream?.nextSeed();
  return {
    kernel: () =>
      init === 'dcgan'
        ? tfl.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: next() })
        : tfl.initializers.glorotUniform({ seed: next() }),
    gamma: () =>
      init === 'dcgan'
        ? tfl.initializers.randomNormal({ mean: 1, stddev: 0.02, seed: next() })
        : tfl.initializers.ones(),
  };
}

/**
 * The DCGAN generator (Radford et al. 2016) at any s·2^k resolution: dense z → s×s×(f·2^(k−1)),
 * then k transposed convolutions (4×4, stride 2) halving the filters, BatchNorm + ReLU between,
 * tanh output in [−1, 1]. No biases (BatchNorm follows), so at 64×64×3 with the defaults it has
 * exactly PyTorch's DCGAN parameter count (3,576,704).
 */
export function dcganGenerator(options: DcganGeneratorOptions): tfl.LayersModel {
  const {
    latentDim = 100,
    channels = 3,
    baseFilters = 64,
    norm = 'batch',
    init = 'dcgan',
  } = options;
  const { start, upsamplings } = stagePlan(options.resolution);
  positiveInteger('latentDim', latentDim);
  positiveInteger('channels', channels);
  positiveInteger('baseFilters', baseFilters);
  checkNorm(norm);
  const initialise = initializers(init, options.seed);
  const model = tfl.sequential({ name: 'dcgan_generator' });
  const normAndRelu = () => {
    if (norm === 'batch')
      model.add(
        tfl.layers.batchNormalization({
          momentum: 0.9,
          epsilon: 1e-5,
          gammaInitializer: initialise.gamma(),
        }),
      );
    model.add(tfl.layers.reLU());
  };
  const top = baseFilters * 2 ** (upsamplings - 1);
  model.add(
    tfl.layers.dense({
      inputShape: [latentDim],
      units: start * start * top,
      useBias: norm === 'none',
      kernelInitializer: initialise.kernel(),
    }),
  );
  model.add(tfl.layers.reshape({ targetShape: [start, start, top] }));
  normAndRelu();
  for (let i = 1; i < upsamplings; i++) {
    model.add(
      tfl.layers.conv2dTranspose({
        filters: top / 2 ** i,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        useBias: norm === 'none',
        kernelInitializer: initialise.kernel(),
      }),
    );
    normAndRelu();
  }
  model.add(
    tfl.layers.conv2dTranspose({
      filters: channels,
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      useBias: false,
      kernelInitializer: initialise.kernel(),
      activation: 'tanh',
    }),
  );
  return model;
}

/**
 * The DCGAN discriminator at any s·2^k resolution: k strided 4×4 convolutions doubling the
 * filters, LeakyReLU(0.2) after each and normalisation after all but the first, then a linear
 * unit. At 64×64×3 with the defaults it has PyTorch's DCGAN parameter count (2,765,568).
 */
export function dcganDiscriminator(options: DcganDiscriminatorOptions): tfl.LayersModel {
  const {
    channels = 3,
    baseFilters = 64,
    norm = 'batch',
    output = 'logit',
    init = 'dcgan',
  } = options;
  const { upsamplings: downsamplings } = stagePlan(options.resolution);
  positiveInteger('channels', channels);
  positiveInteger('baseFilters', baseFilters);
  checkNorm(norm);
  if (output !== 'logit' && output !== 'score')
    throw new Error(`output must be 'logit' or 'score', got ${output}`);
  const initialise = initializers(init, options.seed);
  const model = tfl.sequential({
    name: output === 'score' ? 'dcgan_critic' : 'dcgan_discriminator',
  });
  for (let i = 0; i < downsamplings; i++) {
    const normalised = i > 0 && norm === 'batch';
    model.add(
      tfl.layers.conv2d({
        ...(i === 0 ? { inputShape: [options.resolution, options.resolution, channels] } : {}),
        filters: baseFilters * 2 ** i,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        useBias: norm === 'none',
        kernelInitializer: initialise.kernel(),
      }),
    );
    if (normalised)
      model.add(
        tfl.layers.batchNormalization({
          momentum: 0.9,
          epsilon: 1e-5,
          gammaInitializer: initialise.gamma(),
        }),
      );
    model.add(tfl.layers.leakyReLU({ alpha: 0.2 }));
  }
  model.add(tfl.layers.flatten());
  model.add(
    tfl.layers.dense({
      units: 1,
      useBias: norm === 'none',
      kernelInitializer: initialise.kernel(),
      name: output,
    }),
  );
  return model;
}
