import {
  add,
  addN,
  dispose,
  keep,
  mean,
  type Optimizer,
  randomNormal,
  type Scalar,
  sqrt,
  square,
  sum,
  type Tensor,
  tidy,
  type Variable,
  variableGrads,
} from '@tensorflow/tfjs-core';
import type {
  AugmentFn,
  DiscriminatorLossFn,
  GanContext,
  GeneratorLossFn,
  PenaltyFn,
} from './context';

/** Seeds of one step, always drawn in the same number so runs stay comparable across options. */
export function stepSeeds(ctx: GanContext) {
  const next = () => ctx.rng.nextSeed();
  return { z: next(), loss: next(), penalty: next(), augmentReal: next(), augmentFake: next() };
}

export function latentBatch(ctx: GanContext, n: number, seed: number): Tensor {
  return randomNormal([n, ctx.latentDim], 0, 1, 'float32', seed);
}

export function checkBatch(fn: string, ctx: GanContext, real: Tensor): number {
  const expected = ctx.discriminator.inputs[0].shape;
  const ok =
    real.rank === expected.length &&
    real.shape[0] > 0 &&
    expected.slice(1).every((d, i) => d == null || d === real.shape[i + 1]);
  if (!ok)
    throw new Error(
      `${fn}: real batch has shape [${real.shape}], the discriminator takes [${expected.map((d) => d ?? 'n')}]`,
    );
  if (real.dtype !== 'float32')
    throw new Error(`${fn}: real batch must be float32, got ${real.dtype}`);
  return real.shape[0];
}

export function positiveBatch(fn: string, n: number): number {
  if (!(Number.isInteger(n) && n > 0))
    throw new Error(`${fn}: batchSize must be a positive integer, got ${n}`);
  return n;
}

export function output(
  model: { apply(x: Tensor, kwargs: { training: boolean }): unknown },
  x: Tensor,
): Tensor {
  return model.apply(x, { training: true }) as Tensor;
}

/**
 * One optimizer update of `variables` on `loss` — `optimizer.minimize`, or, when the global L2
 * norm of the gradient is wanted, the same computation spelt out so the gradient can be measured.
 */
export function update(
  optimizer: Optimizer,
  loss: () => Scalar,
  variables: Variable[],
  withNorm: boolean,
): { cost: Scalar; gradientNorm?: Scalar } {
  if (!withNorm) return { cost: optimizer.minimize(loss, true, variables) as Scalar };
  const { value, grads } = variableGrads(loss, variables);
  const gradientNorm = tidy(
    () => sqrt(addN(Object.values(grads).map((g) => sum(square(g))))) as Scalar,
  );
  optimizer.applyGradients(grads);
  dispose(Object.values(grads));
  return { cost: value, gradientNorm };
}

export interface DiscriminatorObjective {
  loss: DiscriminatorLossFn;
  penalty?: PenaltyFn;
  augment?: AugmentFn;
  swapLabels?: boolean;
}

/**
 * The discriminator's loss (+ penalty) on a real and a generated batch, both augmented alike;
 * keeps the mean scores (and the penalty) in `kept`. Call it inside the tape.
 */
export function discriminatorObjective(
  ctx: GanContext,
  real: Tensor,
  fake: Tensor,
  seeds: ReturnType<typeof stepSeeds>,
  objective: DiscriminatorObjective,
  kept: Record<string, Scalar>,
): Scalar {
  const { loss, penalty, augment } = objective;
  const r = augment ? augment(real, seeds.augmentReal) : real;
  const f = augment ? augment(fake, seeds.augmentFake) : fake;
  const realOut = output(ctx.discriminator, r);
  const fakeOut = output(ctx.discriminator, f);
  kept.realScore = keep(mean(realOut)) as Scalar;
  kept.fakeScore = keep(mean(fakeOut)) as Scalar;
  const context = { seed: seeds.loss };
  const base = objective.swapLabels
    ? loss(fakeOut, realOut, context)
    : loss(realOut, fakeOut, context);
  if (!penalty) return base;
  const p = penalty(ctx.discriminator, r, f, { seed: seeds.penalty });
  kept.penalty = keep(p);
  return add(base, p) as Scalar;
}

/** The generator's loss on G(z), augmented as the discriminator's inputs are. Call it inside the tape. */
export function generatorObjective(
  ctx: GanContext,
  z: Tensor,
  seeds: ReturnType<typeof stepSeeds>,
  loss: GeneratorLossFn,
  augment: AugmentFn | undefined,
): Scalar {
  const fake = output(ctx.generator, z);
  const f = augment ? augment(fake, seeds.augmentFake) : fake;
  return loss(output(ctx.discriminator, f), { seed: seeds.loss });
}
