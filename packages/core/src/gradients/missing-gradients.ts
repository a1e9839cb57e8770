import {
  type AvgPoolGradAttrs,
  add,
  avgPool,
  type Conv2DBackpropFilterAttrs,
  cast,
  conv2d,
  conv2dTranspose,
  type GradConfig,
  less,
  mul,
  type NamedAttrMap,
  onesLike,
  type Tensor,
  type Tensor4D,
  where,
  zerosLike,
} from '@tensorflow/tfjs-core';

/**
 * Comparison and logical kernels have no gradient in tfjs, yet gradients of leakyRelu, selu,
 * prelu, relu6, clipByValue, maximum/minimum use them: differentiating such a gradient throws
 * "gradient function not found for Greater". Their outputs are piecewise constant, so their
 * gradient is exactly zero.
 */
const ZERO_GRADIENT_KERNELS: Readonly<Record<string, readonly string[]>> = {
  Greater: ['a', 'b'],
  Less: ['a', 'b'],
  LessEqual: ['a', 'b'],
  Equal: ['a', 'b'],
  NotEqual: ['a', 'b'],
  LogicalAnd: ['a', 'b'],
  LogicalOr: ['a', 'b'],
  LogicalNot: ['x'],
  ZerosLike: ['x'],
};

function zeroGradient(kernelName: string, inputNames: readonly string[]): GradConfig {
  return {
    kernelName,
    inputsToSave: [...inputNames],
    gradFunc: (_dy: Tensor | Tensor[], saved: Tensor[]) =>
      Object.fromEntries(inputNames.map((name, i) => [name, () => zerosLike(saved[i])])),
  };
}

/** EluGrad(dy, y) = dy · (y < 0 ? y + 1 : 1), the kernel elu's gradient runs. */
const eluGradGradient: GradConfig = {
  kernelName: 'EluGrad',
  inputsToSave: ['dy', 'y'],
  gradFunc: (ddx: Tensor | Tensor[], saved: Tensor[]) => {
    const [dy, y] = saved;
    const negative = less(y, 0);
    return {
      dy: () => mul(ddx as Tensor, where(negative, add(y, 1), onesLike(y))),
      y: () => mul(mul(ddx as Tensor, dy), cast(negative, 'float32')),
    };
  },
};

/** AvgPoolGrad is the adjoint of avgPool (a linear map), so its own adjoint is avgPool again. */
const avgPoolGradGradient: GradConfig = {
  kernelName: 'AvgPoolGrad',
  inputsToSave: ['input'],
  gradFunc: (ddx: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const { filterSize, strides, pad } = attrs as unknown as AvgPoolGradAttrs;
    return {
      dy: () => avgPool(ddx as Tensor4D, filterSize, strides, pad),
      input: () => zerosLike(saved[0]),
    };
  },
};

/**
 * Conv2DBackpropFilter(x, dy) is bilinear: dW = corr(x, dy). Its gradient w.r.t. x is the
 * transposed convolution of dy with the incoming dW-gradient, and w.r.t. dy the convolution of x.
 */
const conv2DBackpropFilterGradient: GradConfig = {
  kernelName: 'Conv2DBackpropFilter',
  inputsToSave: ['x', 'dy'],
  gradFunc: (ddw: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, dy] = saved as Tensor4D[];
    const { strides, pad, dataFormat, dimRoundingMode } =
      attrs as unknown as Conv2DBackpropFilterAttrs;
    if (dataFormat !== 'NHWC') {
      throw new Error(`@gan/core: second-order conv2d gradients need NHWC, got ${dataFormat}`);
    }
    const filter = ddw as Tensor4D;
    return {
      x: () => conv2dTranspose(dy, filter, x.shape, strides, pad, dimRoundingMode),
      dy: () => conv2d(x, filter, strides, pad, 'NHWC', 1, dimRoundingMode),
    };
  },
};

/** Gradients tfjs does not define at all, needed to differentiate its own gradients. */
export const MISSING_GRADIENTS: readonly GradConfig[] = [
  ...Object.entries(ZERO_GRADIENT_KERNELS).map(([name, inputs]) => zeroGradient(name, inputs)),
  eluGradGradient,
  avgPoolGradGradient,
  conv2DBackpropFilterGradient,
];
