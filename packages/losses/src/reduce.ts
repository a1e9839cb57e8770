import { ArgumentError, aliasArg, numberArg, oneOf, optionsArg, tensorArg } from '@gan/core';
import {
  add,
  concat,
  mul,
  reshape,
  type Scalar,
  scalar,
  sum,
  type Tensor,
  type Tensor1D,
  tidy,
} from '@tensorflow/tfjs-core';

/** How per-sample losses become the result: their mean (default), their sum, or none (the [n] vector). */
export type Reduction = 'mean' | 'sum' | 'none';

/** A loss's result: a scalar, or the [n] per-sample losses with reduction 'none'. */
export type Reduced<R extends Reduction> = R extends 'none' ? Tensor1D : Scalar;

/** Options every loss takes: per-sample weights (`sampleWeights`) and the `reduction`. */
export interface LossOptions<R extends Reduction = Reduction> {
  /** Per-sample weights: a number, or a tensor of shape [n] or [n, 1]. */
  sampleWeights?: Weights;
  /** @deprecated Renamed `sampleWeights`; this name still works until the next minor. */
  weights?: Weights;
  /** 'mean' (default), 'sum', or 'none' for the per-sample losses. */
  reduction?: R;
}

/** Per-sample weights: a number, or a tensor of shape [n] or [n, 1]. */
export type Weights = number | Tensor;

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

export function checkReduction(fn: string, reduction: unknown): Reduction {
  return oneOf(fn, 'reduction', reduction ?? 'mean', REDUCTIONS);
}

/**
 * Logits or scores of shape [n] or [n, 1] (a layers model's output) as a float [n] vector;
 * anything else is an ArgumentError naming the argument. Reads no data.
 */
export function perSample(fn: string, name: string, x: unknown): Tensor {
  const t = tensorArg(fn, name, x);
  if (!(t.rank === 1 || (t.rank === 2 && t.shape[1] === 1)))
    throw new ArgumentError(fn, name, `${name} must have shape [n] or [n, 1], got [${t.shape}]`);
  tensorArg(fn, name, t, { dtype: 'float32', nonEmpty: true });
  return t.rank === 1 ? t : reshape(t, [t.shape[0]]);
}

/** Per-sample weights as an [n] vector (or a scalar), validated against the batch size. */
function weightVector(fn: string, name: string, weights: Weights, n: number): Tensor {
  if (typeof weights === 'number') return scalar(numberArg(fn, name, weights));
  const w = perSample(fn, name, weights);
  if (w.shape[0] !== n)
    throw new ArgumentError(
      fn,
      name,
      `${name} must have ${n} entries (one per sample), got ${w.shape[0]}`,
    );
  return w;
}

/**
 * Applies weights and the reduction to per-sample losses [n]. 'mean' divides the weighted sum
 * by n (not by the sum of weights), so zero weights lower the mean like a mask would.
 */
export function reduce(
  fn: string,
  losses: Tensor,
  reduction: Reduction,
  weights?: Weights,
  name = 'sampleWeights',
): Tensor {
  const n = losses.shape[0];
  const weighted = weights == null ? losses : mul(losses, weightVector(fn, name, weights, n));
  if (reduction === 'none') return weighted;
  const total = sum(weighted);
  return reduction === 'sum' ? total : mul(total, 1 / n);
}

/** Options of every discriminator loss: weights for each side and the reduction. */
export interface DiscriminatorLossOptions<R extends Reduction = Reduction> {
  realWeights?: Weights;
  fakeWeights?: Weights;
  /** 'mean' (default): mean over real plus mean over fake; 'sum': sums; 'none': per-sample losses, real then fake. */
  reduction?: R;
}

/** A discriminator loss from its per-sample real and fake terms: reduced sides added, or concatenated for 'none'. */
function discriminatorTotal(
  fn: string,
  realLoss: Tensor,
  fakeLoss: Tensor,
  reduction: Reduction,
  options: DiscriminatorLossOptions,
): Tensor {
  const realPart = reduce(fn, realLoss, reduction, options.realWeights, 'realWeights');
  const fakePart = reduce(fn, fakeLoss, reduction, options.fakeWeights, 'fakeWeights');
  return reduction === 'none' ? concat([realPart, fakePart]) : add(realPart, fakePart);
}

/**
 * A loss of one batch of outputs (a generator loss): `terms` maps the checked [n] outputs to
 * per-sample losses, which are weighted and reduced, all inside tidy.
 */
export function generatorLoss<R extends Reduction>(
  fn: string,
  name: string,
  outputs: Tensor,
  options: LossOptions<R>,
  terms: (x: Tensor) => Tensor,
): Reduced<R> {
  const checked = optionsArg(fn, options);
  const reduction = checkReduction(fn, checked.reduction);
  const weights = aliasArg(fn, checked, 'sampleWeights', 'weights');
  const arg = checked.weights !== undefined ? 'weights' : 'sampleWeights';
  return tidy(() =>
    reduce(fn, terms(perSample(fn, name, outputs)), reduction, weights, arg),
  ) as Reduced<R>;
}

/**
 * A loss of real and fake outputs: `terms` maps the checked [n] real and fake outputs to their
 * per-sample losses; each side is weighted and reduced, then the two are added (or concatenated,
 * real first, for 'none'), all inside tidy.
 */
export function discriminatorLoss<R extends Reduction>(
  fn: string,
  names: [string, string],
  real: Tensor,
  fake: Tensor,
  options: DiscriminatorLossOptions<R>,
  terms: (real: Tensor, fake: Tensor) => [Tensor, Tensor],
): Reduced<R> {
  const checked = optionsArg(fn, options);
  const reduction = checkReduction(fn, checked.reduction);
  return tidy(() => {
    const [realLoss, fakeLoss] = terms(
      perSample(fn, names[0], real),
      perSample(fn, names[1], fake),
    );
    return discriminatorTotal(fn, realLoss, fakeLoss, reduction, checked);
  }) as Reduced<R>;
}
