import { ArgumentError, optionsArg, positiveInteger, tensorArg } from '@gan/core';
import {
  abs,
  concat,
  exp,
  expandDims,
  eye,
  matMul,
  mul,
  neg,
  reshape,
  serialization,
  sub,
  sum,
  type Tensor,
  type Tensor2D,
  tidy,
} from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import {
  type InitializerLike,
  oneShape,
  oneTensor,
  type Shape,
  serializeInitializer,
  toInitializer,
} from './internal';

export interface MinibatchDiscriminationArgs extends LayerArgs {
  /** B: how many similarity features are appended. */
  numKernels: number;
  /** C: the length of each projected row compared under the L1 norm. */
  kernelDim: number;
  /** Initializer of T (A × B·C). Default glorotUniform. */
  kernelInitializer?: InitializerLike;
}

/**
 * Minibatch features (Salimans et al. 2016, §3.2) as a pure function: x [N, …] is flattened to
 * [N, A], M = x·T reshaped to [N, B, C], c_b(i, j) = exp(−‖M_{i,b} − M_{j,b}‖₁) and
 * o_b(x_i) = Σ_{j≠i} c_b(i, j); returns concat[x, o] of shape [N, A + B].
 */
export function minibatchFeatures(
  x: Tensor,
  kernel: Tensor2D,
  numKernels: number,
  kernelDim: number,
) {
  const fn = 'minibatchFeatures';
  positiveInteger(fn, 'numKernels', numKernels);
  positiveInteger(fn, 'kernelDim', kernelDim);
  tensorArg(fn, 'x', x, { minRank: 2, layout: '[n, …features]' });
  tensorArg(fn, 'kernel', kernel);
  const features = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const columns = numKernels * kernelDim;
  if (kernel.rank !== 2 || kernel.shape[0] !== features || kernel.shape[1] !== columns)
    throw new ArgumentError(
      fn,
      'kernel',
      `kernel must have shape [${features}, ${columns}] (features × numKernels·kernelDim), got [${kernel.shape}]`,
    );
  return tidy(() => {
    const n = x.shape[0];
    const flat = reshape(x, [n, -1]) as Tensor2D;
    const m = reshape(matMul(flat, kernel), [n, numKernels, kernelDim]);
    const l1 = sum(abs(sub(expandDims(m, 1), expandDims(m, 0))), -1); // [N, N, B]
    // The self-pair is masked out, not subtracted as exp(0) = 1 after summing (which loses
    // small similarities to rounding); with N = 1 the features are exactly zero.
    const others = reshape(sub(1, eye(n)), [n, n, 1]);
    const o = sum(mul(exp(neg(l1)), others), 1);
    return concat([flat, o], 1);
  });
}

/**
 * Minibatch discrimination (Salimans et al. 2016): appends to each sample B features measuring
 * how close it is to the other samples of the batch, so the discriminator can see a collapsed
 * batch. Input of any rank ≥ 2 (flattened); output [N, A + B].
 *
 * Differences from other implementations: OpenAI's improved-GAN code excludes the self-pair by
 * adding 1e6 to the diagonal distances and adds a learned bias to o; torchgan sums over all j
 * and subtracts 1 (the self term exp(0)). Here the self-pair is masked exactly and there is no
 * bias, which is the paper's formula.
 */
export class MinibatchDiscrimination extends tfl.layers.Layer {
  static className = 'MinibatchDiscrimination';
  readonly numKernels: number;
  readonly kernelDim: number;
  private readonly kernelInitializer;
  private kernel: tfl.LayerVariable | null = null;

  constructor(args: MinibatchDiscriminationArgs) {
    const fn = 'minibatchDiscrimination';
    const o = optionsArg(fn, args, { arg: 'args', required: true });
    const numKernels = positiveInteger(fn, 'numKernels', o.numKernels);
    const kernelDim = positiveInteger(fn, 'kernelDim', o.kernelDim);
    const kernelInitializer = toInitializer(fn, 'kernelInitializer', o.kernelInitializer, () =>
      tfl.initializers.glorotUniform({}),
    );
    super(args);
    this.numKernels = numKernels;
    this.kernelDim = kernelDim;
    this.kernelInitializer = kernelInitializer;
  }

  private features(shape: Shape): number {
    const rest = shape.slice(1);
    if (rest.length === 0 || rest.some((d) => d == null))
      throw new ArgumentError(
        'minibatchDiscrimination',
        'inputShape',
        `needs a fully known sample shape in inputShape, got [${shape.map(String)}] (layer ${this.name})`,
      );
    return (rest as number[]).reduce((a, b) => a * b, 1);
  }

  override build(inputShape: Shape | Shape[]): void {
    const features = this.features(oneShape('minibatchDiscrimination', this.name, inputShape));
    this.kernel = this.addWeight(
      'kernel',
      [features, this.numKernels * this.kernelDim],
      'float32',
      this.kernelInitializer,
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = oneShape('minibatchDiscrimination', this.name, inputShape);
    return [shape[0], this.features(shape) + this.numKernels];
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tidy(() =>
      minibatchFeatures(
        oneTensor('minibatchDiscrimination', this.name, inputs),
        (this.kernel as tfl.LayerVariable).read() as Tensor2D,
        this.numKernels,
        this.kernelDim,
      ),
    );
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numKernels: this.numKernels,
      kernelDim: this.kernelDim,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
    };
  }
}
serialization.registerClass(MinibatchDiscrimination);

/** A {@link MinibatchDiscrimination} layer: `minibatchDiscrimination({ numKernels: 100, kernelDim: 5 })`. */
export function minibatchDiscrimination(args: MinibatchDiscriminationArgs) {
  return new MinibatchDiscrimination(args);
}
