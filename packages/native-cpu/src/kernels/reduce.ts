import { type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import {
  cpuBackend,
  floats,
  floatsOut,
  type KernelArgs,
  MAX_RANK,
  type NativeKernel,
  values,
} from './shared';

/** Sum and Mean (accumulated in double), Max and Min of float32 over any axes. */
export const reduce =
  (op: 'sum' | 'mean' | 'max' | 'min'): NativeKernel =>
  (addon, original): KernelFunc =>
  (args: KernelArgs) => {
    const backend = cpuBackend(args);
    const { x } = args.inputs as unknown as { x: TensorInfo };
    const attrs = args.attrs as {
      axis?: number | number[];
      reductionIndices?: number | number[];
      keepDims: boolean;
    };
    const rank = x.shape.length;
    if (!floats(x) || rank === 0 || rank > MAX_RANK || util.sizeFromShape(x.shape) === 0)
      return original.kernelFunc(args);
    const axes = util.parseAxisParam(
      (attrs.axis ?? attrs.reductionIndices) as number | number[],
      x.shape,
    );
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const count = axes.reduce((n, i) => n * x.shape[i], 1);
    const out = floatsOut(util.sizeFromShape(kept));
    const code = op === 'max' ? 1 : op === 'min' ? 2 : 0;
    addon.reduce(
      code,
      values(backend, x),
      Int32Array.from(x.shape),
      Int32Array.from(kept),
      out,
      op === 'mean' ? count : 1,
    );
    const shape = attrs.keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i));
    return backend.makeTensorInfo(shape, 'float32', out);
  };
