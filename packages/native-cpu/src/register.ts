import {
  getKernel,
  type KernelConfig,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { installFusedAdam, uninstallFusedAdam } from './kernels/adam';
import { BINARY_KERNELS } from './kernels/binary';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './kernels/conv';
import { FUSED_GRADIENT_KERNELS } from './kernels/grad';
import { batchMatMul } from './kernels/matmul';
import { batchNorm } from './kernels/norm';
import { reduce } from './kernels/reduce';
import { pad, slice, tile, transpose } from './kernels/shape';
import type { NativeKernel } from './kernels/shared';
import { UNARY_KERNELS } from './kernels/unary';
import { type LoadedAddon, loadAddon } from './loader';

export interface NativeKernelsOptions {
  /** BLAS threads. Default: OpenBLAS's own choice (the cores). */
  threads?: number;
  /** Load the addon from this file instead of the platform package or a local build. */
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
  /** The binary that was loaded, and whether it came from the platform package or a local build. */
  binary?: { path: string; source: LoadedAddon['source'] };
}

/**
 * Throws an ArgumentError (`fn: threads must be …`) for options `fn` cannot use. Inline, in
 * @gan/core's wording: this package does not depend on @gan/core.
 */
export function checkNativeOptions(fn: string, options: unknown): void {
  const fail = (message: string) => {
    throw Object.assign(new Error(`${fn}: ${message}`), { name: 'ArgumentError' });
  };
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    fail(`options must be an object, got ${options === null ? 'null' : typeof options}`);
  const { threads, addonPath } = options as NativeKernelsOptions;
  if (threads !== undefined && !(Number.isInteger(threads) && threads > 0))
    fail(`threads must be a positive integer, got ${threads}`);
  if (addonPath !== undefined && typeof addonPath !== 'string')
    fail(`addonPath must be a file path, got ${typeof addonPath}`);
}

/** tfjs kernel name → its native implementation. */
const KERNELS: [string, NativeKernel][] = [
  ['BatchMatMul', batchMatMul(false)],
  ['_FusedMatMul', batchMatMul(true)],
  ['Conv2D', conv2d(false)],
  ['FusedConv2D', conv2d(true)],
  ['Conv2DBackpropInput', conv2dBackpropInput],
  ['Conv2DBackpropFilter', conv2dBackpropFilter],
  ...BINARY_KERNELS,
  ...UNARY_KERNELS,
  ['Sum', reduce('sum')],
  ['Mean', reduce('mean')],
  ['Max', reduce('max')],
  ['Min', reduce('min')],
  ['Tile', tile],
  ['Transpose', transpose],
  ['PadV2', pad],
  ['Slice', slice],
  ['FusedBatchNorm', batchNorm],
];

/** tfjs's own kernels while ours are registered. */
const originals = new Map<string, KernelConfig>();
/** Kernels of ours that tfjs does not have (fused gradients), registered while ours are. */
const added = new Set<string>();

/**
 * Registers native (OpenBLAS) kernels for tfjs's `cpu` backend, replacing its JavaScript ones
 * for the cases they cover (float32; others fall through to the original kernel). Fails soft:
 * a missing or broken addon gives `{ ok: false, reason }` and changes nothing.
 */
export function registerNativeKernels(options: NativeKernelsOptions = {}): NativeKernelsResult {
  checkNativeOptions('registerNativeKernels', options);
  const loaded = loadAddon(options.addonPath);
  if ('reason' in loaded)
    return { ok: false, reason: loaded.reason, kernels: [], library: '', threads: 0 };
  const { addon } = loaded;
  const threads = addon.setThreads(options.threads ?? 0);
  const registered: string[] = [];
  for (const [name, make] of KERNELS) {
    const original = originals.get(name) ?? getKernel(name, 'cpu');
    if (!original) continue;
    originals.set(name, original);
    unregisterKernel(name, 'cpu');
    registerKernel({ ...original, kernelFunc: make(addon, original) });
    registered.push(name);
  }
  const none: KernelConfig = {
    kernelName: '',
    backendName: 'cpu',
    kernelFunc: () => {
      throw new Error('@gan/native-cpu: no fallback for a fused gradient');
    },
  };
  for (const [name, make] of FUSED_GRADIENT_KERNELS) {
    if (added.has(name)) unregisterKernel(name, 'cpu');
    registerKernel({ kernelName: name, backendName: 'cpu', kernelFunc: make(addon, none) });
    added.add(name);
    registered.push(name);
  }
  installFusedAdam(addon);
  registered.push('Adam (AdamOptimizer.applyGradients)');
  return {
    ok: true,
    kernels: registered,
    library: addon.config(),
    threads,
    binary: { path: loaded.path, source: loaded.source },
  };
}

/** Puts tfjs's own JavaScript kernels back. */
export function unregisterNativeKernels(): void {
  for (const [name, original] of originals) {
    unregisterKernel(name, 'cpu');
    registerKernel(original);
  }
  originals.clear();
  for (const name of added) unregisterKernel(name, 'cpu');
  added.clear();
  uninstallFusedAdam();
}
