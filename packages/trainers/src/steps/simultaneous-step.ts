import { type Batch, splitBatch } from '@gan/core';
import { weightClipping } from '@gan/losses';
import { dispose, type Scalar, tidy, variableGrads } from '@tensorflow/tfjs-core';
import { augmentationArg, contextClipping, type GanContext, trainableVariables } from '../context';
import {
  checkBatch,
  discriminatorObjective,
  generated,
  generatorObjective,
  latentBatch,
  type Observed,
  observeOutputs,
  stepLabels,
  stepSeeds,
} from './objectives';
import { StepResult } from './step-result';

/**
 * Both networks updated from the same state (the faces write-up's "truly parallel" step): the
 * discriminator's and the generator's gradients are both taken at the current weights, from the
 * same z and real batch, and only then applied. tfjs's tape is spent by one backward pass, so
 * the forward pass runs once per network — with identical inputs and weights, hence identical
 * values; batch-norm running statistics see the batch twice.
 */
export function simultaneousStep(ctx: GanContext, real: Batch): StepResult {
  const fn = 'simultaneousStep';
  const { images, labels } = splitBatch(fn, 'real', real);
  const n = checkBatch(fn, ctx, images);
  const y = stepLabels(fn, ctx, labels, n, 'real');
  const seeds = stepSeeds(ctx);
  const augment = augmentationArg(fn, 'ctx.augment', ctx.augment);
  const z = latentBatch(ctx, n, seeds.z);
  const kept: Record<string, Scalar> = {};
  const observed: Observed = {};
  const objective = { loss: ctx.losses.discriminator, penalty: ctx.losses.penalty, augment };
  const d = variableGrads(
    () =>
      discriminatorObjective(
        fn,
        ctx,
        images,
        generated(ctx, z, y),
        seeds,
        objective,
        kept,
        observed,
        y,
      ),
    trainableVariables(ctx.discriminator),
  );
  const g = variableGrads(
    () => generatorObjective(fn, ctx, z, seeds, ctx.losses.generator, augment, y, kept),
    trainableVariables(ctx.generator),
  );
  tidy(() => {
    ctx.optimizers.discriminator.applyGradients(d.grads);
    ctx.optimizers.generator.applyGradients(g.grads);
  });
  dispose([z, y, ...Object.values(d.grads), ...Object.values(g.grads)]);
  observeOutputs(ctx, augment, observed);
  const clip = contextClipping(ctx);
  if (clip != null) weightClipping(ctx.discriminator, clip);
  ctx.ema?.update(ctx.generator);
  return new StepResult({ discriminatorLoss: d.value, generatorLoss: g.value, ...kept });
}
