import { ArgumentError, booleanArg, optionsArg, positiveNumber, tensorArg } from '@gan/core';
import {
  add,
  moments,
  mul,
  rsqrt,
  serialization,
  sub,
  type Tensor,
  tidy,
} from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import {
  affineInitializers,
  type InitializerLike,
  oneShape,
  oneTensor,
  type Shape,
  serializeInitializer,
} from './internal';

export interface InstanceNormalizationArgs extends LayerArgs {
  /** Learn a per-channel scale γ and offset β. Default true. */
  affine?: boolean;
  /** Added to the variance. Default 1e-5 (PyTorch's InstanceNorm2d). */
  epsilon?: number;
  gammaInitializer?: InitializerLike;
  betaInitializer?: InitializerLike;
}

/**
 * Instance normalisation as a pure function, channels last: each sample's channels are
 * normalised over their spatial positions with the biased variance (as PyTorch).
 */
export function instanceNormalize(x: Tensor, epsilon = 1e-5, gamma?: Tensor, beta?: Tensor) {
  const fn = 'instanceNormalize';
  tensorArg(fn, 'x', x, { minRank: 3, layout: '[n, …spatial, c]' });
  positiveNumber(fn, 'epsilon', epsilon);
  const channels = x.shape[x.rank - 1];
  if (gamma != null) perChannel(fn, 'gamma', gamma, channels, x.rank);
  if (beta != null) perChannel(fn, 'beta', beta, channels, x.rank);
  return tidy(() => {
    const spatial = Array.from({ length: x.rank - 2 }, (_, i) => i + 1);
    const { mean, variance } = moments(x, spatial, true);
    let y = mul(sub(x, mean), rsqrt(add(variance, epsilon)));
    if (gamma) y = mul(y, gamma);
    if (beta) y = add(y, beta);
    return y;
  });
}

/** One value per channel: [c] (or [1, …, 1, c], which broadcasts the same way). */
function perChannel(fn: string, arg: string, t: unknown, channels: number, rank: number): void {
  const v = tensorArg(fn, arg, t);
  if (v.rank === 0 || v.rank > rank || v.shape[v.rank - 1] !== channels || v.size !== channels)
    throw new ArgumentError(
      fn,
      arg,
      `${arg} must have shape [${channels}] (one per channel), got [${v.shape}]`,
    );
}

/**
 * Instance normalisation (Ulyanov et al. 2016): the batch-independent normaliser for WGAN-GP
 * critics, where batch norm would couple the samples the gradient penalty treats separately.
 * Unlike PyTorch's InstanceNorm2d, affine defaults to true.
 */
export class InstanceNormalization extends tfl.layers.Layer {
  static className = 'InstanceNormalization';
  readonly affine: boolean;
  readonly epsilon: number;
  private readonly gammaInitializer;
  private readonly betaInitializer;
  private gamma: tfl.LayerVariable | null = null;
  private beta: tfl.LayerVariable | null = null;

  constructor(args: InstanceNormalizationArgs = {}) {
    const fn = 'instanceNormalization';
    const o = optionsArg(fn, args, { arg: 'args' });
    const affine = booleanArg(fn, 'affine', o.affine ?? true);
    const epsilon = positiveNumber(fn, 'epsilon', o.epsilon ?? 1e-5);
    const { gammaInitializer, betaInitializer } = affineInitializers(fn, o);
    super(args);
    this.affine = affine;
    this.epsilon = epsilon;
    this.gammaInitializer = gammaInitializer;
    this.betaInitializer = betaInitializer;
  }

  override build(inputShape: Shape | Shape[]): void {
    const fn = 'instanceNormalization';
    const shape = oneShape(fn, this.name, inputShape);
    const channels = shape[shape.length - 1];
    if (shape.length < 3 || channels == null)
      throw new ArgumentError(
        fn,
        'inputShape',
        `expects [N, …spatial, C] with C known as inputShape, got [${shape.map(String)}] (layer ${this.name})`,
      );
    if (this.affine) {
      this.gamma = this.addWeight('gamma', [channels], 'float32', this.gammaInitializer);
      this.beta = this.addWeight('beta', [channels], 'float32', this.betaInitializer);
    }
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return instanceNormalize(
      oneTensor('instanceNormalization', this.name, inputs),
      this.epsilon,
      this.gamma?.read(),
      this.beta?.read(),
    );
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      affine: this.affine,
      epsilon: this.epsilon,
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      betaInitializer: serializeInitializer(this.betaInitializer),
    };
  }
}
serialization.registerClass(InstanceNormalization);

export function instanceNormalization(args?: InstanceNormalizationArgs) {
  return new InstanceNormalization(args);
}
