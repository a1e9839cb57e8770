import { ArgumentError, nonNegativeInteger, oneOf, optionsArg, positiveInteger } from '@gan/core';
import { classProjection, conditionalBatchNormalization } from '@gan/layers';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  activationLayer,
  discriminatorNorm,
  generatorNorm,
  initializers,
  maybeSpectral,
} from './blocks';
import {
  type DcganDiscriminatorOptions,
  type DcganGeneratorOptions,
  discriminatorConfig,
  filtersAt,
  generatorConfig,
} from './dcgan';

type Symbolic = tfl.SymbolicTensor;
type Layer = InstanceType<typeof tfl.layers.Layer>;
const apply = (layer: Layer, x: Symbolic | Symbolic[]) => layer.apply(x) as Symbolic;

export interface ConditionalGeneratorOptions extends DcganGeneratorOptions {
  /** Number of classes K: the generator takes `[z, labels]`, labels one-hot `[n, K]`. */
  numClasses: number;
  /** Size of the learned label embedding joined to z (a bias-free dense layer on the one-hot labels). 0 for none. Default 50. */
  embeddingDim?: number;
  /**
   * Conditional batch normalisation (per-class γ, β; SNGAN, BigGAN) in place of batch norm, so
   * every stage sees the class. Default true with `norm: 'batch'`.
   */
  conditionalNorm?: boolean;
}

/**
 * A class-conditional DCGAN generator at any s·2^k resolution: labels embedded and joined to z
 * (Mirza & Osindero 2014), then {@link dcganGenerator}'s stages with conditional batch norm.
 * Inputs `[z [n, latentDim], labels [n, numClasses] one-hot]`, output tanh images.
 */
export function conditionalDcganGenerator(options: ConditionalGeneratorOptions): tfl.LayersModel {
  const fn = 'conditionalDcganGenerator';
  optionsArg(fn, options, { required: true });
  const { numClasses, embeddingDim = 50, conditionalNorm, ...rest } = options;
  const k = positiveInteger(fn, 'numClasses', numClasses);
  const embedding = nonNegativeInteger(fn, 'embeddingDim', embeddingDim);
  const config = generatorConfig(fn, rest);
  const cbn = conditionalNorm ?? config.norm === 'batch';
  if (cbn && config.norm !== 'batch')
    throw new ArgumentError(
      fn,
      'conditionalNorm',
      `conditionalNorm replaces batch norm; norm is '${config.norm}'`,
    );
  const { start, upsamplings, latentDim, channels, baseFilters, maxFilters, norm, kernelSize } =
    config;
  const init = initializers(config.init, config.seed);
  const useBias = norm !== 'batch';
  const z = tfl.input({ shape: [latentDim], name: 'z' });
  const labels = tfl.input({ shape: [k], name: 'labels' });
  const normAndActivation = (x: Symbolic) => {
    const normed = cbn
      ? apply(
          conditionalBatchNormalization({
            momentum: 0.9,
            epsilon: 1e-5,
            gammaInitializer: init.gamma(),
          }),
          [x, labels],
        )
      : (() => {
          const layer = generatorNorm(norm, init);
          return layer ? apply(layer, x) : x;
        })();
    return apply(activationLayer(config.activation), normed);
  };
  const upconv = (filters: number, strides: number, last = false) =>
    tfl.layers.conv2dTranspose({
      filters,
      kernelSize,
      strides,
      padding: 'same',
      useBias: last ? false : useBias,
      kernelInitializer: init.kernel(),
      ...(last ? { activation: 'tanh' as const } : {}),
    });
  const joined =
    embedding === 0
      ? z
      : apply(tfl.layers.concatenate(), [
          z,
          apply(
            tfl.layers.dense({
              units: embedding,
              useBias: false,
              kernelInitializer: init.kernel(),
              name: 'label_embedding',
            }),
            labels,
          ),
        ]);
  const top = filtersAt(baseFilters, upsamplings - 1, maxFilters);
  let x = apply(
    tfl.layers.dense({ units: start * start * top, useBias, kernelInitializer: init.kernel() }),
    joined,
  );
  x = normAndActivation(apply(tfl.layers.reshape({ targetShape: [start, start, top] }), x));
  if (config.extraConv) x = normAndActivation(apply(upconv(top, 1), x));
  for (let i = 1; i < upsamplings; i++)
    x = normAndActivation(
      apply(upconv(filtersAt(baseFilters, upsamplings - 1 - i, maxFilters), 2), x),
    );
  const images = apply(upconv(channels, 2, true), x);
  return tfl.model({ inputs: [z, labels], outputs: images, name: 'conditional_dcgan_generator' });
}

export interface ConditionalDiscriminatorOptions
  extends Omit<DcganDiscriminatorOptions, 'minibatchDiscrimination'> {
  numClasses: number;
  /**
   * How D uses the labels: 'projection' (Miyato & Koyama 2018: inputs `[images, labels]`, the
   * score ψ(φ) + yᵀVφ), 'acgan' (Odena et al. 2017: input images, outputs `[score, classLogits]`),
   * or 'both'. Default 'projection'.
   */
  conditioning?: 'projection' | 'acgan' | 'both';
}

const CONDITIONING = ['projection', 'acgan', 'both'] as const;

/**
 * A class-conditional DCGAN discriminator: {@link dcganDiscriminator}'s stages to features
 * φ(x), then a projection onto the label's embedding and/or an auxiliary classifier head.
 * Under a gradient penalty use a norm other than 'batch' (the penalties refuse batch coupling).
 */
export function conditionalDcganDiscriminator(
  options: ConditionalDiscriminatorOptions,
): tfl.LayersModel {
  const fn = 'conditionalDcganDiscriminator';
  optionsArg(fn, options, { required: true });
  const { numClasses, conditioning = 'projection', ...rest } = options;
  const k = positiveInteger(fn, 'numClasses', numClasses);
  const mode = oneOf(fn, 'conditioning', conditioning, CONDITIONING);
  if ('minibatchDiscrimination' in rest && rest.minibatchDiscrimination)
    throw new ArgumentError(
      fn,
      'minibatchDiscrimination',
      'not offered with conditioning; the projection term already sees the batch per class',
    );
  const config = discriminatorConfig(fn, rest);
  const { resolution, downsamplings, channels, baseFilters, maxFilters, norm, kernelSize } = config;
  const init = initializers(config.init, config.seed);
  const images = tfl.input({ shape: [resolution, resolution, channels], name: 'images' });
  const labels = mode === 'acgan' ? undefined : tfl.input({ shape: [k], name: 'labels' });
  const block = (x: Symbolic, filters: number, strides: number, first: boolean) => {
    const normLayer = first ? null : discriminatorNorm(norm, init);
    const conv = tfl.layers.conv2d({
      filters,
      kernelSize,
      strides,
      padding: 'same',
      useBias: norm !== 'batch' && normLayer == null,
      kernelInitializer: init.kernel(),
    });
    let y = apply(maybeSpectral(conv, norm, init), x);
    if (normLayer) y = apply(normLayer, y);
    return apply(activationLayer(config.activation), y);
  };
  let x: Symbolic = images;
  for (let i = 0; i < downsamplings; i++)
    x = block(x, filtersAt(baseFilters, i, maxFilters), 2, i === 0);
  if (config.extraConv)
    x = block(x, filtersAt(baseFilters, downsamplings - 1, maxFilters), 1, false);
  const features = apply(tfl.layers.flatten(), x);
  const dense = (units: number, name: string) =>
    maybeSpectral(
      tfl.layers.dense({
        units,
        useBias: norm !== 'batch',
        kernelInitializer: init.kernel(),
        name,
      }),
      norm,
      init,
    );
  let score = apply(
    dense(1, config.output === 'score' ? 'unconditional_score' : 'unconditional_logit'),
    features,
  );
  if (labels)
    score = apply(tfl.layers.add({ name: config.output }), [
      score,
      apply(
        classProjection({
          embeddingsInitializer: tfl.initializers.randomUniform({
            minval: -0.05,
            maxval: 0.05,
            seed: init.seed(),
          }),
        }),
        [features, labels],
      ),
    ]);
  const outputs =
    mode === 'projection' ? score : [score, apply(dense(k, 'class_logits'), features)];
  return tfl.model({
    inputs: labels ? [images, labels] : images,
    outputs,
    name: `conditional_dcgan_${config.output === 'score' ? 'critic' : 'discriminator'}`,
  });
}
