import { add, neg, relu, sub, type Tensor } from '@tensorflow/tfjs-core';
import {
  type DiscriminatorLossOptions,
  discriminatorLoss,
  generatorLoss,
  type LossOptions,
  type Reduced,
  type Reduction,
} from './reduce';

/** The hinge discriminator loss (Lim & Ye 2017; SAGAN, BigGAN): mean relu(1 − D(x)) + mean relu(1 + D(G(z))). */
export function hingeDiscriminatorLoss<R extends Reduction = 'mean'>(
  realLogits: Tensor,
  fakeLogits: Tensor,
  options: DiscriminatorLossOptions<R> = {},
): Reduced<R> {
  return discriminatorLoss(
    'hingeDiscriminatorLoss',
    ['realLogits', 'fakeLogits'],
    realLogits,
    fakeLogits,
    options,
    (real, fake) => [relu(sub(1, real)), relu(add(1, fake))],
  );
}

/** The hinge generator loss: −mean D(G(z)) (the same as the Wasserstein generator loss). */
export function hingeGeneratorLoss<R extends Reduction = 'mean'>(
  fakeLogits: Tensor,
  options: LossOptions<R> = {},
): Reduced<R> {
  return generatorLoss('hingeGeneratorLoss', 'fakeLogits', fakeLogits, options, neg);
}
