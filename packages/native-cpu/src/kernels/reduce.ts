import { type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { cpuBackend, floats, type KernelArgs, MAX_RANK, type NativeKernel, values } from './shared';

/** Sum and Mean of float32 over any axes (accumulated in double). */
export const reduce =
  (mean: boolean): NativeKernel =>
  (addon, original): KernelFunc =>
  (args: KernelArgs) => {
    const backend = cpuBackend(args);
    const { x } = args.inputs as unknown as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as {
      axis: number | number[];
      keepDims: boolean;
    };
    const rank = x.shape.length;
    if (!floats(x) || rank === 0 || rank > MAX_RANK) return original.kernelFunc(args);
    const axes = util.parseAxisParam(axis, x.shape);
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const count = axes.reduce((n, i) => n * x.shape[i], 1);
    const out = new Float32Array(util.sizeFromShape(kept));
    addon.reduceSum(
      values(backend, x),
      Int32Array.from(x.shape),
      Int32Array.from(kept),
      out,
      mean ? count : 1,
    );
    const shape = keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i));
    return backend.makeTensorInfo(shape, 'float32', out);
  };
