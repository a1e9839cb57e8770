import { createRequire } from 'node:module';
import {
  backend_util,
  broadcast_util,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  type TensorInfo,
  unregisterKernel,
  util,
} from '@tensorflow/tfjs-core';

/** The compiled addon's functions (src/native/addon.cc). */
interface Addon {
  sgemm(
    transposeA: boolean,
    transposeB: boolean,
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
  ): void;
  conv2d(x: Float32Array, filter: Float32Array, y: Float32Array, dims: Int32Array): void;
  conv2dBackpropInput(
    dy: Float32Array,
    filter: Float32Array,
    dx: Float32Array,
    dims: Int32Array,
  ): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, dims: Int32Array): void;
  binary(
    op: number,
    a: Float32Array,
    aShape: Int32Array,
    b: Float32Array,
    bShape: Int32Array,
    out: Float32Array,
    outShape: Int32Array,
  ): void;
  reduceSum(
    x: Float32Array,
    xShape: Int32Array,
    outShape: Int32Array,
    out: Float32Array,
    divisor: number,
  ): void;
  setThreads(n: number): number;
  config(): string;
}

export interface NativeKernelsOptions {
  /** BLAS threads. Default: OpenBLAS's own choice (the cores). */
  threads?: number;
  /** Where the compiled addon is (default: this package's build/Release/gan_native_cpu.node). */
  addonPath?: string;
}

export interface NativeKernelsResult {
  ok: boolean;
  /** Why not, when `ok` is false (tfjs keeps its JavaScript kernels). */
  reason?: string;
  /** The tfjs kernels now running natively on the `cpu` backend. */
  kernels: string[];
  /** The BLAS library and its build. */
  library: string;
  threads: number;
}

/** The minimal view of tfjs-backend-cpu a kernel needs: its typed arrays and tensor factory. */
interface CpuBackend {
  data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: string, values?: Float32Array): TensorInfo;
}

type Args = Parameters<KernelFunc>[0];
const originals = new Map<string, KernelConfig>();

function loadAddon(path: string | undefined): Addon {
  const require = createRequire(import.meta.url);
  return require(path ?? new URL('../build/Release/gan_native_cpu.node', import.meta.url).pathname);
}

/**
 * Registers native (OpenBLAS) kernels for tfjs's `cpu` backend, replacing its JavaScript ones
 * for the cases they cover (float32; others fall through to the original kernel). Fails soft:
 * a missing or broken addon gives `{ ok: false, reason }` and changes nothing.
 */
export function registerNativeKernels(options: NativeKernelsOptions = {}): NativeKernelsResult {
  let addon: Addon;
  try {
    addon = loadAddon(options.addonPath);
  } catch (error) {
    return {
      ok: false,
      reason: `the native addon did not load (${(error as Error).message.split('\n')[0]}); build it with npm run build -w @gan/native-cpu`,
      kernels: [],
      library: '',
      threads: 0,
    };
  }
  const threads = addon.setThreads(options.threads ?? 0);
  const kernels: [string, (original: KernelConfig) => KernelFunc][] = [
    ['BatchMatMul', (original) => batchMatMul(addon, original, false)],
    ['_FusedMatMul', (original) => batchMatMul(addon, original, true)],
    ['Conv2D', (original) => conv2d(addon, original, false)],
    ['FusedConv2D', (original) => conv2d(addon, original, true)],
    ['Conv2DBackpropInput', (original) => conv2dBackpropInput(addon, original)],
    ['Conv2DBackpropFilter', (original) => conv2dBackpropFilter(addon, original)],
    ['Add', (original) => binary(addon, original, 0)],
    ['Sub', (original) => binary(addon, original, 1)],
    ['Multiply', (original) => binary(addon, original, 2)],
    ['RealDiv', (original) => binary(addon, original, 3)],
    ['Sum', (original) => reduce(addon, original, false)],
    ['Mean', (original) => reduce(addon, original, true)],
  ];
  const registered: string[] = [];
  for (const [name, make] of kernels) {
    const original = originals.get(name) ?? getKernel(name, 'cpu');
    if (!original) continue;
    originals.set(name, original);
    unregisterKernel(name, 'cpu');
    registerKernel({ ...original, kernelFunc: make(original) });
    registered.push(name);
  }
  return { ok: true, kernels: registered, library: addon.config(), threads };
}

/** Puts tfjs's own JavaScript kernels back. */
export function unregisterNativeKernels(): void {
  for (const [name, original] of originals) {
    unregisterKernel(name, 'cpu');
    registerKernel(original);
  }
  originals.clear();
}

/**
 * A float32 tensor's values as a Float32Array. tfjs's cpu backend may hold a float32 tensor's
 * values in another array type (a bool → float32 cast keeps the Uint8Array): those are copied.
 */
function values(backend: CpuBackend, t: TensorInfo): Float32Array {
  const v = backend.data.get(t.dataId).values;
  if (v instanceof Float32Array) return v;
  return Float32Array.from(v as ArrayLike<number>);
}

type Activation = 'linear' | 'relu' | 'relu6' | 'leakyrelu' | 'elu' | 'sigmoid' | 'prelu';

/**
 * The fused ops' epilogue (bias over the last axis, then the activation) in place; false when
 * this combination is not covered (the caller falls back to tfjs's kernel).
 */
function epilogue(
  backend: CpuBackend,
  out: Float32Array,
  channels: number,
  bias: TensorInfo | undefined,
  activation: Activation,
  alpha: number,
): boolean {
  if (bias) {
    const size = util.sizeFromShape(bias.shape);
    if (bias.dtype !== 'float32' || (size !== channels && size !== 1)) return false;
    const b = values(backend, bias);
    for (let i = 0; i < out.length; i++) out[i] += b[size === 1 ? 0 : i % channels];
  }
  const act: Record<string, ((v: number) => number) | null> = {
    linear: null,
    relu: (v) => (v > 0 ? v : 0),
    relu6: (v) => Math.min(Math.max(v, 0), 6),
    leakyrelu: (v) => (v > 0 ? v : alpha * v),
    elu: (v) => (v > 0 ? v : Math.exp(v) - 1),
    sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  };
  if (!(activation in act)) return false;
  const f = act[activation];
  if (f) for (let i = 0; i < out.length; i++) out[i] = f(out[i]);
  return true;
}

interface FusedInputs {
  bias?: TensorInfo;
  preluActivationWeights?: TensorInfo;
}
interface FusedAttrs {
  activation?: Activation;
  leakyreluAlpha?: number;
}

function batchMatMul(addon: Addon, original: KernelConfig, fused: boolean): KernelFunc {
  return (args: Args) => {
    const { inputs, attrs } = args;
    const backend = args.backend as unknown as CpuBackend;
    const { a, b, bias } = inputs as unknown as { a: TensorInfo; b: TensorInfo } & FusedInputs;
    const {
      transposeA,
      transposeB,
      activation = 'linear',
      leakyreluAlpha = 0.2,
    } = attrs as unknown as { transposeA: boolean; transposeB: boolean } & FusedAttrs;
    const [ra, rb] = [a.shape.length, b.shape.length];
    const batchA = util.sizeFromShape(a.shape.slice(0, -2));
    const batchB = util.sizeFromShape(b.shape.slice(0, -2));
    // Same batch, or one side shared by every batch; anything else (or non-float) is tfjs's.
    if (
      a.dtype !== 'float32' ||
      b.dtype !== 'float32' ||
      ra !== rb ||
      !(batchA === batchB || batchB === 1 || batchA === 1) ||
      (fused && activation === 'prelu')
    )
      return original.kernelFunc(args);
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    const batch = Math.max(batchA, batchB);
    const av = values(backend, a);
    const bv = values(backend, b);
    const out = new Float32Array(batch * m * n);
    for (let i = 0; i < batch; i++)
      addon.sgemm(
        transposeA,
        transposeB,
        m,
        n,
        k,
        av.subarray((batchA === 1 ? 0 : i) * m * k),
        bv.subarray((batchB === 1 ? 0 : i) * k * n),
        out.subarray(i * m * n),
      );
    if (fused && !epilogue(backend, out, n, bias, activation, leakyreluAlpha))
      return original.kernelFunc(args);
    const shape = [...(batchA >= batchB ? a : b).shape.slice(0, -2), m, n];
    return backend.makeTensorInfo(shape, 'float32', out);
  };
}

type ConvPad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
interface ConvAttrs {
  strides: [number, number] | number;
  pad: ConvPad;
  dataFormat: 'NHWC' | 'NCHW';
  dilations?: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** The addon's 15 geometry numbers (see Geometry in addon.cc). */
function geometry(info: backend_util.Conv2DInfo): Int32Array {
  return Int32Array.from([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.filterHeight,
    info.filterWidth,
    info.outChannels,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
    info.outHeight,
    info.outWidth,
  ]);
}

function convInfo(
  xShape: number[],
  filterShape: number[],
  attrs: ConvAttrs,
): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
}

const floats = (...ts: TensorInfo[]) => ts.every((t) => t.dtype === 'float32');

function conv2d(addon: Addon, original: KernelConfig, fused: boolean): KernelFunc {
  return (args: Args) => {
    const backend = args.backend as unknown as CpuBackend;
    const { x, filter, bias } = args.inputs as unknown as {
      x: TensorInfo;
      filter: TensorInfo;
    } & FusedInputs;
    const attrs = args.attrs as unknown as ConvAttrs & FusedAttrs;
    if (!floats(x, filter) || attrs.dataFormat === 'NCHW') return original.kernelFunc(args);
    const info = convInfo(x.shape, filter.shape, attrs);
    const y = new Float32Array(info.batchSize * info.outHeight * info.outWidth * info.outChannels);
    addon.conv2d(values(backend, x), values(backend, filter), y, geometry(info));
    if (
      fused &&
      !epilogue(
        backend,
        y,
        info.outChannels,
        bias,
        attrs.activation ?? 'linear',
        attrs.leakyreluAlpha ?? 0.2,
      )
    )
      return original.kernelFunc(args);
    return backend.makeTensorInfo(info.outShape, 'float32', y);
  };
}

function conv2dBackpropInput(addon: Addon, original: KernelConfig): KernelFunc {
  return (args: Args) => {
    const backend = args.backend as unknown as CpuBackend;
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs & { inputShape: number[] };
    if (!floats(dy, filter) || attrs.dataFormat === 'NCHW') return original.kernelFunc(args);
    const info = convInfo(attrs.inputShape, filter.shape, attrs);
    const dx = new Float32Array(info.batchSize * info.inHeight * info.inWidth * info.inChannels);
    addon.conv2dBackpropInput(values(backend, dy), values(backend, filter), dx, geometry(info));
    return backend.makeTensorInfo(info.inShape, 'float32', dx);
  };
}

function conv2dBackpropFilter(addon: Addon, original: KernelConfig): KernelFunc {
  return (args: Args) => {
    const backend = args.backend as unknown as CpuBackend;
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs & { filterShape: number[] };
    if (!floats(x, dy) || attrs.dataFormat === 'NCHW') return original.kernelFunc(args);
    const info = convInfo(x.shape, attrs.filterShape, attrs);
    const dw = new Float32Array(util.sizeFromShape(attrs.filterShape));
    addon.conv2dBackpropFilter(values(backend, x), values(backend, dy), dw, geometry(info));
    return backend.makeTensorInfo(attrs.filterShape, 'float32', dw);
  };
}

const MAX_RANK = 8;

/** `shape` with leading 1s up to `rank`, as the addon takes shapes. */
const padded = (shape: number[], rank: number) =>
  Int32Array.from([...new Array(rank - shape.length).fill(1), ...shape]);

/** Add, Sub, Multiply, RealDiv on float32 with broadcasting; other dtypes are tfjs's. */
function binary(addon: Addon, original: KernelConfig, op: number): KernelFunc {
  return (args: Args) => {
    const backend = args.backend as unknown as CpuBackend;
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
}

/** Sum and Mean of float32 over any axes (accumulated in double). */
function reduce(addon: Addon, original: KernelConfig, mean: boolean): KernelFunc {
  return (args: Args) => {
    const backend = args.backend as unknown as CpuBackend;
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
}
