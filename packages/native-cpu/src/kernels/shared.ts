import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { Addon } from '../addon';

/** The minimal view of tfjs-backend-cpu a kernel needs: its typed arrays and tensor factory. */
export interface CpuBackend {
  data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: string, values?: Float32Array | Uint8Array): TensorInfo;
}

export type KernelArgs = Parameters<KernelFunc>[0];

/** Makes a native kernel function from the addon and tfjs's own kernel (the fallback). */
export type NativeKernel = (addon: Addon, original: KernelConfig) => KernelFunc;

/** Ranks the addon's shape-generic kernels take. */
export const MAX_RANK = 8;

export const cpuBackend = (args: KernelArgs) => args.backend as unknown as CpuBackend;

/**
 * A float32 tensor's values as a Float32Array. tfjs's cpu backend may hold a float32 tensor's
 * values in another array type (a bool → float32 cast keeps the Uint8Array): those are copied.
 */
export function values(backend: CpuBackend, t: TensorInfo): Float32Array {
  const v = backend.data.get(t.dataId).values;
  if (v instanceof Float32Array) return v;
  return Float32Array.from(v as ArrayLike<number>);
}

/** A bool tensor's values as a Uint8Array (how tfjs's cpu backend keeps them). */
export function bools(backend: CpuBackend, t: TensorInfo): Uint8Array {
  const v = backend.data.get(t.dataId).values;
  if (v instanceof Uint8Array) return v;
  return Uint8Array.from(v as ArrayLike<number>);
}

export const floats = (...ts: TensorInfo[]) => ts.every((t) => t.dtype === 'float32');

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function size(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** `shape` with leading 1s up to `rank`, as the addon takes shapes. */
export function padded(shape: readonly number[], rank: number): Int32Array {
  const out = new Int32Array(rank).fill(1);
  out.set(shape, rank - shape.length);
  return out;
}

/**
 * Output arrays the kernel fills completely: large ones uninitialised (Node's allocUnsafeSlow),
 * since zeroing 4 MB first costs as much as an element-wise kernel itself.
 */
export function floatsOut(n: number): Float32Array {
  if (n < 1024) return new Float32Array(n);
  const bytes = Buffer.allocUnsafeSlow(n * 4);
  return new Float32Array(bytes.buffer, bytes.byteOffset, n);
}

export function boolsOut(n: number): Uint8Array {
  if (n < 4096) return new Uint8Array(n);
  const bytes = Buffer.allocUnsafeSlow(n);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, n);
}
