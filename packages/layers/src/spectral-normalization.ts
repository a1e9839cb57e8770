import {
  ArgumentError,
  argError,
  describe,
  nonNegativeInteger,
  optionsArg,
  positiveNumber,
  tensorArg,
} from '@gan/core';
import {
  clone,
  customGrad,
  div,
  matMul,
  maximum,
  norm,
  reshape,
  type Scalar,
  serialization,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  tidy,
  transpose,
  zerosLike,
} from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import {
  type InitializerLike,
  oneShape,
  type Shape,
  serializeInitializer,
  toInitializer,
} from './internal';

type Layer = InstanceType<typeof tfl.layers.Layer>;
type Kwargs = Parameters<Layer['call']>[1];

// tfjs-layers keeps its Wrapper base class internal; reach it through the registered
// TimeDistributed class, so ours serialises its inner layer the way tfjs's wrappers do.
const WrapperBase = Object.getPrototypeOf(
  serialization.SerializationMap.getMap().classNameMap.TimeDistributed[0],
) as (new (
  args: LayerArgs & { layer: Layer },
) => Layer & { readonly layer: Layer }) & {
  fromConfig: typeof serialization.Serializable.fromConfig;
};

/** Identity whose gradient is zero: u and v are constants of the step, as in Miyato et al. */
const stopGradient = customGrad((...[x]) => ({
  value: clone(x as Tensor),
  gradFunc: (dy: Tensor) => zerosLike(dy),
}));

function unit(x: Tensor, epsilon: number): Tensor {
  return div(x, maximum(norm(x), epsilon));
}

export interface SpectralNormResult {
  /** kernel / σ. */
  kernel: Tensor;
  /** The left singular vector estimate after the power iterations (length = last kernel axis). */
  u: Tensor1D;
  /** σ, the estimate of the kernel's largest singular value. */
  sigma: Scalar;
}

/**
 * Spectral normalisation as a pure function (Miyato et al. 2018): the kernel, reshaped to
 * W [rest, out] (its last axis as columns), is divided by σ = vᵀ W u after `powerIterations`
 * steps of v ← W u / ‖W u‖, u ← Wᵀ v / ‖Wᵀ v‖ from the given u. u and v carry no gradient; σ
 * does (through W), as in PyTorch's `spectral_norm`, whose result this equals for Dense and
 * Conv2D kernels given the same u. With 0 iterations u is used as it is (inference).
 */
export function spectralNormalize(
  kernel: Tensor,
  u: Tensor1D,
  powerIterations = 1,
  epsilon = 1e-12,
): SpectralNormResult {
  const fn = 'spectralNormalize';
  tensorArg(fn, 'kernel', kernel, { minRank: 2 });
  const out = kernel.shape[kernel.rank - 1];
  tensorArg(fn, 'u', u);
  if (u.rank !== 1 || u.shape[0] !== out)
    throw new ArgumentError(
      fn,
      'u',
      `u must have shape [${out}] (the kernel's last axis), got [${u.shape}]`,
    );
  nonNegativeInteger(fn, 'powerIterations', powerIterations);
  positiveNumber(fn, 'epsilon', epsilon);
  return tidy(() => {
    const w = reshape(kernel, [-1, out]) as Tensor2D;
    const fixed = stopGradient(w) as Tensor2D;
    let uCol = reshape(u, [out, 1]) as Tensor2D;
    // PyTorch's order: v ← Wu/‖Wu‖, u ← Wᵀv/‖Wᵀv‖, repeated; σ = vᵀWu pairs the last v with the
    // u computed from it. With no iteration v comes from the given u and σ = ‖Wu‖.
    let v = unit(matMul(fixed, uCol), epsilon) as Tensor2D;
    for (let i = 0; i < powerIterations; i++) {
      if (i > 0) v = unit(matMul(fixed, uCol), epsilon) as Tensor2D;
      uCol = unit(matMul(fixed, v, true), epsilon) as Tensor2D;
    }
    [uCol, v] = [stopGradient(uCol) as Tensor2D, stopGradient(v) as Tensor2D];
    const sigma = reshape(matMul(matMul(transpose(v), w), uCol), []) as Scalar;
    return {
      kernel: div(kernel, sigma),
      u: reshape(uCol, [out]) as Tensor1D,
      sigma,
    };
  });
}

export interface SpectralNormalizationArgs extends LayerArgs {
  /** The layer whose kernel is normalised: Dense, Conv1D/2D/3D, Conv2DTranspose, … (any layer with a `kernel`). */
  layer: Layer;
  /** Power iterations per training call. Default 1 (Miyato et al.). */
  powerIterations?: number;
  /** Floor of the norms in the power iteration. Default 1e-12. */
  epsilon?: number;
  /** Initializer of u. Default N(0, 1). */
  uInitializer?: InitializerLike;
}

/**
 * Spectral normalisation wrapper (Miyato et al. 2018): the wrapped layer runs with its kernel
 * divided by an estimate of its largest singular value, which bounds its Lipschitz constant.
 * u is a non-trainable weight (saved with the model) advanced by `powerIterations` steps on
 * every call with `training: true` and left alone otherwise.
 *
 * The kernel's last axis is the matrix's column axis: output channels for Dense and Conv2D (as
 * PyTorch), input channels for Conv2DTranspose (PyTorch uses its output channels there).
 */
export class SpectralNormalization extends WrapperBase {
  static className = 'SpectralNormalization';
  readonly powerIterations: number;
  readonly epsilon: number;
  private readonly uInitializer;
  private u: tfl.LayerVariable | null = null;

  constructor(args: SpectralNormalizationArgs) {
    const fn = 'spectralNormalization';
    const o = optionsArg(fn, args, { arg: 'args', required: true });
    if (!(o.layer instanceof tfl.layers.Layer))
      argError(fn, 'layer', 'a tfjs-layers Layer', o.layer);
    const powerIterations = nonNegativeInteger(fn, 'powerIterations', o.powerIterations ?? 1);
    const epsilon = positiveNumber(fn, 'epsilon', o.epsilon ?? 1e-12);
    const uInitializer = toInitializer(fn, 'uInitializer', o.uInitializer, () =>
      tfl.initializers.randomNormal({ mean: 0, stddev: 1 }),
    );
    super(args);
    this.powerIterations = powerIterations;
    this.epsilon = epsilon;
    this.uInitializer = uInitializer;
  }

  private get kernel(): tfl.LayerVariable {
    const kernel = (this.layer as unknown as { kernel?: tfl.LayerVariable }).kernel;
    if (kernel == null || kernel.shape.length < 2)
      throw new ArgumentError(
        'spectralNormalization',
        'layer',
        `${this.layer.getClassName()} has no kernel of rank ≥ 2 to normalise (layer ${this.name})`,
      );
    return kernel;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = oneShape('spectralNormalization', this.name, inputShape);
    if (!this.layer.built) {
      this.layer.build(shape);
      this.layer.built = true;
    }
    const out = this.kernel.shape[this.kernel.shape.length - 1] as number;
    this.u = this.addWeight('u', [out], 'float32', this.uInitializer, undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]) {
    return this.layer.computeOutputShape(inputShape);
  }

  override get nonTrainableWeights(): tfl.LayerVariable[] {
    return this.u == null
      ? this.layer.nonTrainableWeights
      : [...this.layer.nonTrainableWeights, this.u];
  }

  override getWeights(trainableOnly = false): Tensor[] {
    return (trainableOnly ? this.trainableWeights : this.weights).map((w) => w.read());
  }

  override setWeights(weights: Tensor[]): void {
    const variables = this.weights;
    if (!Array.isArray(weights) || weights.length !== variables.length)
      throw new ArgumentError(
        'spectralNormalization',
        'weights',
        `setWeights expects ${variables.length} tensors (the wrapped layer's weights, then u), got ${Array.isArray(weights) ? weights.length : describe(weights)} (layer ${this.name})`,
      );
    variables.forEach((v, i) => {
      v.write(weights[i]);
    });
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    return tidy(() => {
      const training = kwargs?.training === true;
      const u = this.u as tfl.LayerVariable;
      const normalised = spectralNormalize(
        this.kernel.read(),
        u.read() as Tensor1D,
        training ? this.powerIterations : 0,
        this.epsilon,
      );
      if (training) u.write(normalised.u);
      // The wrapped layer reads its kernel through `kernel.read()`; lend it W/σ for this call,
      // so gradients reach the real kernel through the normalisation.
      const holder = this.layer as unknown as { kernel: { read(): Tensor } };
      const original = holder.kernel;
      holder.kernel = { read: () => normalised.kernel };
      try {
        return this.layer.call(inputs, kwargs);
      } finally {
        holder.kernel = original;
      }
    });
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      powerIterations: this.powerIterations,
      epsilon: this.epsilon,
      uInitializer: serializeInitializer(this.uInitializer),
    };
  }
}
serialization.registerClass(SpectralNormalization);

/** Wraps a layer with {@link SpectralNormalization}: `spectralNormalization(tfl.layers.conv2d({...}))`. */
export function spectralNormalization(
  layer: Layer,
  options: Omit<SpectralNormalizationArgs, 'layer'> = {},
) {
  return new SpectralNormalization({ ...optionsArg('spectralNormalization', options), layer });
}
