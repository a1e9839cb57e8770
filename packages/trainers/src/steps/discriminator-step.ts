import {
  aliasArg,
  type Batch,
  functionArg,
  optionsArg,
  positiveNumber,
  splitBatch,
} from '@gan/core';
import { weightClipping } from '@gan/losses';
import { dispose, type Scalar, tidy } from '@tensorflow/tfjs-core';
import {
  type Augmentation,
  type AugmentFn,
  augmentationArg,
  contextClipping,
  type DiscriminatorLossFn,
  type GanContext,
  type PenaltyFn,
  trainableVariables,
} from '../context';
import {
  checkBatch,
  discriminatorObjective,
  generated,
  latentBatch,
  type Observed,
  observeOutputs,
  stepLabels,
  stepSeeds,
  update,
} from './objectives';
import { StepResult } from './step-result';

export interface DiscriminatorStepOptions {
  /** Default: `ctx.losses.discriminator`. */
  loss?: DiscriminatorLossFn;
  /** Default: `ctx.losses.penalty`; `null` for none. */
  penalty?: PenaltyFn | null;
  /**
   * The penalty's factor in the loss. Lazy regularisation (Karras et al. 2020, StyleGAN2) computes
   * the penalty on every k-th critic step only, with factor k, and passes `penalty: null` between:
   * the trainer's `penaltyEvery: k` does this. Default 1.
   */
  penaltyScale?: number;
  /** Noisy labels: train with real samples labelled fake and generated ones labelled real. */
  swapLabels?: boolean;
  /** Clip D's weights to [−c, c] after the update (`weightClipping` of `@gan/losses`). Default: `ctx.weightClipping`. */
  weightClipping?: number;
  /** @deprecated Renamed `weightClipping`; this name still works until the next minor. */
  clipValue?: number;
  /** Default: `ctx.augment`; `null` for none. An {@link Augmentation}'s `observe` sees D's real outputs. */
  augment?: AugmentFn | Augmentation | null;
}

/**
 * One discriminator update: G(z) for a fresh z (not differentiated; G(z, y) with the real batch's
 * labels y when the GAN is class-conditional, `real` then `{ images, labels }`), D on the real and generated
 * batches, the loss (+ penalty), one optimizer step on D's trainable weights only, then weight
 * clipping if asked; an {@link Augmentation} with `observe` then sees D's outputs on the real
 * and generated batches (and can run the updated D on other images: `ObservedStep`). Returns
 * `discriminatorLoss` (with the penalty), `penalty`, `realScore` and `fakeScore` (mean D
 * outputs), `discriminatorAuxiliaryLoss` with a class head, and `discriminatorGradientNorm` when
 * `ctx.gradientNorms`, as tensors.
 */
export function discriminatorStep(
  ctx: GanContext,
  real: Batch,
  options: DiscriminatorStepOptions = {},
): StepResult {
  const fn = 'discriminatorStep';
  const { images, labels } = splitBatch(fn, 'real', real);
  const n = checkBatch(fn, ctx, images);
  // Every option checked before anything changes (the RNG, the weights).
  const opts = optionsArg(fn, options);
  const loss = functionArg<DiscriminatorLossFn>(fn, 'loss', opts.loss ?? ctx.losses.discriminator);
  const penalty = opts.penalty === null ? undefined : (opts.penalty ?? ctx.losses.penalty);
  if (penalty !== undefined) functionArg(fn, 'penalty', penalty);
  const penaltyScale =
    opts.penaltyScale === undefined ? 1 : positiveNumber(fn, 'penaltyScale', opts.penaltyScale);
  const augment = augmentationArg(
    fn,
    'augment',
    opts.augment === null ? undefined : (opts.augment ?? ctx.augment),
  );
  const given = aliasArg(fn, opts, 'weightClipping', 'clipValue');
  const clip = given ?? contextClipping(ctx);
  if (clip != null)
    positiveNumber(
      fn,
      given === undefined
        ? 'ctx.weightClipping'
        : opts.clipValue !== undefined
          ? 'clipValue'
          : 'weightClipping',
      clip,
    );
  const y = stepLabels(fn, ctx, labels, n, 'real');
  const seeds = stepSeeds(ctx);
  const kept: Record<string, Scalar> = {};
  const observed: Observed = {};
  // A conditional G makes the real batch's classes: one label per pair, so the penalty's
  // interpolates and the auxiliary loss see a single class each.
  const fake = tidy(() => generated(ctx, latentBatch(ctx, n, seeds.z), y));
  const { cost, gradientNorm } = update(
    ctx.optimizers.discriminator,
    () =>
      discriminatorObjective(
        fn,
        ctx,
        images,
        fake,
        seeds,
        { loss, penalty, penaltyScale, augment, swapLabels: opts.swapLabels },
        kept,
        observed,
        y,
      ),
    trainableVariables(ctx.discriminator),
    ctx.gradientNorms === true,
  );
  dispose([fake, y]);
  observeOutputs(ctx, augment, observed);
  if (clip != null) weightClipping(ctx.discriminator, clip);
  if (gradientNorm) kept.discriminatorGradientNorm = gradientNorm;
  return new StepResult({ discriminatorLoss: cost, ...kept });
}
