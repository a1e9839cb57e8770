import {
  cast,
  engine,
  type GradConfig,
  getBackend,
  getKernel,
  greater,
  mul,
  type NamedAttrMap,
  scalar,
  square,
  step,
  sub,
  type Tensor,
  where,
  zerosLike,
} from '@tensorflow/tfjs-core';

/**
 * Kernels a backend may register to run an activation's gradient in one pass (@gan/native-cpu
 * does, for tfjs's cpu backend). The gradients below use them when the active backend has them,
 * and tfjs's own composite — the same formula, the same ops — otherwise, so a backend without
 * them computes exactly what it did. Inputs `{ dy, x }` (leakyRelu with attr `alpha`, relu) or
 * `{ dy, y }` (tanh, sigmoid: y the activation's output).
 */
export const FUSED_GRADIENT_KERNELS = {
  leakyRelu: 'GanLeakyReluGrad',
  relu: 'GanReluGrad',
  tanh: 'GanTanhGrad',
  sigmoid: 'GanSigmoidGrad',
} as const;

const K = FUSED_GRADIENT_KERNELS;
const fused = (name: string, ...ts: Tensor[]) =>
  ts.every((t) => t.dtype === 'float32') && getKernel(name, getBackend()) != null;
const run = (name: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap = {}) =>
  engine().runKernel(name, inputs, attrs) as Tensor;

/** x > 0 ? dy : alpha·dy (tfjs: where(greater(x, 0), dy, mul(dy, alpha))). */
function leakyReluGrad(dy: Tensor, x: Tensor, alpha: number): Tensor {
  return fused(K.leakyRelu, dy, x)
    ? run(K.leakyRelu, { dy, x }, { alpha })
    : where(greater(x, 0), dy, mul(dy, alpha));
}

/** dy · step(x) (tfjs: mul(dy, cast(step(x), 'float32'))). */
function reluGrad(dy: Tensor, x: Tensor): Tensor {
  return fused(K.relu, dy, x) ? run(K.relu, { dy, x }) : mul(dy, cast(step(x), 'float32'));
}

/** (1 − y²) · dy (tfjs: mul(sub(1, square(y)), dy)). */
function tanhGrad(dy: Tensor, y: Tensor): Tensor {
  return fused(K.tanh, dy, y) ? run(K.tanh, { dy, y }) : mul(sub(scalar(1), square(y)), dy);
}

/** dy · y · (1 − y) (tfjs: mul(dy, mul(y, sub(1, y)))). */
function sigmoidGrad(dy: Tensor, y: Tensor): Tensor {
  return fused(K.sigmoid, dy, y) ? run(K.sigmoid, { dy, y }) : mul(dy, mul(y, sub(scalar(1), y)));
}

/**
 * The activations' gradients, dispatching as above, and the fused kernels' own gradients (a
 * gradient penalty differentiates them again): both are linear in dy, and leakyRelu's and relu's
 * are piecewise constant in x.
 */
export const FUSED_GRADIENTS: GradConfig[] = [
  {
    kernelName: 'LeakyRelu',
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => ({
      x: () => leakyReluGrad(dy as Tensor, x, (attrs as { alpha: number }).alpha),
    }),
  },
  {
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => reluGrad(dy as Tensor, x) }),
  },
  {
    kernelName: 'Tanh',
    outputsToSave: [true],
    gradFunc: (dy, [y]) => ({ x: () => tanhGrad(dy as Tensor, y) }),
  },
  {
    kernelName: 'Sigmoid',
    outputsToSave: [true],
    gradFunc: (dy, [y]) => ({ x: () => sigmoidGrad(dy as Tensor, y) }),
  },
  {
    kernelName: K.leakyRelu,
    inputsToSave: ['x'],
    gradFunc: (ddx, [x], attrs) => ({
      dy: () => leakyReluGrad(ddx as Tensor, x, (attrs as { alpha: number }).alpha),
      x: () => zerosLike(x),
    }),
  },
  {
    kernelName: K.relu,
    inputsToSave: ['x'],
    gradFunc: (ddx, [x]) => ({ dy: () => reluGrad(ddx as Tensor, x), x: () => zerosLike(x) }),
  },
  {
    kernelName: K.tanh,
    inputsToSave: ['dy', 'y'],
    // ∂/∂y of (1 − y²)·dy is −2y·dy.
    gradFunc: (ddx, [dy, y]) => ({
      dy: () => tanhGrad(ddx as Tensor, y),
      y: () => mul(mul(ddx as Tensor, dy), mul(y, scalar(-2))),
    }),
  },
  {
    kernelName: K.sigmoid,
    inputsToSave: ['dy', 'y'],
    // ∂/∂y of dy·y·(1 − y) is dy·(1 − 2y).
    gradFunc: (ddx, [dy, y]) => ({
      dy: () => sigmoidGrad(ddx as Tensor, y),
      y: () => mul(mul(ddx as Tensor, dy), sub(scalar(1), mul(y, scalar(2)))),
    }),
  },
];
