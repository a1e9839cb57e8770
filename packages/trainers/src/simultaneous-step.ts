import { weightClipping } from '@gan/losses';
import {
  add,
  dispose,
  keep,
  mean,
  type Scalar,
  type Tensor,
  tidy,
  variableGrads,
} from '@tensorflow/tfjs-core';
import { type GanContext, trainableVariables } from './context';
import { checkBatch, latentBatch, output, stepSeeds } from './internal';
import { StepResult } from './step-result';

/**
 * Both networks updated from the same state (the faces write-up's "truly parallel" step): the
 * discriminator's and the generator's gradients are both taken at the current weights, from the
 * same z and real batch, and only then applied. tfjs's tape is spent by one backward pass, so
 * the forward pass runs once per network — with identical inputs and weights, hence identical
 * values; batch-norm running statistics see the batch twice.
 */
export function simultaneousStep(ctx: GanContext, real: Tensor): StepResult {
  const n = checkBatch('simultaneousStep', ctx, real);
  const seeds = stepSeeds(ctx);
  const { penalty } = ctx.losses;
  const augment = ctx.augment;
  const z = latentBatch(ctx, n, seeds.z);
  const kept: Record<string, Scalar> = {};
  const augmentFake = (fake: Tensor) => (augment ? augment(fake, seeds.augmentFake) : fake);
  const d = variableGrads(() => {
    const f = augmentFake(output(ctx.generator, z));
    const r = augment ? augment(real, seeds.augmentReal) : real;
    const realOut = output(ctx.discriminator, r);
    const fakeOut = output(ctx.discriminator, f);
    kept.realScore = keep(mean(realOut)) as Scalar;
    kept.fakeScore = keep(mean(fakeOut)) as Scalar;
    const base = ctx.losses.discriminator(realOut, fakeOut, { seed: seeds.loss });
    if (!penalty) return base;
    const p = penalty(ctx.discriminator, r, f, { seed: seeds.penalty });
    kept.penalty = keep(p);
    return add(base, p) as Scalar;
  }, trainableVariables(ctx.discriminator));
  const g = variableGrads(
    () =>
      ctx.losses.generator(output(ctx.discriminator, augmentFake(output(ctx.generator, z))), {
        seed: seeds.loss,
      }),
    trainableVariables(ctx.generator),
  );
  tidy(() => {
    ctx.optimizers.discriminator.applyGradients(d.grads);
    ctx.optimizers.generator.applyGradients(g.grads);
  });
  dispose([z, ...Object.values(d.grads), ...Object.values(g.grads)]);
  if (ctx.clipValue != null) weightClipping(ctx.discriminator, ctx.clipValue);
  ctx.ema?.update(ctx.generator);
  return new StepResult({ discriminatorLoss: d.value, generatorLoss: g.value, ...kept });
}
