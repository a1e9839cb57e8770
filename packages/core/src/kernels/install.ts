import {
  findBackendFactory,
  getKernel,
  type KernelConfig,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterKernel } from './conv2d-backprop-filter';

/** Marks kernels registered by @gan/core, so a re-install is a no-op. */
const OURS = Symbol.for('@gan/core/kernel-fix');
type MarkedKernel = KernelConfig & { [OURS]?: true };

/**
 * Where the composite filter gradient is registered: `missing` only fills a gap; `replace` also
 * swaps out the backend's own kernel. wasm ships none (no conv net trains there); WebGPU ships a
 * naive shader that the composite beats 2.4–3.9× on the DCGAN-64 layers (Dawn on lavapipe).
 */
const FILTER_GRADIENT: Record<string, 'missing' | 'replace'> = {
  wasm: 'missing',
  webgpu: 'replace',
};

export interface KernelFixReport {
  /** `kernel@backend` entries registered by this call; empty when already installed. */
  registered: string[];
}

/**
 * Registers the kernels GAN training needs that backends lack or run slowly: conv2d's filter
 * gradient on `wasm` (missing) and `webgpu` (replaced). Idempotent. Only backends whose package
 * is loaded are touched, so call it after importing them (`setupBackend` does): a backend package
 * registers its kernels on import and would replace ours.
 */
export function installKernelFixes(): KernelFixReport {
  const registered: string[] = [];
  for (const [backendName, mode] of Object.entries(FILTER_GRADIENT)) {
    if (findBackendFactory(backendName) == null) continue; // its package is not loaded (yet)
    const current = getKernel('Conv2DBackpropFilter', backendName) as MarkedKernel | undefined;
    if (current?.[OURS] || (current != null && mode === 'missing')) continue;
    if (current != null) unregisterKernel('Conv2DBackpropFilter', backendName);
    registerKernel(
      Object.assign(conv2dBackpropFilterKernel(backendName), { [OURS]: true as const }),
    );
    registered.push(`Conv2DBackpropFilter@${backendName}`);
  }
  return { registered };
}
