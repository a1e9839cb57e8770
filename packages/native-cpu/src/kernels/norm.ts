import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { cpuBackend, floatsOut, type KernelArgs, type NativeKernel, values } from './shared';

/** FusedBatchNorm: offset + (x − mean)·scale/√(variance + ε), parameters broadcast per channel. */
export const batchNorm: NativeKernel =
  (addon, original): KernelFunc =>
  (args: KernelArgs) => {
    const { x, mean, variance, offset, scale } = args.inputs as Record<
      string,
      TensorInfo | undefined
    >;
    const { varianceEpsilon } = args.attrs as { varianceEpsilon: number };
    const all = [x, mean, variance, offset, scale].filter((t): t is TensorInfo => t != null);
    if (!x || !mean || !variance || all.some((t) => t.dtype !== 'float32'))
      return original.kernelFunc(args);
    const backend = cpuBackend(args);
    const input = values(backend, x);
    const none = new Float32Array(0);
    const out = floatsOut(input.length);
    addon.batchNorm(
      input,
      values(backend, mean),
      values(backend, variance),
      offset ? values(backend, offset) : none,
      scale ? values(backend, scale) : none,
      out,
      varianceEpsilon ?? 0.001,
    );
    return backend.makeTensorInfo(x.shape, 'float32', out);
  };
