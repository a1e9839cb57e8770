import { ArgumentError, functionArg, optionsArg } from '@gan/core';
import { type Scalar, type Tensor, tidy } from '@tensorflow/tfjs-core';
import {
  type Augmentation,
  type AugmentFn,
  augmentationArg,
  type GanContext,
  type GeneratorLossFn,
  trainableVariables,
} from '../context';
import {
  generatorObjective,
  latentBatch,
  positiveBatch,
  randomLabels,
  stepLabels,
  stepSeeds,
  update,
} from './objectives';
import { StepResult } from './step-result';

export interface GeneratorStepOptions {
  /**
   * A class-conditional GAN's classes to generate, int32 [batchSize]. Default: drawn uniformly
   * from the context's random stream.
   */
  labels?: Tensor;
  /** Default: `ctx.losses.generator`. */
  loss?: GeneratorLossFn;
  /** Default: `ctx.augment`; `null` for none. */
  augment?: AugmentFn | Augmentation | null;
}

/**
 * One generator update: G(z) for a fresh z, D on it (in training mode, as PyTorch's loops),
 * the loss, one optimizer step on G's trainable weights only, then the EMA update if the context
 * has one. A class-conditional G makes `labels` (default: uniform draws). Returns `generatorLoss`
 * (`generatorAuxiliaryLoss` with a class head, `generatorGradientNorm` when `ctx.gradientNorms`) as tensors.
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
  if (opts.labels !== undefined && ctx.numClasses === undefined)
    throw new ArgumentError(
      fn,
      'labels',
      'labels are for a class-conditional generator ([z, labels] inputs)',
    );
  const seeds = stepSeeds(ctx);
  // Drawn only for a conditional GAN: an unconditional run's stream stays as it was.
  const labelSeed = ctx.numClasses === undefined ? 0 : ctx.rng.nextSeed();
  const y = tidy(() =>
    stepLabels(
      fn,
      ctx,
      opts.labels ?? (ctx.numClasses ? randomLabels(ctx, n, labelSeed) : undefined),
      n,
      'labels',
    ),
  );
  const kept: Record<string, Scalar> = {};
  const { cost, gradientNorm } = update(
    ctx.optimizers.generator,
    () => generatorObjective(fn, ctx, latentBatch(ctx, n, seeds.z), seeds, loss, augment, y, kept),
    trainableVariables(ctx.generator),
    ctx.gradientNorms === true,
  );
  y?.dispose();
  ctx.ema?.update(ctx.generator);
  return new StepResult({
    generatorLoss: cost,
    ...kept,
    ...(gradientNorm ? { generatorGradientNorm: gradientNorm } : {}),
  });
}
