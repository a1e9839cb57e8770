import { getKernel, registerKernel } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterKernel } from './conv2d-backprop-filter';

/** Backends that ship without a Conv2DBackpropFilter kernel (tfjs 4.22), so conv nets cannot train. */
const BACKENDS_WITHOUT_FILTER_GRADIENT = ['wasm'];

export interface KernelFixReport {
  /** `kernel@backend` entries registered by this call; empty when already installed. */
  registered: string[];
}

/**
 * Registers the kernels that backends lack for GAN training (today: the filter gradient of
 * conv2d on `wasm`). Idempotent; a backend's own kernel is never replaced.
 */
export function installKernelFixes(): KernelFixReport {
  const registered: string[] = [];
  for (const backendName of BACKENDS_WITHOUT_FILTER_GRADIENT) {
    if (getKernel('Conv2DBackpropFilter', backendName) != null) continue;
    registerKernel(conv2dBackpropFilterKernel(backendName));
    registered.push(`Conv2DBackpropFilter@${backendName}`);
  }
  return { registered };
}
