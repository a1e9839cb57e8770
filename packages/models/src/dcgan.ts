import { argError, booleanArg, oneOf, optionsArg, positiveInteger } from '@gan/core';
import { minibatchDiscrimination } from '@gan/layers';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  ACTIVATIONS,
  type Activation,
  activationLayer,
  type DiscriminatorNorm,
  discriminatorNorm,
  type GeneratorNorm,
  generatorNorm,
  type Init,
  initArg,
  initializers,
  maybeSpectral,
  optionalSeed,
} from './blocks';
import { planStages } from './stages';

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
const OUTPUTS = ['logit', 'score'] as const;

export function filtersAt(base: number, doublings: number, max: number) {
  return Math.min(max, base * 2 ** doublings);
}

function maxFiltersArg(fn: string, value: unknown): number {
  if (value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && (value as number) >= 1))
    return value as number;
  return argError(fn, 'maxFilters', 'a positive integer or Infinity', value);
}

/** A generator's options, checked and resolved (defaults filled in) before any layer exists. */
export interface GeneratorConfig {
  start: number;
  upsamplings: number;
  latentDim: number;
  channels: number;
  baseFilters: number;
  maxFilters: number;
  norm: GeneratorNorm;
  activation: Activation;
  kernelSize: number;
  extraConv: boolean;
  init: Init;
  seed: number | undefined;
}

/**
 * Checks {@link dcganGenerator}'s options under `fn`, the function the caller called (presets
 * pass their own name), and fills in the defaults.
 */
export function generatorConfig(fn: string, options: DcganGeneratorOptions): GeneratorConfig {
  optionsArg(fn, options, { required: true });
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
  const { start, upsamplings } = planStages(fn, options.resolution);
  return {
    start,
    upsamplings,
    latentDim: positiveInteger(fn, 'latentDim', latentDim),
    channels: positiveInteger(fn, 'channels', channels),
    baseFilters: positiveInteger(fn, 'baseFilters', baseFilters),
    maxFilters: maxFiltersArg(fn, maxFilters),
    norm: oneOf(fn, 'norm', norm, GENERATOR_NORMS),
    activation: oneOf(fn, 'activation', activation, ACTIVATIONS),
    kernelSize: positiveInteger(fn, 'kernelSize', kernelSize),
    extraConv: booleanArg(fn, 'extraConv', extraConv),
    init: initArg(fn, init),
    seed: optionalSeed(fn, options.seed),
  };
}

/**
 * The DCGAN generator (Radford et al. 2016) at any s·2^k resolution: dense z → s×s×(f·2^(k−1)),
 * then k transposed convolutions (stride 2) halving the filters, norm + activation between,
 * tanh output in [−1, 1]. With batch norm there are no biases (as PyTorch's DCGAN), so at
 * 64×64×3 with the defaults it has exactly PyTorch's parameter count (3,576,704).
 *
 * Every misuse throws an ArgumentError naming `dcganGenerator` and the option, before any layer
 * is built.
 */
export function dcganGenerator(options: DcganGeneratorOptions): tfl.LayersModel {
  return buildGenerator(generatorConfig('dcganGenerator', options));
}

/** Builds a generator from checked options ({@link generatorConfig}). */
export function buildGenerator(config: GeneratorConfig): tfl.LayersModel {
  const { start, upsamplings, latentDim, channels, baseFilters, maxFilters, norm } = config;
  const { activation, kernelSize, extraConv } = config;
  const initialise = initializers(config.init, config.seed);
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

/** A discriminator's options, checked and resolved before any layer exists. */
export interface DiscriminatorConfig {
  resolution: number;
  downsamplings: number;
  channels: number;
  baseFilters: number;
  maxFilters: number;
  norm: DiscriminatorNorm;
  activation: Activation;
  kernelSize: number;
  extraConv: boolean;
  minibatch: Required<MinibatchDiscriminationOptions> | null;
  output: 'logit' | 'score';
  init: Init;
  seed: number | undefined;
}

/** `minibatchDiscrimination`: absent / false → none, true → the defaults, or an options object. */
function minibatchArg(
  fn: string,
  arg: string,
  value: unknown,
): Required<MinibatchDiscriminationOptions> | null {
  if (value == null || value === false) return null;
  if (value !== true && (typeof value !== 'object' || Array.isArray(value)))
    return argError(fn, arg, 'true, false or { numKernels?, kernelDim? }', value);
  const { numKernels = 100, kernelDim = 5 } =
    value === true ? {} : (value as MinibatchDiscriminationOptions);
  return {
    numKernels: positiveInteger(fn, `${arg}.numKernels`, numKernels),
    kernelDim: positiveInteger(fn, `${arg}.kernelDim`, kernelDim),
  };
}

/**
 * Checks {@link dcganDiscriminator}'s options under `fn` and fills in the defaults.
 * `minibatchName` is what the caller calls the minibatch-discrimination option (`pokemonGan`'s
 * deprecated `minibatch`, when that is what it was given).
 */
export function discriminatorConfig(
  fn: string,
  options: DcganDiscriminatorOptions,
  minibatchName = 'minibatchDiscrimination',
): DiscriminatorConfig {
  optionsArg(fn, options, { required: true });
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
  const { upsamplings: downsamplings } = planStages(fn, options.resolution);
  return {
    resolution: options.resolution,
    downsamplings,
    channels: positiveInteger(fn, 'channels', channels),
    baseFilters: positiveInteger(fn, 'baseFilters', baseFilters),
    maxFilters: maxFiltersArg(fn, maxFilters),
    norm: oneOf(fn, 'norm', norm, DISCRIMINATOR_NORMS),
    activation: oneOf(fn, 'activation', activation, ACTIVATIONS),
    kernelSize: positiveInteger(fn, 'kernelSize', kernelSize),
    extraConv: booleanArg(fn, 'extraConv', extraConv),
    minibatch: minibatchArg(fn, minibatchName, options.minibatchDiscrimination),
    output: oneOf(fn, 'output', output, OUTPUTS),
    init: initArg(fn, init),
    seed: optionalSeed(fn, options.seed),
  };
}

/**
 * The DCGAN discriminator at any s·2^k resolution: k strided convolutions doubling the filters,
 * activation after each and normalisation after all but the first, optionally minibatch
 * discrimination, then a linear unit. Biases only where no normaliser follows, and none at all
 * with batch norm (as PyTorch's), so at 64×64×3 with the defaults it has PyTorch's DCGAN
 * parameter count (2,765,568).
 *
 * Every misuse throws an ArgumentError naming `dcganDiscriminator` and the option, before any
 * layer is built.
 */
export function dcganDiscriminator(options: DcganDiscriminatorOptions): tfl.LayersModel {
  return buildDiscriminator(discriminatorConfig('dcganDiscriminator', options));
}

/** Builds a discriminator from checked options ({@link discriminatorConfig}). */
export function buildDiscriminator(config: DiscriminatorConfig): tfl.LayersModel {
  const { resolution, downsamplings, channels, baseFilters, maxFilters, norm } = config;
  const { activation, kernelSize, extraConv, minibatch, output } = config;
  const initialise = initializers(config.init, config.seed);
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
  if (minibatch) {
    model.add(
      minibatchDiscrimination({
        numKernels: minibatch.numKernels,
        kernelDim: minibatch.kernelDim,
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
