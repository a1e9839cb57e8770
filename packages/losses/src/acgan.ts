import { ArgumentError, aliasArg, numberArg, optionsArg, tensorArg } from '@gan/core';
import {
  add,
  cast,
  concat,
  logSoftmax,
  mul,
  neg,
  oneHot,
  sum,
  type Tensor,
  tidy,
} from '@tensorflow/tfjs-core';
import { checkReduction, type LossOptions, type Reduced, type Reduction, reduce } from './reduce';

export interface AcganLossOptions<R extends Reduction = Reduction> extends LossOptions<R> {
  /**
   * Label smoothing s as TensorFlow's softmax cross entropy: targets (1 − s)·onehot + s/K.
   * Default 0.
   */
  labelSmoothing?: number;
}

/**
 * Per-sample softmax cross entropy of class logits [n, K] against labels: int32 class indices
 * [n], or one-hot (or soft) targets [n, K].
 */
function crossEntropy(
  fn: string,
  name: string,
  logits: Tensor,
  labels: Tensor,
  smoothing: number,
): Tensor {
  tensorArg(fn, name, logits, {
    rank: 2,
    dtype: 'float32',
    nonEmpty: true,
    layout: '[n, numClasses]',
  });
  const [n, k] = logits.shape;
  const targets =
    labels.dtype === 'int32'
      ? tensorArg(fn, 'labels', labels, { rank: 1, shape: [n], layout: '[n] class indices' })
      : tensorArg(fn, 'labels', labels, {
          rank: 2,
          shape: [n, k],
          dtype: 'float32',
          layout: '[n, numClasses] one-hot',
        });
  return tidy(() => {
    // Cast after: tfjs-wasm 4.22's OneHot writes int32 values under a float32 dtype.
    let t = targets.dtype === 'int32' ? cast(oneHot(targets, k), 'float32') : targets;
    if (smoothing > 0) t = add(mul(t, 1 - smoothing), smoothing / k);
    return neg(sum(mul(t, logSoftmax(logits)), -1));
  });
}

function smoothingArg(fn: string, value: unknown): number {
  return value === undefined ? 0 : numberArg(fn, 'labelSmoothing', value, { min: 0, max: 1 });
}

/**
 * The auxiliary classifier's discriminator loss of ACGAN (Odena et al. 2017, "Conditional
 * Image Synthesis with Auxiliary Classifier GANs"), as TF-GAN's `acgan_discriminator_loss`:
 * softmax cross entropy of D's class logits on real images plus on generated images, both
 * against `labels` — the classes the real batch has and the generated batch was made for
 * (int32 [n], or one-hot [n, K]). Added to the adversarial loss, usually with weight 1.
 * `reduction: 'none'` gives the per-sample losses, real then generated ([2n]).
 */
export function acganDiscriminatorLoss<R extends Reduction = 'mean'>(
  realClassLogits: Tensor,
  fakeClassLogits: Tensor,
  labels: Tensor,
  options: AcganLossOptions<R> = {},
): Reduced<R> {
  const fn = 'acganDiscriminatorLoss';
  const opts = optionsArg(fn, options);
  const reduction = checkReduction(fn, opts.reduction);
  const smoothing = smoothingArg(fn, opts.labelSmoothing);
  const weights = aliasArg(fn, opts, 'sampleWeights', 'weights');
  const arg = opts.weights !== undefined ? 'weights' : 'sampleWeights';
  tensorArg(fn, 'fakeClassLogits', fakeClassLogits, { rank: 2 });
  tensorArg(fn, 'realClassLogits', realClassLogits, { rank: 2 });
  if (String(realClassLogits.shape) !== String(fakeClassLogits.shape))
    throw new ArgumentError(
      fn,
      'fakeClassLogits',
      `realClassLogits and fakeClassLogits must have one shape, got [${realClassLogits.shape}] and [${fakeClassLogits.shape}]`,
    );
  return tidy(() => {
    const real = reduce(
      fn,
      crossEntropy(fn, 'realClassLogits', realClassLogits, labels, smoothing),
      reduction,
      weights,
      arg,
    );
    const fake = reduce(
      fn,
      crossEntropy(fn, 'fakeClassLogits', fakeClassLogits, labels, smoothing),
      reduction,
      weights,
      arg,
    );
    return reduction === 'none' ? concat([real, fake]) : add(real, fake);
  }) as Reduced<R>;
}

/**
 * ACGAN's generator loss, as TF-GAN's `acgan_generator_loss`: softmax cross entropy of D's
 * class logits on generated images against the classes they were made for — the generator is
 * rewarded for images the classifier recognises as their class.
 */
export function acganGeneratorLoss<R extends Reduction = 'mean'>(
  fakeClassLogits: Tensor,
  labels: Tensor,
  options: AcganLossOptions<R> = {},
): Reduced<R> {
  const fn = 'acganGeneratorLoss';
  const opts = optionsArg(fn, options);
  const reduction = checkReduction(fn, opts.reduction);
  const smoothing = smoothingArg(fn, opts.labelSmoothing);
  const weights = aliasArg(fn, opts, 'sampleWeights', 'weights');
  const arg = opts.weights !== undefined ? 'weights' : 'sampleWeights';
  return tidy(() =>
    reduce(
      fn,
      crossEntropy(fn, 'fakeClassLogits', fakeClassLogits, labels, smoothing),
      reduction,
      weights,
      arg,
    ),
  ) as Reduced<R>;
}
