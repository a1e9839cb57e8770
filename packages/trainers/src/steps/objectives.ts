import { ArgumentError, describe, positiveInteger, tensorArg } from '@gan/core';
import {
  add,
  addN,
  dispose,
  keep,
  mean,
  mul,
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
  Augmentation,
  DiscriminatorLossFn,
  GanContext,
  GeneratorLossFn,
  PenaltyFn,
} from '../context';

/** Seeds of one step, always drawn in the same number so runs stay comparable across options. */
export function stepSeeds(ctx: GanContext) {
  const next = () => ctx.rng.nextSeed();
  return { z: next(), loss: next(), penalty: next(), augmentReal: next(), augmentFake: next() };
}

export function latentBatch(ctx: GanContext, n: number, seed: number): Tensor {
  return randomNormal([n, ctx.latentDim], 0, 1, 'float32', seed);
}

/** The real batch's size, after checking it fits the discriminator's input (`arg` names it). */
export function checkBatch(fn: string, ctx: GanContext, real: unknown, arg = 'real'): number {
  const expected = ctx.discriminator.inputs[0].shape;
  const batch = tensorArg(fn, arg, real, {
    shape: [null, ...expected.slice(1)],
    dtype: 'float32',
    nonEmpty: true,
  });
  return batch.shape[0];
}

export const positiveBatch = (fn: string, n: unknown) => positiveInteger(fn, 'batchSize', n);

/** A loss's value must be a scalar: a per-sample loss (reduction 'none') is a common slip. */
export function checkScalar(fn: string, what: string, value: Tensor): Scalar {
  if (value?.rank !== 0)
    throw new ArgumentError(
      fn,
      'loss',
      `${what} must return a scalar, got ${value?.rank === undefined ? describe(value) : `shape [${value.shape}]`} (reduction: 'none'?)`,
    );
  return value as Scalar;
}

export function output(
  model: { apply(x: Tensor, kwargs: { training: boolean }): unknown },
  x: Tensor,
): Tensor {
  return model.apply(x, { training: true }) as Tensor;
}

/** D's outputs on a step's real and generated batches, kept for the augmentation's `observe`. */
export interface Observed {
  real?: Tensor;
  fake?: Tensor;
}

/**
 * Hands D's outputs on the real and generated batches to the augmentation's `observe` (after
 * the update, outside the tape), then disposes them.
 */
export function observeOutputs(
  ctx: GanContext,
  augment: Augmentation | undefined,
  observed: Observed,
): void {
  const { real, fake } = observed;
  if (!real || !fake) return;
  try {
    augment?.observe?.(real, {
      fakeOutput: fake,
      discriminate: (images) => output(ctx.discriminator, images),
    });
  } finally {
    real.dispose();
    fake.dispose();
  }
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
  /** The penalty's factor in the loss (lazy regularisation: k on every k-th step). Default 1. */
  penaltyScale?: number;
  augment?: Augmentation;
  swapLabels?: boolean;
}

/**
 * The discriminator's loss (+ penalty) on a real and a generated batch, both augmented alike;
 * keeps the mean scores (and the penalty) in `kept`, and D's outputs on both batches in
 * `observed` when the augmentation observes them. Call it inside the tape.
 */
export function discriminatorObjective(
  fn: string,
  ctx: GanContext,
  real: Tensor,
  fake: Tensor,
  seeds: ReturnType<typeof stepSeeds>,
  objective: DiscriminatorObjective,
  kept: Record<string, Scalar>,
  observed: Observed = {},
): Scalar {
  const { loss, penalty, augment } = objective;
  const r = augment ? augment.apply(real, seeds.augmentReal) : real;
  const f = augment ? augment.apply(fake, seeds.augmentFake) : fake;
  const realOut = output(ctx.discriminator, r);
  const fakeOut = output(ctx.discriminator, f);
  if (augment?.observe) {
    observed.real = keep(realOut);
    observed.fake = keep(fakeOut);
  }
  kept.realScore = keep(mean(realOut)) as Scalar;
  kept.fakeScore = keep(mean(fakeOut)) as Scalar;
  const context = { seed: seeds.loss };
  const base = checkScalar(
    fn,
    'the discriminator loss',
    objective.swapLabels ? loss(fakeOut, realOut, context) : loss(realOut, fakeOut, context),
  );
  if (!penalty) return base;
  const p = checkScalar(
    fn,
    'the penalty',
    penalty(ctx.discriminator, r, f, { seed: seeds.penalty }),
  );
  kept.penalty = keep(p);
  const scale = objective.penaltyScale ?? 1;
  return add(base, scale === 1 ? p : mul(scale, p)) as Scalar;
}

/** The generator's loss on G(z), augmented as the discriminator's inputs are. Call it inside the tape. */
export function generatorObjective(
  fn: string,
  ctx: GanContext,
  z: Tensor,
  seeds: ReturnType<typeof stepSeeds>,
  loss: GeneratorLossFn,
  augment: Augmentation | undefined,
): Scalar {
  const fake = output(ctx.generator, z);
  const f = augment ? augment.apply(fake, seeds.augmentFake) : fake;
  return checkScalar(
    fn,
    'the generator loss',
    loss(output(ctx.discriminator, f), { seed: seeds.loss }),
  );
}
