import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { Grad } from '../addon';
import {
  cpuBackend,
  floatsOut,
  type KernelArgs,
  type NativeKernel,
  sameShape,
  values,
} from './shared';

/**
 * The fused activation gradients @gan/core's gradients run when the backend has them (names:
 * @gan/core's FUSED_GRADIENT_KERNELS; a test checks they agree): one pass instead of tfjs's
 * comparison + select + multiply (leakyRelu), step + cast + multiply (relu), square + sub +
 * multiply (tanh, sigmoid). Inputs `dy` and `x` (leakyRelu, relu) or `y` (tanh, sigmoid).
 */
export const fusedGrad =
  (op: Grad, input: 'x' | 'y'): NativeKernel =>
  (addon): KernelFunc =>
  (args: KernelArgs) => {
    const inputs = args.inputs as Record<string, TensorInfo>;
    const { dy } = inputs;
    const v = inputs[input];
    if (dy.dtype !== 'float32' || v.dtype !== 'float32' || !sameShape(dy.shape, v.shape))
      throw new Error(
        `@gan/native-cpu: fused gradients take float32 dy and ${input} of one shape, got ${dy.dtype} [${dy.shape}] and ${v.dtype} [${v.shape}]`,
      );
    const backend = cpuBackend(args);
    const out = floatsOut(dy.shape.reduce((a, b) => a * b, 1));
    const alpha = (args.attrs as { alpha?: number }).alpha ?? 0;
    addon.grad(op, values(backend, dy), values(backend, v), out, alpha);
    return backend.makeTensorInfo(dy.shape, 'float32', out);
  };

/** Kernels tfjs does not have: registered on the cpu backend, removed again on unregister. */
export const FUSED_GRADIENT_KERNELS: [string, NativeKernel][] = [
  ['GanLeakyReluGrad', fusedGrad(Grad.leakyRelu, 'x')],
  ['GanReluGrad', fusedGrad(Grad.relu, 'x')],
  ['GanTanhGrad', fusedGrad(Grad.tanh, 'y')],
  ['GanSigmoidGrad', fusedGrad(Grad.sigmoid, 'y')],
];
