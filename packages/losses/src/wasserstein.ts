import { neg, type Tensor, tidy } from '@tensorflow/tfjs-core';
import {
  checkReduction,
  type DiscriminatorLossOptions,
  discriminatorTotal,
  type LossOptions,
  perSample,
  type Reduced,
  type Reduction,
  reduce,
} from './reduce';

/**
 * The critic's Wasserstein loss (Arjovsky et al. 2017): mean D(G(z)) − mean D(x). Its negative
 * estimates the Wasserstein-1 distance once the critic is (near) 1-Lipschitz — add a gradient
 * penalty or clip the weights.
 */
export function wassersteinDiscriminatorLoss<R extends Reduction = 'mean'>(
  realScores: Tensor,
  fakeScores: Tensor,
  options: DiscriminatorLossOptions<R> = {},
): Reduced<R> {
  const fn = 'wassersteinDiscriminatorLoss';
  const reduction = checkReduction(fn, options.reduction);
  return tidy(() =>
    discriminatorTotal(
      fn,
      neg(perSample(fn, 'realScores', realScores)),
      perSample(fn, 'fakeScores', fakeScores),
      reduction,
      options,
    ),
  ) as Reduced<R>;
}

/** The generator's Wasserstein loss: −mean D(G(z)). */
export function wassersteinGeneratorLoss<R extends Reduction = 'mean'>(
  fakeScores: Tensor,
  options: LossOptions<R> = {},
): Reduced<R> {
  const fn = 'wassersteinGeneratorLoss';
  const reduction = checkReduction(fn, options.reduction);
  return tidy(() =>
    reduce(fn, neg(perSample(fn, 'fakeScores', fakeScores)), reduction, options.weights),
  ) as Reduced<R>;
}
