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
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

function checkNorm(norm: string): void {
  if (norm !== 'batch' && norm !== 'none') throw new Error(`norm must be 'batch' or 'none', got ${norm}`);
}

function initializers(init: DcganInit) {
  if (init !== 'dcgan' && init !== 'glorot') throw new Error(`init must be 'dcgan' or 'glorot', got ${init}`);
  return init === 'dcgan'
    ? {
        kernelInitializer: tfl.initializers.randomNormal({ mean: 0, stddev: 0.02 }),
        gammaInitializer: tfl.initializers.randomNormal({ mean: 1, stddev: 0.02 }),
      }
    : { kernelInitializer: 'glorotUniform' as const, gammaInitializer: 'ones' as const };
}

/**
 * The DCGAN generator (Radford et al. 2016) at any s·2^k resolution: dense z → s×s×(f·2^(k−1)),
 * then k transposed convolutions (4×4, stride 2) halving the filters, BatchNorm + ReLU between,
 * tanh output in [−1, 1]. No biases (BatchNorm follows), so at 64×64×3 with the defaults it has
 * exactly PyTorch's DCGAN parameter count (3,576,704).
 */
export function dcganGenerator(options: DcganGeneratorOptions): tfl.LayersModel {
  const { latentDim = 100, channels = 3, baseFilters = 64, norm = 'batch', init = 'dcgan' } = options;
  const { start, upsamplings } = stagePlan(options.resolution);
  positiveInteger('latentDim', latentDim);
  positiveInteger('channels', channels);
  positiveInteger('baseFilters', baseFilters);
  checkNorm(norm);
  const { kernelInitializer, gammaInitializer } = initializers(init);
  const model = tfl.sequential({ name: 'dcgan_generator' });
  const normAndRelu = () => {
    if (norm === 'batch') model.add(tfl.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, gammaInitializer }));
    model.add(tfl.layers.reLU());
  };
  const top = baseFilters * 2 ** (upsamplings - 1);
  model.add(tfl.layers.dense({ inputShape: [latentDim], units: start * start * top, useBias: norm === 'none', kernelInitializer }));
  model.add(tfl.layers.reshape({ targetShape: [start, start, top] }));
  normAndRelu();
  for (let i = 1; i < upsamplings; i++) {
    model.add(
      tfl.layers.conv2dTranspose({ filters: top / 2 ** i, kernelSize: 4, strides: 2, padding: 'same', useBias: norm === 'none', kernelInitializer }),
    );
    normAndRelu();
  }
  model.add(
    tfl.layers.conv2dTranspose({ filters: channels, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer, activation: 'tanh' }),
  );
  return model;
}

/**
 * The DCGAN discriminator at any s·2^k resolution: k strided 4×4 convolutions doubling the
 * filters, LeakyReLU(0.2) after each and normalisation after all but the first, then a linear
 * unit. At 64×64×3 with the defaults it has PyTorch's DCGAN parameter count (2,765,568).
 */
export function dcganDiscriminator(options: DcganDiscriminatorOptions): tfl.LayersModel {
  const { channels = 3, baseFilters = 64, norm = 'batch', output = 'logit', init = 'dcgan' } = options;
  const { upsamplings: downsamplings } = stagePlan(options.resolution);
  positiveInteger('channels', channels);
  positiveInteger('baseFilters', baseFilters);
  checkNorm(norm);
  if (output !== 'logit' && output !== 'score') throw new Error(`output must be 'logit' or 'score', got ${output}`);
  const { kernelInitializer, gammaInitializer } = initializers(init);
  const model = tfl.sequential({ name: output === 'score' ? 'dcgan_critic' : 'dcgan_discriminator' });
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
        kernelInitializer,
      }),
    );
    if (normalised) model.add(tfl.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, gammaInitializer }));
    model.add(tfl.layers.leakyReLU({ alpha: 0.2 }));
  }
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 1, useBias: norm === 'none', kernelInitializer, name: output }));
  return model;
}
