import { argError, assertArg, numberArg, optionsArg, seedArg, tensorArg } from '@gan/core';
import {
  add,
  concat,
  fill,
  less,
  mul,
  neg,
  randomUniform,
  scalar,
  slice,
  softplus,
  sub,
  Tensor,
  where,
  zeros,
} from '@tensorflow/tfjs-core';
import {
  type DiscriminatorLossOptions,
  discriminatorLoss,
  generatorLoss,
  type LossOptions,
  type Reduced,
  type Reduction,
} from './reduce';

/**
 * Binary cross-entropy of logits x against targets y ∈ [0, 1] in the softplus form
 * y·softplus(−x) + (1 − y)·softplus(x): never log(sigmoid(x)), so logits of ±80 stay finite and
 * the gradient is exactly sigmoid(x) − y.
 */
export function bceWithLogits(logits: Tensor, targets: Tensor | number): Tensor {
  const fn = 'bceWithLogits';
  const x = tensorArg(fn, 'logits', logits);
  const numeric = typeof targets === 'number' && targets >= 0 && targets <= 1;
  const fits =
    targets instanceof Tensor &&
    !targets.isDisposed &&
    (targets.rank === 0 ||
      (targets.rank === x.rank && targets.shape.every((d, i) => d === x.shape[i])));
  // A tensor of another shape would broadcast ([n, 1] against [n] gives [n, n]) silently.
  if (!(numeric || fits))
    argError(
      fn,
      'targets',
      `a number in [0, 1], a scalar tf.Tensor or a tf.Tensor of logits' shape [${x.shape}]`,
      targets,
    );
  const y = typeof targets === 'number' ? scalar(targets) : targets;
  return add(mul(y, softplus(neg(logits))), mul(sub(1, y), softplus(logits)));
}

export interface MinimaxDiscriminatorLossOptions<R extends Reduction = Reduction>
  extends DiscriminatorLossOptions<R> {
  /** Target for real samples (one-sided label smoothing). Default 1; 0.9 is the classic value (Salimans et al. 2016). */
  realLabel?: number;
  /**
   * The TF-GAN / tfjs `labelSmoothing` s: targets become y·(1 − s) + 0.5·s, applied here to the
   * real targets only (one-sided), i.e. realLabel = 1 − s/2 (s = 0.2 ⇔ realLabel = 0.9).
   * Give realLabel or labelSmoothing, not both.
   */
  labelSmoothing?: number;
  /** Noisy labels: each sample's real/fake target is swapped with this probability. Default 0. */
  flipProbability?: number;
  /** Seed of the label flips (draw one per step from a SeedStream for reproducible runs). */
  seed?: number;
}

/**
 * The discriminator's minimax loss (Goodfellow et al. 2014):
 * −log D(x) − log(1 − D(G(z))) = BCE(real, 1) + BCE(fake, 0), from logits.
 */
export function minimaxDiscriminatorLoss<R extends Reduction = 'mean'>(
  realLogits: Tensor,
  fakeLogits: Tensor,
  options: MinimaxDiscriminatorLossOptions<R> = {},
): Reduced<R> {
  const fn = 'minimaxDiscriminatorLoss';
  options = optionsArg(fn, options);
  assertArg(
    options.realLabel == null || options.labelSmoothing == null,
    fn,
    'give realLabel or labelSmoothing, not both',
    'realLabel',
  );
  const unit = { min: 0, max: 1 };
  const realLabel =
    options.labelSmoothing != null
      ? 1 - numberArg(fn, 'labelSmoothing', options.labelSmoothing, unit) / 2
      : numberArg(fn, 'realLabel', options.realLabel ?? 1, unit);
  const flip = numberArg(fn, 'flipProbability', options.flipProbability ?? 0, unit);
  if (options.seed != null) seedArg(fn, 'seed', options.seed);
  return discriminatorLoss(
    fn,
    ['realLogits', 'fakeLogits'],
    realLogits,
    fakeLogits,
    options,
    (real, fake) => {
      if (flip === 0) return [bceWithLogits(real, realLabel), bceWithLogits(fake, 0)];
      const [nReal, nFake] = [real.shape[0], fake.shape[0]];
      const flipped = less(randomUniform([nReal + nFake], 0, 1, 'float32', options.seed), flip);
      const usual = concat([fill([nReal], realLabel), zeros([nFake])]);
      const targets = where(flipped, sub(realLabel, usual), usual); // a flip swaps realLabel ↔ 0
      return [
        bceWithLogits(real, slice(targets, [0], [nReal])),
        bceWithLogits(fake, slice(targets, [nReal], [nFake])),
      ];
    },
  );
}

/**
 * The original, saturating generator loss: log(1 − D(G(z))) = −BCE(fake, 0) = −softplus(x).
 * Its gradient vanishes when D is confident; prefer {@link nonSaturatingGeneratorLoss}.
 */
export function minimaxGeneratorLoss<R extends Reduction = 'mean'>(
  fakeLogits: Tensor,
  options: LossOptions<R> = {},
): Reduced<R> {
  return generatorLoss('minimaxGeneratorLoss', 'fakeLogits', fakeLogits, options, (fake) =>
    neg(softplus(fake)),
  );
}

export interface NonSaturatingGeneratorLossOptions<R extends Reduction = Reduction>
  extends LossOptions<R> {
  /** Target the generator aims its fakes at. Default 1. */
  targetLabel?: number;
}

/** The non-saturating generator loss (Goodfellow et al. 2014): −log D(G(z)) = BCE(fake, 1). */
export function nonSaturatingGeneratorLoss<R extends Reduction = 'mean'>(
  fakeLogits: Tensor,
  options: NonSaturatingGeneratorLossOptions<R> = {},
): Reduced<R> {
  const fn = 'nonSaturatingGeneratorLoss';
  options = optionsArg(fn, options);
  const target = numberArg(fn, 'targetLabel', options.targetLabel ?? 1, { min: 0, max: 1 });
  return generatorLoss(fn, 'fakeLogits', fakeLogits, options, (fake) =>
    bceWithLogits(fake, target),
  );
}
