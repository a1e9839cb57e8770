import { weightClipping } from '@gan/losses';
import { type Scalar, type Tensor, tidy } from '@tensorflow/tfjs-core';
import {
  type AugmentFn,
  type DiscriminatorLossFn,
  type GanContext,
  type PenaltyFn,
  trainableVariables,
} from './context';
import {
  checkBatch,
  discriminatorObjective,
  latentBatch,
  output,
  stepSeeds,
  update,
} from './internal';
import { StepResult } from './step-result';

export interface DiscriminatorStepOptions {
  /** Default: `ctx.losses.discriminator`. */
  loss?: DiscriminatorLossFn;
  /** Default: `ctx.losses.penalty`; `null` for none. */
  penalty?: PenaltyFn | null;
  /** Noisy labels: train with real samples labelled fake and generated ones labelled real. */
  swapLabels?: boolean;
  /** Default: `ctx.clipValue`. */
  clipValue?: number;
  /** Default: `ctx.augment`; `null` for none. */
  augment?: AugmentFn | null;
}

/**
 * One discriminator update: G(z) for a fresh z (not differentiated), D on the real and generated
 * batches, the loss (+ penalty), one optimizer step on D's trainable weights only, then weight
 * clipping if asked. Returns `discriminatorLoss` (with the penalty), `penalty`, `realScore` and
 * `fakeScore` (mean D outputs), and `discriminatorGradientNorm` when `ctx.gradientNorms`, as tensors.
 */
export function discriminatorStep(
  ctx: GanContext,
  real: Tensor,
  options: DiscriminatorStepOptions = {},
): StepResult {
  const n = checkBatch('discriminatorStep', ctx, real);
  const seeds = stepSeeds(ctx);
  const loss = options.loss ?? ctx.losses.discriminator;
  const penalty = options.penalty === null ? undefined : (options.penalty ?? ctx.losses.penalty);
  const augment = options.augment === null ? undefined : (options.augment ?? ctx.augment);
  const clipValue = options.clipValue ?? ctx.clipValue;
  const kept: Record<string, Scalar> = {};
  const fake = tidy(() => output(ctx.generator, latentBatch(ctx, n, seeds.z)));
  const { cost, gradientNorm } = update(
    ctx.optimizers.discriminator,
    () =>
      discriminatorObjective(
        ctx,
        real,
        fake,
        seeds,
        { loss, penalty, augment, swapLabels: options.swapLabels },
        kept,
      ),
    trainableVariables(ctx.discriminator),
    ctx.gradientNorms === true,
  );
  fake.dispose();
  if (clipValue != null) weightClipping(ctx.discriminator, clipValue);
  if (gradientNorm) kept.discriminatorGradientNorm = gradientNorm;
  return new StepResult({ discriminatorLoss: cost, ...kept });
}
