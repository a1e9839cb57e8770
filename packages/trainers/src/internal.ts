import {
  addN,
  dispose,
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
import type { GanContext } from './context';

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
