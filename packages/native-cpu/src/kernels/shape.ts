import { type KernelFunc, slice_util, type TensorInfo, util } from '@tensorflow/tfjs-core';
import {
  cpuBackend,
  floatsOut,
  type KernelArgs,
  MAX_RANK,
  type NativeKernel,
  values,
} from './shared';

const fits = (x: TensorInfo) =>
  x.dtype === 'float32' && x.shape.length >= 1 && x.shape.length <= MAX_RANK;

/** Tile (batch norm's gradient repeats per-channel values over the batch with it). */
export const tile: NativeKernel =
  (addon, original): KernelFunc =>
  (args: KernelArgs) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { reps } = args.attrs as unknown as { reps: number[] };
    if (!fits(x) || reps.length !== x.shape.length) return original.kernelFunc(args);
    const backend = cpuBackend(args);
    const shape = x.shape.map((d, i) => d * reps[i]);
    const out = floatsOut(util.sizeFromShape(shape));
    addon.tile(values(backend, x), Int32Array.from(x.shape), Int32Array.from(reps), out);
    return backend.makeTensorInfo(shape, 'float32', out);
  };

export const transpose: NativeKernel =
  (addon, original): KernelFunc =>
  (args: KernelArgs) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { perm } = args.attrs as unknown as { perm: number[] };
    if (!fits(x) || perm.length !== x.shape.length) return original.kernelFunc(args);
    const backend = cpuBackend(args);
    const out = floatsOut(util.sizeFromShape(x.shape));
    addon.transpose(values(backend, x), Int32Array.from(x.shape), Int32Array.from(perm), out);
    return backend.makeTensorInfo(
      perm.map((p) => x.shape[p]),
      'float32',
      out,
    );
  };

/** PadV2 with a constant (DiffAugment's translation pads every image). */
export const pad: NativeKernel =
  (addon, original): KernelFunc =>
  (args: KernelArgs) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { paddings, constantValue } = args.attrs as unknown as {
      paddings: [number, number][];
      constantValue: number;
    };
    if (!fits(x) || paddings.length !== x.shape.length) return original.kernelFunc(args);
    const backend = cpuBackend(args);
    const shape = x.shape.map((d, i) => paddings[i][0] + d + paddings[i][1]);
    const out = floatsOut(util.sizeFromShape(shape));
    addon.pad(
      values(backend, x),
      Int32Array.from(x.shape),
      Int32Array.from(paddings.map((p) => p[0])),
      out,
      Int32Array.from(shape),
      constantValue,
    );
    return backend.makeTensorInfo(shape, 'float32', out);
  };

/** Slice; contiguous slices stay tfjs's (a view of the input, nothing copied). */
export const slice: NativeKernel =
  (addon, original): KernelFunc =>
  (args: KernelArgs) => {
    const { x } = args.inputs as { x: TensorInfo };
    const attrs = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
    if (!fits(x)) return original.kernelFunc(args);
    const [begin, size] = slice_util.parseSliceParams(x as never, attrs.begin, attrs.size);
    if (slice_util.isSliceContinous(x.shape, begin, size) || size.some((s) => s === 0))
      return original.kernelFunc(args);
    const backend = cpuBackend(args);
    const out = floatsOut(util.sizeFromShape(size));
    addon.slice(
      values(backend, x),
      Int32Array.from(x.shape),
      Int32Array.from(begin),
      Int32Array.from(size),
      out,
    );
    return backend.makeTensorInfo(size, 'float32', out);
  };
