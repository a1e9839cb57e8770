import { mul, squaredDifference, type Tensor, tidy } from '@tensorflow/tfjs-core';
import {
  checkReduction,
  type DiscriminatorLossOptions,
  discriminatorTotal,
  finiteOption,
  type LossOptions,
  perSample,
  type Reduced,
  type Reduction,
  reduce,
} from './reduce';

export interface LeastSquaresDiscriminatorLossOptions<R extends Reduction = Reduction>
  extends DiscriminatorLossOptions<R> {
  /** Target b for real samples. Default 1. */
  realLabel?: number;
  /** Target a for fake samples. Default 0. */
  fakeLabel?: number;
}

/** LSGAN's discriminator loss (Mao et al. 2017): ½ mean (D(x) − b)² + ½ mean (D(G(z)) − a)². */
export function leastSquaresDiscriminatorLoss<R extends Reduction = 'mean'>(
  realOutputs: Tensor,
  fakeOutputs: Tensor,
  options: LeastSquaresDiscriminatorLossOptions<R> = {},
): Reduced<R> {
  const fn = 'leastSquaresDiscriminatorLoss';
  const reduction = checkReduction(fn, options.reduction);
  const realLabel = finiteOption(fn, 'realLabel', options.realLabel ?? 1);
  const fakeLabel = finiteOption(fn, 'fakeLabel', options.fakeLabel ?? 0);
  return tidy(() => {
    const real = mul(0.5, squaredDifference(perSample(fn, 'realOutputs', realOutputs), realLabel));
    const fake = mul(0.5, squaredDifference(perSample(fn, 'fakeOutputs', fakeOutputs), fakeLabel));
    return discriminatorTotal(fn, real, fake, reduction, options);
  }) as Reduced<R>;
}

export interface LeastSquaresGeneratorLossOptions<R extends Reduction = Reduction>
  extends LossOptions<R> {
  /** Target c the generator aims D(G(z)) at. Default 1. */
  targetLabel?: number;
}

/** LSGAN's generator loss: ½ mean (D(G(z)) − c)². */
export function leastSquaresGeneratorLoss<R extends Reduction = 'mean'>(
  fakeOutputs: Tensor,
  options: LeastSquaresGeneratorLossOptions<R> = {},
): Reduced<R> {
  const fn = 'leastSquaresGeneratorLoss';
  const reduction = checkReduction(fn, options.reduction);
  const target = finiteOption(fn, 'targetLabel', options.targetLabel ?? 1);
  return tidy(() =>
    reduce(
      fn,
      mul(0.5, squaredDifference(perSample(fn, 'fakeOutputs', fakeOutputs), target)),
      reduction,
      options.weights,
    ),
  ) as Reduced<R>;
}
