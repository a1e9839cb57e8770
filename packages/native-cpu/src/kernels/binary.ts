import { broadcast_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { Binary, Compare } from '../addon';
import {
  bools,
  boolsOut,
  cpuBackend,
  floatsOut,
  type KernelArgs,
  MAX_RANK,
  type NativeKernel,
  padded,
  sameShape,
  size,
  values,
} from './shared';

/**
 * Two-input element-wise kernels in the layouts they come in: the same shape, one side a single
 * value (a scalar or [1, 1, …]), or NumPy broadcasting — the first two without any shape work.
 */
function twoInputs<In extends Float32Array | Uint8Array, Out extends Float32Array | Uint8Array>(
  read: (args: KernelArgs, t: TensorInfo) => In,
  make: (n: number) => Out,
  outDtype: 'float32' | 'bool' | null,
  run: {
    same(a: In, b: In, out: Out): void;
    scalar?(a: In, value: number, out: Out, scalarFirst: boolean): void;
    broadcast(a: In, as: Int32Array, b: In, bs: Int32Array, out: Out, os: Int32Array): void;
  },
) {
  return (args: KernelArgs, a: TensorInfo, b: TensorInfo) => {
    const backend = cpuBackend(args);
    const [av, bv] = [read(args, a), read(args, b)];
    if (sameShape(a.shape, b.shape)) {
      const out = make(av.length);
      run.same(av, bv, out);
      return backend.makeTensorInfo(a.shape, outDtype ?? a.dtype, out);
    }
    const shape = broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const n = size(shape);
    if (run.scalar && bv.length === 1 && av.length === n) {
      const out = make(n);
      run.scalar(av, bv[0], out, false);
      return backend.makeTensorInfo(shape, outDtype ?? a.dtype, out);
    }
    if (run.scalar && av.length === 1 && bv.length === n) {
      const out = make(n);
      run.scalar(bv, av[0], out, true);
      return backend.makeTensorInfo(shape, outDtype ?? a.dtype, out);
    }
    const rank = Math.max(shape.length, 1);
    if (rank > MAX_RANK) return undefined;
    const out = make(n);
    if (n > 0)
      run.broadcast(av, padded(a.shape, rank), bv, padded(b.shape, rank), out, padded(shape, rank));
    return backend.makeTensorInfo(shape, outDtype ?? a.dtype, out);
  };
}

const readFloats = (args: KernelArgs, t: TensorInfo) => values(cpuBackend(args), t);
const readBools = (args: KernelArgs, t: TensorInfo) => bools(cpuBackend(args), t);

/** Add, Sub, Multiply, RealDiv, Maximum, Minimum, Pow, SquaredDifference on float32. */
export const binary =
  (op: Binary): NativeKernel =>
  (addon, original): KernelFunc => {
    const apply = twoInputs(readFloats, floatsOut, 'float32', {
      same: (a, b, out) => addon.binarySame(op, a, b, out),
      scalar: (a, v, out, first) => addon.binaryScalar(op, a, v, out, first),
      broadcast: (a, as, b, bs, out, os) => addon.binary(op, a, as, b, bs, out, os),
    });
    return (args: KernelArgs) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      if (a.dtype !== 'float32' || b.dtype !== 'float32') return original.kernelFunc(args);
      return apply(args, a, b) ?? original.kernelFunc(args);
    };
  };

/** Greater … NotEqual on float32 → bool. */
export const compare =
  (op: Compare): NativeKernel =>
  (addon, original): KernelFunc => {
    const apply = twoInputs(readFloats, boolsOut, 'bool', {
      same: (a, b, out) => addon.compareSame(op, a, b, out),
      scalar: (a, v, out, first) => addon.compareScalar(op, a, v, out, first),
      broadcast: (a, as, b, bs, out, os) => addon.compare(op, a, as, b, bs, out, os),
    });
    return (args: KernelArgs) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      if (a.dtype !== 'float32' || b.dtype !== 'float32') return original.kernelFunc(args);
      return apply(args, a, b) ?? original.kernelFunc(args);
    };
  };

/** LogicalAnd, LogicalOr on bool. */
export const logical =
  (op: Compare): NativeKernel =>
  (addon, original): KernelFunc => {
    const apply = twoInputs(readBools, boolsOut, 'bool', {
      same: (a, b, out) => addon.logicalSame(op, a, b, out),
      broadcast: (a, as, b, bs, out, os) => addon.logical(op, a, as, b, bs, out, os),
    });
    return (args: KernelArgs) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      if (a.dtype !== 'bool' || b.dtype !== 'bool') return original.kernelFunc(args);
      return apply(args, a, b) ?? original.kernelFunc(args);
    };
  };

export const logicalNot: NativeKernel =
  (addon, original): KernelFunc =>
  (args: KernelArgs) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype !== 'bool') return original.kernelFunc(args);
    const backend = cpuBackend(args);
    const input = bools(backend, x);
    const out = boolsOut(input.length);
    addon.logicalNot(input, out);
    return backend.makeTensorInfo(x.shape, 'bool', out);
  };

/**
 * Select (where) with a condition of t's shape — what tf.where always passes (it broadcasts the
 * condition first). Other layouts stay tfjs's.
 */
export const select: NativeKernel =
  (addon, original): KernelFunc =>
  (args: KernelArgs) => {
    const { condition, t, e } = args.inputs as {
      condition: TensorInfo;
      t: TensorInfo;
      e: TensorInfo;
    };
    if (
      condition.dtype !== 'bool' ||
      t.dtype !== 'float32' ||
      e.dtype !== 'float32' ||
      !sameShape(t.shape, e.shape) ||
      !sameShape(condition.shape, t.shape)
    )
      return original.kernelFunc(args);
    const backend = cpuBackend(args);
    const out = floatsOut(size(t.shape));
    addon.select(bools(backend, condition), values(backend, t), values(backend, e), out, 1);
    return backend.makeTensorInfo(t.shape, 'float32', out);
  };

export const BINARY_KERNELS: [string, NativeKernel][] = [
  ['Add', binary(Binary.add)],
  ['Sub', binary(Binary.sub)],
  ['Multiply', binary(Binary.mul)],
  ['RealDiv', binary(Binary.div)],
  ['Maximum', binary(Binary.max)],
  ['Minimum', binary(Binary.min)],
  ['Pow', binary(Binary.pow)],
  ['SquaredDifference', binary(Binary.squaredDifference)],
  ['Greater', compare(Compare.greater)],
  ['GreaterEqual', compare(Compare.greaterEqual)],
  ['Less', compare(Compare.less)],
  ['LessEqual', compare(Compare.lessEqual)],
  ['Equal', compare(Compare.equal)],
  ['NotEqual', compare(Compare.notEqual)],
  ['LogicalAnd', logical(Compare.logicalAnd)],
  ['LogicalOr', logical(Compare.logicalOr)],
  ['LogicalNot', logicalNot],
  ['Select', select],
];
