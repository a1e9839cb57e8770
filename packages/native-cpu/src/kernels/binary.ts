import { broadcast_util, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { BinaryOp } from '../addon';
import {
  cpuBackend,
  floats,
  type KernelArgs,
  MAX_RANK,
  type NativeKernel,
  padded,
  values,
} from './shared';

/** Add, Sub, Multiply, RealDiv on float32 with broadcasting; other dtypes are tfjs's. */
export const binary =
  (op: BinaryOp): NativeKernel =>
  (addon, original): KernelFunc =>
  (args: KernelArgs) => {
    const backend = cpuBackend(args);
    const { a, b } = args.inputs as unknown as { a: TensorInfo; b: TensorInfo };
    if (!floats(a, b)) return original.kernelFunc(args);
    const shape = broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const rank = Math.max(shape.length, 1);
    if (rank > MAX_RANK) return original.kernelFunc(args);
    const out = new Float32Array(util.sizeFromShape(shape));
    addon.binary(
      op,
      values(backend, a),
      padded(a.shape, rank),
      values(backend, b),
      padded(b.shape, rank),
      out,
      padded(shape, rank),
    );
    return backend.makeTensorInfo(shape, 'float32', out);
  };
