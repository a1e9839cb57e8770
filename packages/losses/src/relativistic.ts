import { mean, sub, type Tensor } from '@tensorflow/tfjs-core';
import { bceWithLogits } from './minimax';
import {
  type DiscriminatorLossOptions,
  discriminatorLoss,
  type Reduced,
  type Reduction,
} from './reduce';

/**
 * The relativistic average discriminator loss, RaSGAN (Jolicoeur-Martineau 2018):
 * BCE(C(x) − mean C(G(z)), 1) + BCE(C(G(z)) − mean C(x), 0), from logits C.
 */
export function relativisticAverageDiscriminatorLoss<R extends Reduction = 'mean'>(
  realLogits: Tensor,
  fakeLogits: Tensor,
  options: DiscriminatorLossOptions<R> = {},
): Reduced<R> {
  return relativistic('relativisticAverageDiscriminatorLoss', realLogits, fakeLogits, 1, options);
}

/**
 * The relativistic average generator loss: the discriminator's with the targets swapped,
 * BCE(C(x) − mean C(G(z)), 0) + BCE(C(G(z)) − mean C(x), 1). It needs the real logits too.
 */
export function relativisticAverageGeneratorLoss<R extends Reduction = 'mean'>(
  realLogits: Tensor,
  fakeLogits: Tensor,
  options: DiscriminatorLossOptions<R> = {},
): Reduced<R> {
  return relativistic('relativisticAverageGeneratorLoss', realLogits, fakeLogits, 0, options);
}

function relativistic<R extends Reduction>(
  fn: string,
  realLogits: Tensor,
  fakeLogits: Tensor,
  realTarget: 0 | 1,
  options: DiscriminatorLossOptions<R>,
): Reduced<R> {
  return discriminatorLoss(
    fn,
    ['realLogits', 'fakeLogits'],
    realLogits,
    fakeLogits,
    options,
    (real, fake) => [
      bceWithLogits(sub(real, mean(fake)), realTarget),
      bceWithLogits(sub(fake, mean(real)), 1 - realTarget),
    ],
  );
}
