import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { Unary } from '../addon';
import { cpuBackend, floatsOut, type KernelArgs, type NativeKernel, values } from './shared';

/**
 * A float32 unary kernel: `attrs` → the op's (alpha, beta) (leakyRelu's alpha, step's alpha,
 * clip's min and max). Other dtypes are tfjs's.
 */
export const unary =
  (op: Unary, params?: (attrs: Record<string, unknown>) => [number, number]): NativeKernel =>
  (addon, original): KernelFunc =>
  (args: KernelArgs) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype !== 'float32') return original.kernelFunc(args);
    const backend = cpuBackend(args);
    const input = values(backend, x);
    const out = floatsOut(input.length);
    const [alpha, beta] = params ? params(args.attrs as Record<string, unknown>) : [0, 0];
    addon.unary(op, input, out, alpha, beta);
    return backend.makeTensorInfo(x.shape, 'float32', out);
  };

/** tfjs kernel name → native unary op (and its attributes). */
export const UNARY_KERNELS: [string, NativeKernel][] = [
  ['Relu', unary(Unary.relu)],
  ['Relu6', unary(Unary.relu6)],
  ['LeakyRelu', unary(Unary.leakyRelu, (a) => [a.alpha as number, 0])],
  ['Elu', unary(Unary.elu)],
  ['Selu', unary(Unary.selu)],
  ['Sigmoid', unary(Unary.sigmoid)],
  ['Tanh', unary(Unary.tanh)],
  ['Exp', unary(Unary.exp)],
  ['Log', unary(Unary.log)],
  ['Sqrt', unary(Unary.sqrt)],
  ['Rsqrt', unary(Unary.rsqrt)],
  ['Square', unary(Unary.square)],
  ['Abs', unary(Unary.abs)],
  ['Neg', unary(Unary.neg)],
  ['Reciprocal', unary(Unary.reciprocal)],
  ['Softplus', unary(Unary.softplus)],
  ['Step', unary(Unary.step, (a) => [(a.alpha as number) ?? 0, 0])],
  ['ClipByValue', unary(Unary.clip, (a) => [a.clipValueMin as number, a.clipValueMax as number])],
];
