import { minibatchDiscrimination } from '@gan/layers';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  type Activation,
  activationLayer,
  type DiscriminatorNorm,
  discriminatorNorm,
  type GeneratorNorm,
  generatorNorm,
  type Init,
  initializers,
  maybeSpectral,
  oneOf,
  positiveInteger,
} from './blocks';
import { stagePlan } from './stages';

export interface DcganGeneratorOptions {
  /** Size of z. Default 100. */
  latentDim?: number;
  /** Output height and width: s·2^k with s in 3…7 (16, 28, 32, 48, 64, 96, 128, 256, …). */
  resolution: number;
  /** Output channels. Default 3. */
  channels?: number;
  /** Filters of the last hidden stage; doubled towards the input. Default 64 (PyTorch's ngf). */
  baseFilters?: number;
  /** Cap on any stage's filters (keeps 256 px models a sane size). Default: no cap. */
  maxFilters?: number;
  /** Normalisation after each hidden layer. Default 'batch'. */
  norm?: GeneratorNorm;
  /** Hidden activation. Default 'relu'. */
  activation?: Activation;
  /** Kernel size of the transposed convolutions. Default 4. */
  kernelSize?: number;
  /** HR-DCGAN: an extra stride-1 transposed convolution first (right after the dense stage). Default false. */
  extraConv?: boolean;
  /** Default 'dcgan': weights N(0, 0.02), BatchNorm γ N(1, 0.02) (Radford et al. 2016). */
  init?: Init;
  /** Seed of the initial weights (one derived seed per layer); unseeded when absent. */
  seed?: number;
}

export interface MinibatchDiscriminationOptions {
  /** B. Default 100. */
  numKernels?: number;
  /** C. Default 5. */
  kernelDim?: number;
}

export interface DcganDiscriminatorOptions {
  resolution: number;
  channels?: number;
  /** Filters of the first layer; doubled at each downsampling. Default 64 (PyTorch's ndf). */
  baseFilters?: number;
  /** Cap on any stage's filters. Default: no cap. */
  maxFilters?: number;
  /**
   * Normalisation after each hidden layer but the first ('spectral' wraps every weight layer
   * instead). Default 'batch'. Critics under a gradient penalty need 'instance', 'layer',
   * 'spectral' or 'none': the penalties refuse batch norm.
   */
  norm?: DiscriminatorNorm;
  /** Hidden activation. Default 'leakyRelu' (slope 0.2). */
  activation?: Activation;
  kernelSize?: number;
  /** HR-DCGAN: an extra stride-1 convolution last, before the output. Default false. */
  extraConv?: boolean;
  /** A minibatch-discrimination layer before the output unit (Salimans et al. 2016). Default none. */
  minibatchDiscrimination?: MinibatchDiscriminationOptions | boolean;
  /** 'logit' for BCE losses (the sigmoid lives in the loss), 'score' for Wasserstein critics: both linear. Default 'logit'. */
  output?: 'logit' | 'score';
  init?: Init;
  seed?: number;
}

const GENERATOR_NORMS = ['batch', 'pixel', 'none'] as const;
const DISCRIMINATOR_NORMS = ['batch', 'instance', 'layer', 'spectral', 'none'] as const;

function filtersAt(base: number, doublings: number, max: number) {
  return Math.min(max, base * 2 ** doublings);
}

/**
 * The DCGAN generator (Radford et al. 2016) at any s·2^k resolution: dense z → s×s×(f·2^(k−1)),
 * then k transposed convolutions (stride 2) halving the filters, norm + activation between,
 * tanh output in [−1, 1]. With batch norm there are no biases (as PyTorch's DCGAN), so at
 * 64×64×3 with the defaults it has exactly PyTorch's parameter count (3,576,704).
 */
export function dcganGenerator(options: DcganGeneratorOptions): tfl.LayersModel {
  const {
    latentDim = 100,
    channels = 3,
    baseFilters = 64,
    maxFilters = Number.POSITIVE_INFINITY,
    norm = 'batch',
    activation = 'relu',
    kernelSize = 4,
    extraConv = false,
    init = 'dcgan',
  } = options;
  const { start, upsamplings } = stagePlan(options.resolution);
  positiveInteger('latentDim', latentDim);
  positiveInteger('channels', channels);
  positiveInteger('baseFilters', baseFilters);
  positiveInteger('kernelSize', kernelSize);
  if (!(maxFilters >= 1)) throw new Error(`maxFilters must be ≥ 1, got ${maxFilters}`);
  oneOf('norm', norm, GENERATOR_NORMS);
  const initialise = initializers(init, options.seed);
  const useBias = norm !== 'batch';
  const model = tfl.sequential({ name: 'dcgan_generator' });
  const normAndActivation = () => {
    const layer = generatorNorm(norm, initialise);
    if (layer) model.add(layer);
    model.add(activationLayer(activation));
  };
  const upconv = (filters: number, strides: number) =>
    tfl.layers.conv2dTranspose({
      filters,
      kernelSize,
      strides,
      padding: 'same',
      useBias,
      kernelInitializer: initialise.kernel(),
    });
  const top = filtersAt(baseFilters, upsamplings - 1, maxFilters);
  model.add(
    tfl.layers.dense({
      inputShape: [latentDim],
      units: start * start * top,
      useBias,
      kernelInitializer: initialise.kernel(),
    }),
  );
  model.add(tfl.layers.reshape({ targetShape: [start, start, top] }));
  normAndActivation();
  if (extraConv) {
    model.add(upconv(top, 1));
    normAndActivation();
  }
  for (let i = 1; i < upsamplings; i++) {
    model.add(upconv(filtersAt(baseFilters, upsamplings - 1 - i, maxFilters), 2));
    normAndActivation();
  }
  model.add(
    tfl.layers.conv2dTranspose({
      filters: channels,
      kernelSize,
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
 * The DCGAN discriminator at any s·2^k resolution: k strided convolutions doubling the filters,
 * activation after each and normalisation after all but the first, optionally minibatch
 * discrimination, then a linear unit. Biases only where no normaliser follows, and none at all
 * with batch norm (as PyTorch's), so at 64×64×3 with the defaults it has PyTorch's DCGAN
 * parameter count (2,765,568).
 */
export function dcganDiscriminator(options: DcganDiscriminatorOptions): tfl.LayersModel {
  const {
    channels = 3,
    baseFilters = 64,
    maxFilters = Number.POSITIVE_INFINITY,
    norm = 'batch',
    activation = 'leakyRelu',
    kernelSize = 4,
    extraConv = false,
    output = 'logit',
    init = 'dcgan',
  } = options;
  const { resolution } = options;
  const { upsamplings: downsamplings } = stagePlan(resolution);
  positiveInteger('channels', channels);
  positiveInteger('baseFilters', baseFilters);
  positiveInteger('kernelSize', kernelSize);
  if (!(maxFilters >= 1)) throw new Error(`maxFilters must be ≥ 1, got ${maxFilters}`);
  oneOf('norm', norm, DISCRIMINATOR_NORMS);
  oneOf('output', output, ['logit', 'score']);
  const initialise = initializers(init, options.seed);
  const model = tfl.sequential({
    name: output === 'score' ? 'dcgan_critic' : 'dcgan_discriminator',
  });
  const block = (filters: number, strides: number, first: boolean) => {
    const normLayer = first ? null : discriminatorNorm(norm, initialise);
    const conv = {
      filters,
      kernelSize,
      strides,
      padding: 'same' as const,
      useBias: norm !== 'batch' && normLayer == null,
      kernelInitializer: initialise.kernel(),
    };
    const input = first ? { inputShape: [resolution, resolution, channels] } : {};
    model.add(
      norm === 'spectral'
        ? maybeSpectral(tfl.layers.conv2d(conv), norm, initialise, input)
        : tfl.layers.conv2d({ ...conv, ...input }),
    );
    if (normLayer) model.add(normLayer);
    model.add(activationLayer(activation));
  };
  for (let i = 0; i < downsamplings; i++) block(filtersAt(baseFilters, i, maxFilters), 2, i === 0);
  if (extraConv) block(filtersAt(baseFilters, downsamplings - 1, maxFilters), 1, false);
  model.add(tfl.layers.flatten());
  if (options.minibatchDiscrimination) {
    const mbd = options.minibatchDiscrimination === true ? {} : options.minibatchDiscrimination;
    model.add(
      minibatchDiscrimination({
        numKernels: mbd.numKernels ?? 100,
        kernelDim: mbd.kernelDim ?? 5,
        kernelInitializer: initialise.kernel(),
      }),
    );
  }
  model.add(
    maybeSpectral(
      tfl.layers.dense({
        units: 1,
        useBias: norm !== 'batch',
        kernelInitializer: initialise.kernel(),
        name: output,
      }),
      norm,
      initialise,
    ),
  );
  return model;
}
