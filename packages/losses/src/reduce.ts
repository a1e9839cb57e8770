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
  Tensor as TensorClass,
  tidy,
} from '@tensorflow/tfjs-core';

/** How per-sample losses become the result: their mean (default), their sum, or none (the [n] vector). */
export type Reduction = 'mean' | 'sum' | 'none';

/** A loss's result: a scalar, or the [n] per-sample losses with reduction 'none'. */
export type Reduced<R extends Reduction> = R extends 'none' ? Tensor1D : Scalar;

/** Options every loss takes: per-sample `weights` and the `reduction`. */
export interface LossOptions<R extends Reduction = Reduction> {
  weights?: Weights;
  /** 'mean' (default), 'sum', or 'none' for the per-sample losses. */
  reduction?: R;
}

/** Per-sample weights: a number, or a tensor of shape [n] or [n, 1]. */
export type Weights = number | Tensor;

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

/** Checks an options number: finite, and within [min, max] when given. */
export function finiteOption(
  fn: string,
  name: string,
  value: number,
  min = -Infinity,
  max = Infinity,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const bounded = [min > -Infinity, max < Infinity];
    const range =
      bounded[0] && bounded[1]
        ? ` in [${min}, ${max}]`
        : bounded[0]
          ? ` ≥ ${min}`
          : bounded[1]
            ? ` ≤ ${max}`
            : '';
    throw new Error(`${fn}: ${name} must be a finite number${range}, got ${value}`);
  }
  return value;
}

export function checkReduction(fn: string, reduction: Reduction | undefined): Reduction {
  const r = reduction ?? 'mean';
  if (!REDUCTIONS.includes(r))
    throw new Error(`${fn}: reduction must be 'mean', 'sum' or 'none', got ${r}`);
  return r;
}

/**
 * Logits or scores of shape [n] or [n, 1] (a layers model's output) as a float [n] vector;
 * anything else is an error naming the argument.
 */
export function perSample(fn: string, name: string, x: Tensor): Tensor {
  if (!(x instanceof TensorClass))
    throw new Error(`${fn}: ${name} must be a tf.Tensor, got ${typeof x}`);
  const ok = x.rank === 1 || (x.rank === 2 && x.shape[1] === 1);
  if (!ok) throw new Error(`${fn}: ${name} must have shape [n] or [n, 1], got [${x.shape}]`);
  if (x.shape[0] === 0) throw new Error(`${fn}: ${name} is empty`);
  if (x.dtype !== 'float32') throw new Error(`${fn}: ${name} must be float32, got ${x.dtype}`);
  return x.rank === 1 ? x : reshape(x, [x.shape[0]]);
}

/** Checks that two per-sample vectors have the same length (for losses that pair samples). */
export function sameLength(fn: string, a: [string, Tensor], b: [string, Tensor]): void {
  if (a[1].shape[0] !== b[1].shape[0]) {
    throw new Error(
      `${fn}: ${a[0]} and ${b[0]} must have the same batch size, got ${a[1].shape[0]} and ${b[1].shape[0]}`,
    );
  }
}

/** Per-sample weights as an [n] vector (or a scalar), validated against the batch size. */
function weightVector(fn: string, name: string, weights: Weights, n: number): Tensor {
  if (typeof weights === 'number') return scalar(finiteOption(fn, name, weights));
  const w = perSample(fn, name, weights);
  if (w.shape[0] !== n)
    throw new Error(`${fn}: ${name} must have ${n} entries (one per sample), got ${w.shape[0]}`);
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
  name = 'weights',
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
  const reduction = checkReduction(fn, options.reduction);
  return tidy(() =>
    reduce(fn, terms(perSample(fn, name, outputs)), reduction, options.weights),
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
  const reduction = checkReduction(fn, options.reduction);
  return tidy(() => {
    const [realLoss, fakeLoss] = terms(
      perSample(fn, names[0], real),
      perSample(fn, names[1], fake),
    );
    return discriminatorTotal(fn, realLoss, fakeLoss, reduction, options);
  }) as Reduced<R>;
}
