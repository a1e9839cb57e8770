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
  type InitializerLike,
  oneShape,
  oneTensor,
  positiveNumber,
  type Shape,
  serializeInitializer,
  toInitializer,
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
  return tidy(() => {
    if (x.rank < 3)
      throw new Error(`instanceNormalization expects [N, …spatial, C], got shape [${x.shape}]`);
    const spatial = Array.from({ length: x.rank - 2 }, (_, i) => i + 1);
    const { mean, variance } = moments(x, spatial, true);
    let y = mul(sub(x, mean), rsqrt(add(variance, epsilon)));
    if (gamma) y = mul(y, gamma);
    if (beta) y = add(y, beta);
    return y;
  });
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
    super(args);
    this.affine = args.affine ?? true;
    this.epsilon = positiveNumber('instanceNormalization', 'epsilon', args.epsilon ?? 1e-5);
    this.gammaInitializer = toInitializer(args.gammaInitializer, () => tfl.initializers.ones());
    this.betaInitializer = toInitializer(args.betaInitializer, () => tfl.initializers.zeros());
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = oneShape(this.name, inputShape);
    const channels = shape[shape.length - 1];
    if (shape.length < 3 || channels == null)
      throw new Error(
        `instanceNormalization expects [N, …spatial, C] with C known, got [${shape.map(String)}]`,
      );
    if (this.affine) {
      this.gamma = this.addWeight('gamma', [channels], 'float32', this.gammaInitializer);
      this.beta = this.addWeight('beta', [channels], 'float32', this.betaInitializer);
    }
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return instanceNormalize(
      oneTensor(this.name, inputs),
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
