import { numberArg, optionsArg } from '@gan/core';
import { mul, squaredDifference, type Tensor } from '@tensorflow/tfjs-core';
import {
  type DiscriminatorLossOptions,
  discriminatorLoss,
  generatorLoss,
  type LossOptions,
  type Reduced,
  type Reduction,
} from './reduce';

export interface LeastSquaresDiscriminatorLossOptions<R extends Reduction = Reduction>
  extends DiscriminatorLossOptions<R> {
  /** Target b for real samples. Default 1. */
  realLabel?: number;
  /** Target a for fake samples. Default 0. */
  fakeLabel?: number;
}

const halfSquaredError = (x: Tensor, target: number) => mul(0.5, squaredDifference(x, target));

/** LSGAN's discriminator loss (Mao et al. 2017): ½ mean (D(x) − b)² + ½ mean (D(G(z)) − a)². */
export function leastSquaresDiscriminatorLoss<R extends Reduction = 'mean'>(
  realOutputs: Tensor,
  fakeOutputs: Tensor,
  options: LeastSquaresDiscriminatorLossOptions<R> = {},
): Reduced<R> {
  const fn = 'leastSquaresDiscriminatorLoss';
  options = optionsArg(fn, options);
  const realLabel = numberArg(fn, 'realLabel', options.realLabel ?? 1);
  const fakeLabel = numberArg(fn, 'fakeLabel', options.fakeLabel ?? 0);
  return discriminatorLoss(
    fn,
    ['realOutputs', 'fakeOutputs'],
    realOutputs,
    fakeOutputs,
    options,
    (real, fake) => [halfSquaredError(real, realLabel), halfSquaredError(fake, fakeLabel)],
  );
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
  options = optionsArg(fn, options);
  const target = numberArg(fn, 'targetLabel', options.targetLabel ?? 1);
  return generatorLoss(fn, 'fakeOutputs', fakeOutputs, options, (fake) =>
    halfSquaredError(fake, target),
  );
}
