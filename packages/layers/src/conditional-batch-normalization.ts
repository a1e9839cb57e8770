import { ArgumentError, numberArg, optionsArg, positiveNumber } from '@gan/core';
import {
  add,
  matMul,
  moments,
  mul,
  reshape,
  rsqrt,
  serialization,
  sub,
  type Tensor,
  tidy,
} from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { classInputs, classShapes } from './class-inputs';
import {
  affineInitializers,
  type InitializerLike,
  type Shape,
  serializeInitializer,
} from './internal';

export interface ConditionalBatchNormalizationArgs extends LayerArgs {
  /** Moving statistics: m ← momentum·m + (1 − momentum)·batch. Default 0.99 (tfjs/Keras). */
  momentum?: number;
  /** Added to the variance. Default 1e-3 (tfjs/Keras). */
  epsilon?: number;
  /** Per-class γ [numClasses, c]. Default ones. */
  gammaInitializer?: InitializerLike;
  /** Per-class β [numClasses, c]. Default zeros. */
  betaInitializer?: InitializerLike;
}

/**
 * Conditional batch normalisation (de Vries et al. 2017; Dumoulin et al. 2017; in G of SNGAN,
 * Miyato & Koyama 2018, and BigGAN): batch norm without its own affine, then a per-class scale
 * and shift, γ[y]·x̂ + β[y]. Called on `[x, labels]`: x channels last, labels one-hot (or soft)
 * `[n, numClasses]` — γ and β are `labels · Γ` and `labels · B`, an embedding lookup for
 * one-hot rows. Training normalises with the batch's biased variance and updates moving
 * statistics as tfjs's BatchNormalization does; inference uses the moving statistics.
 */
export class ConditionalBatchNormalization extends tfl.layers.Layer {
  static className = 'ConditionalBatchNormalization';
  readonly momentum: number;
  readonly epsilon: number;
  private readonly gammaInitializer;
  private readonly betaInitializer;
  private gamma!: tfl.LayerVariable;
  private beta!: tfl.LayerVariable;
  private movingMean!: tfl.LayerVariable;
  private movingVariance!: tfl.LayerVariable;

  constructor(args: ConditionalBatchNormalizationArgs = {}) {
    const fn = 'conditionalBatchNormalization';
    const o = optionsArg(fn, args, { arg: 'args' });
    const momentum = numberArg(fn, 'momentum', o.momentum ?? 0.99, { min: 0, max: 1 });
    const epsilon = positiveNumber(fn, 'epsilon', o.epsilon ?? 1e-3);
    const { gammaInitializer, betaInitializer } = affineInitializers(fn, o);
    super(args);
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.gammaInitializer = gammaInitializer;
    this.betaInitializer = betaInitializer;
  }

  override build(inputShape: Shape | Shape[]): void {
    const fn = 'conditionalBatchNormalization';
    const [x, labels] = classShapes(fn, this.name, inputShape);
    const channels = x[x.length - 1];
    if (x.length < 2 || channels == null)
      throw new ArgumentError(
        fn,
        'inputShape',
        `expects x's inputShape as [N, …, C] with C known, got [${x.map(String)}] (layer ${this.name})`,
      );
    const k = labels[1] as number;
    this.gamma = this.addWeight('gamma', [k, channels], 'float32', this.gammaInitializer);
    this.beta = this.addWeight('beta', [k, channels], 'float32', this.betaInitializer);
    const zeros = tfl.initializers.zeros();
    const ones = tfl.initializers.ones();
    this.movingMean = this.addWeight('moving_mean', [channels], 'float32', zeros, undefined, false);
    this.movingVariance = this.addWeight(
      'moving_variance',
      [channels],
      'float32',
      ones,
      undefined,
      false,
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return classShapes('conditionalBatchNormalization', this.name, inputShape)[0];
  }

  override call(inputs: Tensor | Tensor[], kwargs: { training?: boolean } = {}): Tensor {
    const [x, labels] = classInputs('conditionalBatchNormalization', this.name, inputs);
    return tidy(() => {
      const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
      let mean: Tensor;
      let variance: Tensor;
      if (kwargs.training === true) {
        ({ mean, variance } = moments(x, axes));
        for (const [moving, batch] of [
          [this.movingMean, mean],
          [this.movingVariance, variance],
        ] as const) {
          const old = moving.read();
          moving.write(add(mul(old, this.momentum), mul(batch, 1 - this.momentum)));
        }
      } else {
        mean = this.movingMean.read();
        variance = this.movingVariance.read();
      }
      const normalised = mul(sub(x, mean), rsqrt(add(variance, this.epsilon)));
      // Per-sample γ and β, [n, 1, …, 1, c] to broadcast over the positions.
      const shape = [x.shape[0], ...Array(x.rank - 2).fill(1), x.shape[x.rank - 1]];
      const gamma = reshape(matMul(labels, this.gamma.read()), shape);
      const beta = reshape(matMul(labels, this.beta.read()), shape);
      return add(mul(normalised, gamma), beta);
    });
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      momentum: this.momentum,
      epsilon: this.epsilon,
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      betaInitializer: serializeInitializer(this.betaInitializer),
    };
  }
}
serialization.registerClass(ConditionalBatchNormalization);

export function conditionalBatchNormalization(args?: ConditionalBatchNormalizationArgs) {
  return new ConditionalBatchNormalization(args);
}
