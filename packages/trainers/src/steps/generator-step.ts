import { functionArg, optionsArg } from '@gan/core';
import {
  type Augmentation,
  type AugmentFn,
  augmentationArg,
  type GanContext,
  type GeneratorLossFn,
  trainableVariables,
} from '../context';
import { generatorObjective, latentBatch, positiveBatch, stepSeeds, update } from './objectives';
import { StepResult } from './step-result';

export interface GeneratorStepOptions {
  /** Default: `ctx.losses.generator`. */
  loss?: GeneratorLossFn;
  /** Default: `ctx.augment`; `null` for none. */
  augment?: AugmentFn | Augmentation | null;
}

/**
 * One generator update: G(z) for a fresh z, D on it (in training mode, as PyTorch's loops),
 * the loss, one optimizer step on G's trainable weights only, then the EMA update if the context
 * has one. Returns `generatorLoss` (and `generatorGradientNorm` when `ctx.gradientNorms`) as tensors.
 */
export function generatorStep(
  ctx: GanContext,
  batchSize: number,
  options: GeneratorStepOptions = {},
): StepResult {
  const fn = 'generatorStep';
  const n = positiveBatch(fn, batchSize);
  const opts = optionsArg(fn, options);
  const loss = functionArg<GeneratorLossFn>(fn, 'loss', opts.loss ?? ctx.losses.generator);
  const augment = augmentationArg(
    fn,
    'augment',
    opts.augment === null ? undefined : (opts.augment ?? ctx.augment),
  );
  const seeds = stepSeeds(ctx);
  const { cost, gradientNorm } = update(
    ctx.optimizers.generator,
    () => generatorObjective(fn, ctx, latentBatch(ctx, n, seeds.z), seeds, loss, augment),
    trainableVariables(ctx.generator),
    ctx.gradientNorms === true,
  );
  ctx.ema?.update(ctx.generator);
  return new StepResult(
    gradientNorm
      ? { generatorLoss: cost, generatorGradientNorm: gradientNorm }
      : { generatorLoss: cost },
  );
}
