import {
  ArgumentError,
  aliasArg,
  argError,
  assertArg,
  booleanArg,
  describe,
  installGradientFixes,
  numberArg,
  optionsArg,
  seedArg,
  tensorArg,
} from '@gan/core';
import {
  add,
  grad,
  mean,
  moments,
  mul,
  randomUniform,
  relu,
  reshape,
  type Scalar,
  sqrt,
  square,
  sub,
  sum,
  Tensor,
  tidy,
} from '@tensorflow/tfjs-core';

/** A critic: a function of images, or a tfjs-layers model (called with `apply`). */
export type Critic =
  | ((x: Tensor) => Tensor)
  | { apply(x: Tensor, kwargs?: { training?: boolean }): unknown };

interface PenaltyCommon {
  /** Call a layers critic in training mode. Default true (as in the critic's own loss). */
  training?: boolean;
  /**
   * Accept a layers critic whose layers mix the samples of a batch (batch norm in training,
   * minibatch discrimination, minibatch-stddev). Default false: such critics are refused,
   * because the penalty needs each sample's own gradient.
   */
  allowBatchCoupling?: boolean;
}

interface LayerLike {
  getClassName(): string;
  layers?: LayerLike[];
}

/** Layers whose output for one sample depends on the others (batch norm only in training). */
const COUPLING = ['MinibatchDiscrimination', 'MinibatchStdDev'];

function couplingLayers(critic: Critic, training: boolean): string[] {
  const found: string[] = [];
  const visit = (layers: LayerLike[] | undefined) => {
    for (const layer of layers ?? []) {
      const name = layer.getClassName();
      if (COUPLING.includes(name) || (training && name === 'BatchNormalization')) found.push(name);
      visit(layer.layers);
    }
  };
  if (typeof critic !== 'function') visit((critic as { layers?: LayerLike[] }).layers);
  return [...new Set(found)];
}

/**
 * Refuses critics whose samples interact: ∂(Σ_j D(x_j))/∂x_i is then not ∂D(x_i)/∂x_i, so the
 * penalty would constrain the wrong quantity (and, for batch norm, Gulrajani et al. §4 warn the
 * critic is no longer a function of single inputs).
 */
function checkCritic(fn: string, critic: unknown, options: PenaltyCommon): void {
  const callable =
    typeof critic === 'function' ||
    typeof (critic as { apply?: unknown } | null)?.apply === 'function';
  if (!callable)
    argError(fn, 'critic', 'a function of images or a tfjs-layers model (with apply)', critic);
  if (options.training != null) booleanArg(fn, 'training', options.training);
  if (options.allowBatchCoupling != null)
    booleanArg(fn, 'allowBatchCoupling', options.allowBatchCoupling);
  if (options.allowBatchCoupling) return;
  const found = couplingLayers(critic as Critic, options.training ?? true);
  if (found.length > 0)
    throw new ArgumentError(
      fn,
      'critic',
      `the critic has ${found.join(', ')} layers, which mix the samples of a batch, so ` +
        'per-sample gradient norms are wrong. Build the critic with instance, layer or spectral ' +
        "normalisation (e.g. @gan/models' wganGpCritic or norm: 'layer'), or pass " +
        'allowBatchCoupling: true if you accept this.',
    );
}

export interface GradientPenaltyOptions extends PenaltyCommon {
  /** λ. Default 10 (Gulrajani et al. 2017). */
  weight?: number;
  /** The gradient norm the penalty pulls towards. Default 1. */
  target?: number;
  /** Penalise only norms above the target: max(0, ‖g‖ − target)². Default false. */
  oneSided?: boolean;
  /** Added inside the square root so the norm's gradient stays finite at ‖g‖ = 0. Default 1e-12. */
  epsilon?: number;
  /** Seed of α ~ U(0, 1) (draw one per step from a SeedStream for reproducible runs). */
  seed?: number;
  /** Explicit interpolation coefficients, shape [n] (instead of drawing them). */
  alpha?: Tensor;
}

export interface R1PenaltyOptions extends PenaltyCommon {
  /** The penalty's coefficient γ. Default 10 (Mescheder et al. 2018). */
  weight?: number;
  /** @deprecated Renamed `weight` (as in {@link gradientPenalty}); this name still works until the next minor. */
  gamma?: number;
}

export interface DraganPenaltyOptions extends GradientPenaltyOptions {
  /** Scale c of the perturbation c · std(x) · U(0, 1). Default 0.5 (Kodali et al. 2017). */
  perturbation?: number;
}

/**
 * Why the critic's output `out` for a batch of n is unusable, or undefined: it must be one
 * tensor with one row per sample ([n], [n, 1], or [n, …] such as a patch critic's map). A scalar
 * (a mean) or another batch size would be summed all the same and scale every gradient norm
 * silently.
 */
function criticOutputError(fn: string, out: unknown, n: number): ArgumentError | undefined {
  if (!(out instanceof Tensor))
    return new ArgumentError(
      fn,
      'critic',
      `critic must return a single tf.Tensor, got ${describe(out)}`,
    );
  if (out.rank === 0 || out.shape[0] !== n)
    return new ArgumentError(
      fn,
      'critic',
      `critic must return one score per sample ([${n}] or [${n}, 1]), got shape [${out.shape}]`,
    );
  return undefined;
}

/** A batch of images or features: a float32 tf.Tensor [n, …] with n ≥ 1. Reads no data. */
function checkImages(fn: string, name: string, x: unknown): Tensor {
  const t = tensorArg(fn, name, x);
  assertArg(
    t.rank >= 2,
    fn,
    () => `${name} must have a batch dimension and features (rank ≥ 2), got shape [${t.shape}]`,
    name,
  );
  return tensorArg(fn, name, t, { dtype: 'float32', nonEmpty: true });
}

/** [n] → [n, 1, …, 1], broadcastable against a batch of the given rank. */
function perSampleShape(n: number, rank: number): number[] {
  return [n, ...new Array(rank - 1).fill(1)];
}

/**
 * Per-sample squared gradient norms ‖∂D/∂x_i‖² of the critic at x. Summing D over the batch
 * gives every sample's own gradient, since the samples do not interact — which is why critics
 * under a gradient penalty must not use batch normalisation.
 */
function squaredGradientNorms(fn: string, critic: Critic, x: Tensor, training: boolean): Tensor {
  let misuse: ArgumentError | undefined;
  const gradient = grad((xi: Tensor) => {
    const out = typeof critic === 'function' ? critic(xi) : critic.apply(xi, { training });
    misuse = criticOutputError(fn, out, xi.shape[0]);
    // Throwing inside tf.grad would leak the tensors its tape saved: finish it, then throw.
    return misuse ? sum(mul(xi, 0)) : sum(out as Tensor);
  })(x);
  if (misuse) throw misuse;
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i + 1);
  return sum(square(gradient), axes);
}

/**
 * The WGAN-GP gradient penalty (Gulrajani et al. 2017): λ · mean_i (‖∇D(x̂_i)‖ − target)² at
 * x̂ = α·real + (1 − α)·fake, one α ~ U(0, 1) per sample broadcast over the other dimensions.
 * Its gradient reaches the critic's weights (a second derivative), correctly on every backend:
 * the @gan/core gradient fixes are installed on first use.
 */
export function gradientPenalty(
  critic: Critic,
  real: Tensor,
  fake: Tensor,
  options: GradientPenaltyOptions = {},
): Scalar {
  const fn = 'gradientPenalty';
  const checked = checkPenaltyOptions(fn, options);
  checkImages(fn, 'real', real);
  checkImages(fn, 'fake', fake);
  if (real.shape.join() !== fake.shape.join()) {
    throw new ArgumentError(
      fn,
      'fake',
      `real and fake must have the same shape, got [${real.shape}] and [${fake.shape}]`,
    );
  }
  checkAlpha(fn, checked.alpha, real.shape[0]);
  checkCritic(fn, critic, checked);
  return interpolatedPenalty(fn, critic, real, fake, checked);
}

/** The options of {@link gradientPenalty} (and {@link draganPenalty}), checked. */
function checkPenaltyOptions<T extends GradientPenaltyOptions>(
  fn: string,
  options: T,
): T & { weight: number; target: number; epsilon: number } {
  const o = optionsArg(fn, options);
  const min0 = { min: 0 };
  const weight = numberArg(fn, 'weight', o.weight ?? 10, min0);
  const target = numberArg(fn, 'target', o.target ?? 1, min0);
  const epsilon = numberArg(fn, 'epsilon', o.epsilon ?? 1e-12, min0);
  if (o.oneSided != null) booleanArg(fn, 'oneSided', o.oneSided);
  if (o.seed != null) seedArg(fn, 'seed', o.seed);
  return { ...o, weight, target, epsilon };
}

function checkAlpha(fn: string, alpha: unknown, n: number): void {
  if (alpha != null) tensorArg(fn, 'alpha', alpha, { shape: [n], dtype: 'float32' });
}

/** λ · mean (‖∇D(x̂)‖ − target)² at x̂ = α·real + (1 − α)·fake, for checked arguments. */
function interpolatedPenalty(
  fn: string,
  critic: Critic,
  real: Tensor,
  fake: Tensor,
  options: GradientPenaltyOptions & { weight: number; target: number; epsilon: number },
): Scalar {
  const { weight, target, epsilon } = options;
  const n = real.shape[0];
  installGradientFixes();
  return tidy(() => {
    const alpha = reshape(
      options.alpha ?? randomUniform([n], 0, 1, 'float32', options.seed),
      perSampleShape(n, real.rank),
    );
    const interpolated = add(mul(alpha, real), mul(sub(1, alpha), fake));
    const norms = sqrt(
      add(squaredGradientNorms(fn, critic, interpolated, options.training ?? true), epsilon),
    );
    const gap = sub(norms, target);
    const penalty = options.oneSided ? square(relu(gap)) : square(gap);
    return mul(weight, mean(penalty)) as Scalar;
  });
}

function zeroCenteredPenalty(
  fn: string,
  critic: Critic,
  x: Tensor,
  name: string,
  options: R1PenaltyOptions,
): Scalar {
  options = optionsArg(fn, options);
  const given = aliasArg(fn, options, 'weight', 'gamma');
  const arg = options.gamma !== undefined ? 'gamma' : 'weight';
  const gamma = numberArg(fn, arg, given ?? 10, { min: 0 });
  checkImages(fn, name, x);
  checkCritic(fn, critic, options);
  installGradientFixes();
  return tidy(
    () =>
      mul(gamma / 2, mean(squaredGradientNorms(fn, critic, x, options.training ?? true))) as Scalar,
  );
}

/** R1 (Mescheder et al. 2018): γ/2 · mean ‖∇D(x)‖² on real samples, γ = `weight` (default 10). */
export function r1Penalty(critic: Critic, real: Tensor, options: R1PenaltyOptions = {}): Scalar {
  return zeroCenteredPenalty('r1Penalty', critic, real, 'real', options);
}

/** R2: γ/2 · mean ‖∇D(G(z))‖² on generated samples, γ = `weight` (default 10). */
export function r2Penalty(critic: Critic, fake: Tensor, options: R1PenaltyOptions = {}): Scalar {
  return zeroCenteredPenalty('r2Penalty', critic, fake, 'fake', options);
}

/**
 * DRAGAN (Kodali et al. 2017): the gradient penalty around the real data, between x and
 * x + c·std(x)·U(0, 1) (std over the whole batch), with the same options as {@link gradientPenalty}.
 */
export function draganPenalty(
  critic: Critic,
  real: Tensor,
  options: DraganPenaltyOptions = {},
): Scalar {
  const fn = 'draganPenalty';
  const checked = checkPenaltyOptions(fn, options);
  const c = numberArg(fn, 'perturbation', checked.perturbation ?? 0.5, { min: 0 });
  checkImages(fn, 'real', real);
  checkAlpha(fn, checked.alpha, real.shape[0]);
  checkCritic(fn, critic, checked);
  const perturbed = tidy(() => {
    const std = sqrt(moments(real).variance);
    const noise = randomUniform(
      real.shape,
      0,
      1,
      'float32',
      checked.seed == null ? undefined : checked.seed + 1,
    );
    return add(real, mul(mul(c, std), noise));
  });
  try {
    return interpolatedPenalty(fn, critic, real, perturbed, checked);
  } finally {
    perturbed.dispose();
  }
}
