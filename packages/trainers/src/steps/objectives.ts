import { ArgumentError, describe, labelsArg, positiveInteger, tensorArg } from '@gan/core';
import type { Critic } from '@gan/losses';
import {
  add,
  addN,
  cast,
  dispose,
  keep,
  mean,
  mul,
  type Optimizer,
  oneHot,
  randomNormal,
  randomUniform,
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
  AuxiliaryLosses,
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
  model: { apply(x: Tensor | Tensor[], kwargs: { training: boolean }): unknown },
  x: Tensor | Tensor[],
): Tensor {
  return model.apply(x, { training: true }) as Tensor;
}

/**
 * The one-hot labels `[n, numClasses]` a class-conditional step feeds its models, from a batch's
 * int32 labels after checking them under `fn` (`arg` names them); `undefined` for an
 * unconditional context. A conditional context without labels is an error naming `arg`.
 */
export function stepLabels(
  fn: string,
  ctx: GanContext,
  labels: Tensor | undefined,
  n: number,
  arg: string,
): Tensor | undefined {
  if (!checkStepLabels(fn, ctx, labels, n, arg)) return undefined;
  const k = ctx.numClasses as number;
  return tidy(() => cast(oneHot(labels as Tensor, k), 'float32'));
}

/**
 * Checks a batch's labels as {@link stepLabels} does, without making anything: true when the
 * context is class-conditional (and the labels fit), false when it is not.
 */
export function checkStepLabels(
  fn: string,
  ctx: GanContext,
  labels: Tensor | undefined,
  n: number,
  arg: string,
): boolean {
  if (ctx.numClasses === undefined) return false;
  if (labels === undefined)
    throw new ArgumentError(
      fn,
      arg,
      `the GAN is class-conditional (${ctx.numClasses} classes): ${arg} must be { images, labels } (labels int32 [n]), e.g. from @gan/data's labelledBatches`,
    );
  labelsArg(fn, `${arg}.labels`, labels, n);
  return true;
}

/** Labels drawn uniformly from the classes (int32 [n]) for a conditional generator step. */
export function randomLabels(ctx: GanContext, n: number, seed: number): Tensor {
  return randomUniform([n], 0, ctx.numClasses as number, 'int32', seed);
}

/** G's images of latents `z` (for the classes of one-hot `labels`, when conditional). */
export function generated(ctx: GanContext, z: Tensor, labels: Tensor | undefined): Tensor {
  return output(ctx.generator, labels ? [z, labels] : z);
}

/** D's scores on images, and its class logits when it has a class head (ACGAN). */
export interface Discriminated {
  scores: Tensor;
  classLogits?: Tensor;
}

/** D on images (with one-hot `labels` when it takes them), in training mode unless told. */
export function discriminate(
  ctx: GanContext,
  images: Tensor,
  labels: Tensor | undefined,
  training = true,
): Discriminated {
  const d = ctx.discriminator;
  const input = d.inputs.length === 2 ? [images, labels as Tensor] : images;
  const out = d.apply(input, { training }) as Tensor | Tensor[];
  return Array.isArray(out) ? { scores: out[0], classLogits: out[1] } : { scores: out };
}

/**
 * The critic a penalty differentiates: D itself for a plain discriminator; for a conditional or
 * two-output one, D's scores with the labels held fixed — still exposing D's layers, so the
 * penalties' batch-coupling check sees them.
 */
function penaltyCritic(ctx: GanContext, labels: Tensor | undefined): Critic {
  const d = ctx.discriminator;
  if (d.inputs.length === 1 && d.outputs.length === 1) return d;
  return {
    apply: (x: Tensor, kwargs?: { training?: boolean }) =>
      discriminate(ctx, x, labels, kwargs?.training ?? true).scores,
    layers: d.layers,
  } as Critic;
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
      discriminate: (images) => {
        if (ctx.discriminator.inputs.length === 2)
          throw new Error(
            `${augment.name}: the discriminator takes labels, so held-out images cannot be scored without theirs; use a heuristic on the training batch (adaptive augmentation's r_t)`,
          );
        return discriminate(ctx, images, undefined).scores;
      },
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
  labels?: Tensor,
): Scalar {
  const { loss, penalty, augment } = objective;
  const r = augment ? augment.apply(real, seeds.augmentReal) : real;
  const f = augment ? augment.apply(fake, seeds.augmentFake) : fake;
  const onReal = discriminate(ctx, r, labels);
  const onFake = discriminate(ctx, f, labels);
  const realOut = onReal.scores;
  const fakeOut = onFake.scores;
  if (augment?.observe) {
    observed.real = keep(realOut);
    observed.fake = keep(fakeOut);
  }
  kept.realScore = keep(mean(realOut)) as Scalar;
  kept.fakeScore = keep(mean(fakeOut)) as Scalar;
  const context = { seed: seeds.loss };
  let base = checkScalar(
    fn,
    'the discriminator loss',
    objective.swapLabels ? loss(fakeOut, realOut, context) : loss(realOut, fakeOut, context),
  );
  if (onReal.classLogits && onFake.classLogits) {
    const auxiliary = checkScalar(
      fn,
      'losses.auxiliary.discriminator',
      (ctx.losses.auxiliary as AuxiliaryLosses).discriminator(
        onReal.classLogits,
        onFake.classLogits,
        labels as Tensor,
        context,
      ),
    );
    kept.discriminatorAuxiliaryLoss = keep(auxiliary);
    base = add(base, auxiliary) as Scalar;
  }
  if (!penalty) return base;
  const p = checkScalar(
    fn,
    'the penalty',
    penalty(penaltyCritic(ctx, labels), r, f, { seed: seeds.penalty }),
  );
  kept.penalty = keep(p);
  const scale = objective.penaltyScale ?? 1;
  return add(base, scale === 1 ? p : mul(scale, p)) as Scalar;
}

/**
 * The generator's loss on G(z) (G(z, y) for one-hot `labels`), augmented as the discriminator's
 * inputs are, plus the auxiliary classifier's loss when D has a class head (kept in `kept`).
 * Call it inside the tape.
 */
export function generatorObjective(
  fn: string,
  ctx: GanContext,
  z: Tensor,
  seeds: ReturnType<typeof stepSeeds>,
  loss: GeneratorLossFn,
  augment: Augmentation | undefined,
  labels?: Tensor,
  kept: Record<string, Scalar> = {},
): Scalar {
  const fake = generated(ctx, z, labels);
  const f = augment ? augment.apply(fake, seeds.augmentFake) : fake;
  const { scores, classLogits } = discriminate(ctx, f, labels);
  const context = { seed: seeds.loss };
  const adversarial = checkScalar(fn, 'the generator loss', loss(scores, context));
  if (!classLogits) return adversarial;
  const auxiliary = checkScalar(
    fn,
    'losses.auxiliary.generator',
    (ctx.losses.auxiliary as AuxiliaryLosses).generator(classLogits, labels as Tensor, context),
  );
  kept.generatorAuxiliaryLoss = keep(auxiliary);
  return add(adversarial, auxiliary) as Scalar;
}
