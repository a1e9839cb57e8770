import { findBackendFactory, ready, setBackend } from '@tensorflow/tfjs-core';
import {
  checkNativeOptions,
  type NativeKernelsOptions,
  type NativeKernelsResult,
  registerNativeKernels,
  unregisterNativeKernels,
} from './register';

/** What {@link NativeCpuBackend.setup} resolves to: started (with what was registered), or why not. */
export type NativeCpuSetup =
  | { ok: true; description: string; isGpu: false; native: NativeKernelsResult }
  | { ok: false; reason: string };

/**
 * The `native-cpu` candidate for `@gan/core`'s `setupBackend({ candidates })`: tfjs's `cpu`
 * backend with this package's kernels. It has the shape of @gan/core's `BackendCandidate`
 * without importing it (this package does not depend on @gan/core).
 */
export interface NativeCpuBackend {
  readonly name: 'native-cpu';
  readonly isGpu: false;
  /**
   * Loads `@tensorflow/tfjs-backend-cpu` if no `cpu` backend is registered, registers the
   * native kernels and activates `cpu`. Declines — `{ ok: false, reason }`, changing nothing —
   * when the addon does not load.
   */
  setup(): Promise<NativeCpuSetup>;
}

const firstLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0];

/**
 * The cpu backend with the native kernels, as a backend candidate for `@gan/core`'s
 * `setupBackend`: `setupBackend({ candidates: [nativeCpuBackend()] })` tries it after the GPU
 * backends and before wasm, and logs `backend native-cpu (tfjs cpu + 56 native kernels,
 * OpenBLAS 0.3.21, 2 threads)` — or passes it over with the reason the addon did not load.
 * `options` are {@link registerNativeKernels}'s, checked here.
 */
export function nativeCpuBackend(options: NativeKernelsOptions = {}): NativeCpuBackend {
  checkNativeOptions('nativeCpuBackend', options);
  const { threads, addonPath } = options;
  return {
    name: 'native-cpu',
    isGpu: false,
    async setup() {
      if (findBackendFactory('cpu') == null) {
        try {
          await import('@tensorflow/tfjs-backend-cpu');
        } catch (error) {
          return { ok: false, reason: `@tensorflow/tfjs-backend-cpu: ${firstLine(error)}` };
        }
      }
      const native = registerNativeKernels({ threads, addonPath });
      if (!native.ok) return { ok: false, reason: `@gan/native-cpu: ${native.reason}` };
      let reason: string | undefined;
      try {
        if (!(await setBackend('cpu'))) reason = 'tf.setBackend returned false';
        await ready();
      } catch (error) {
        reason = firstLine(error);
      }
      if (reason) {
        unregisterNativeKernels();
        return { ok: false, reason: `the cpu backend did not start: ${reason}` };
      }
      const library = native.library.split(' ').slice(0, 2).join(' ');
      return {
        ok: true,
        isGpu: false,
        description: `tfjs cpu + ${native.kernels.length} native kernels, ${library}, ${native.threads} thread${native.threads === 1 ? '' : 's'}`,
        native,
      };
    },
  };
}
