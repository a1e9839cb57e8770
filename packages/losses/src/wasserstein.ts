import { neg, type Tensor } from '@tensorflow/tfjs-core';
import {
  type DiscriminatorLossOptions,
  discriminatorLoss,
  generatorLoss,
  type LossOptions,
  type Reduced,
  type Reduction,
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
  return discriminatorLoss(
    'wassersteinDiscriminatorLoss',
    ['realScores', 'fakeScores'],
    realScores,
    fakeScores,
    options,
    (real, fake) => [neg(real), fake],
  );
}

/** The generator's Wasserstein loss: −mean D(G(z)). */
export function wassersteinGeneratorLoss<R extends Reduction = 'mean'>(
  fakeScores: Tensor,
  options: LossOptions<R> = {},
): Reduced<R> {
  return generatorLoss('wassersteinGeneratorLoss', 'fakeScores', fakeScores, options, neg);
}
