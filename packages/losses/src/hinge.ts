import { add, neg, relu, sub, type Tensor, tidy } from '@tensorflow/tfjs-core';
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
 * The hinge discriminator loss (Lim & Ye 2017; SAGAN, BigGAN): mean relu(1 − D(x)) + mean relu(1 + D(G(z))).
 */
export function hingeDiscriminatorLoss<R extends Reduction = 'mean'>(
  realLogits: Tensor,
  fakeLogits: Tensor,
  options: DiscriminatorLossOptions<R> = {},
): Reduced<R> {
  const fn = 'hingeDiscriminatorLoss';
  const reduction = checkReduction(fn, options.reduction);
  return tidy(() => {
    const real = relu(sub(1, perSample(fn, 'realLogits', realLogits)));
    const fake = relu(add(1, perSample(fn, 'fakeLogits', fakeLogits)));
    return discriminatorTotal(fn, real, fake, reduction, options);
  }) as Reduced<R>;
}

/** The hinge generator loss: −mean D(G(z)). */
export function hingeGeneratorLoss<R extends Reduction = 'mean'>(
  fakeLogits: Tensor,
  options: LossOptions<R> = {},
): Reduced<R> {
  const fn = 'hingeGeneratorLoss';
  const reduction = checkReduction(fn, options.reduction);
  return tidy(() =>
    reduce(fn, neg(perSample(fn, 'fakeLogits', fakeLogits)), reduction, options.weights),
  ) as Reduced<R>;
}
