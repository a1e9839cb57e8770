import * as tf from '@tensorflow/tfjs-core';
import { installGradientFixes } from './gradients/install';
import { installKernelFixes } from './kernels/install';

/** The backends {@link setupBackend} knows how to load, best first. */
export type BackendChoice =
  | 'tensorflow-gpu'
  | 'tensorflow'
  | 'webgpu'
  | 'webgl'
  | 'native-cpu'
  | 'wasm'
  | 'cpu';

export interface SetupBackendOptions {
  /** Candidates to try, in order. Default: Node `tensorflow-gpu, tensorflow, webgpu, native-cpu, wasm, cpu`; browser `webgpu, webgl, wasm, cpu`. */
  prefer?: BackendChoice[];
  /** Where to report the choice; `false` for silence. Default `console.info`. */
  logger?: ((message: string) => void) | false;
  /** Accept a software WebGL context (e.g. SwiftShader in headless Chromium). Default false. */
  allowSoftwareWebgl?: boolean;
  /**
   * Use a software WebGPU adapter (lavapipe, SwiftShader) even when a later candidate remains:
   * it is slower than wasm (measured 2× on a WGAN-GP step). Default false; a software adapter is
   * still used when it is the last candidate (`prefer: ['webgpu']`).
   */
  allowSoftwareWebgpu?: boolean;
  /** Import an optional package. Default: dynamic `import()`; pass your own for bundlers. */
  importer?: (specifier: string) => Promise<unknown>;
}

export interface BackendInfo {
  /** The candidate that was chosen. */
  name: BackendChoice;
  /** The tfjs backend name now active (`tf.getBackend()`). */
  backend: string;
  /** Whether the backend runs on a hardware accelerator (software GL/Vulkan counts as no). */
  isGpu: boolean;
  /** One line for logs: device, renderer or SIMD/threads. */
  description: string;
  /** Better candidates that were not used, with the reason. */
  skipped: { name: BackendChoice; reason: string }[];
}

interface Candidate {
  /** tfjs registry name. */
  backend: string;
  /** Optional packages that provide it, loaded in order. */
  packages: string[];
  /** Runs before the packages load (WebGPU in Node needs navigator.gpu first). */
  prepare?: (load: (specifier: string) => Promise<unknown>) => Promise<void>;
  /** Runs once the backend is active; a string is the reason to pass it over. */
  activate?: (load: (specifier: string) => Promise<unknown>) => Promise<string | undefined>;
  describe: () => Promise<{ isGpu: boolean; description: string }>;
}

interface NativeResult {
  ok: boolean;
  reason?: string;
  kernels: string[];
  library: string;
  threads: number;
}
let nativeDescription = 'tfjs cpu + native kernels';

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic/i;

// biome-ignore lint/suspicious/noExplicitAny: backends expose untyped internals we only read.
const activeBackend = () => tf.backend() as any;

const tensorflowDescribe = async () => {
  const gpu = activeBackend().isUsingGpuDevice === true;
  return { isGpu: gpu, description: `libtensorflow (${gpu ? 'CUDA GPU' : 'CPU'}), tfjs-node` };
};

const CANDIDATES: Record<BackendChoice, Candidate> = {
  'tensorflow-gpu': {
    backend: 'tensorflow',
    packages: ['@tensorflow/tfjs-node-gpu'],
    describe: tensorflowDescribe,
  },
  tensorflow: {
    backend: 'tensorflow',
    packages: ['@tensorflow/tfjs-node'],
    describe: tensorflowDescribe,
  },
  webgpu: {
    backend: 'webgpu',
    packages: ['@tensorflow/tfjs-backend-webgpu'],
    prepare: async (load) => {
      const g = globalThis as { navigator?: { gpu?: unknown } };
      if (g.navigator?.gpu != null || !isNode()) return;
      // Node: Dawn from the npm package `webgpu` provides navigator.gpu.
      const dawn = (await load('webgpu')) as {
        create: (flags: string[]) => unknown;
        globals: Record<string, unknown>;
      };
      Object.assign(globalThis, dawn.globals);
      Object.defineProperty(globalThis, 'navigator', {
        value: { ...(g.navigator ?? {}), gpu: dawn.create([]) },
        configurable: true,
        writable: true,
      });
    },
    describe: async () => {
      const info = activeBackend().adapterInfo ?? {};
      const description = [info.vendor, info.architecture, info.description]
        .filter(Boolean)
        .join(' ');
      return {
        isGpu: !SOFTWARE_RENDERER.test(description),
        description: `WebGPU ${description || '(adapter details hidden)'}`,
      };
    },
  },
  webgl: {
    backend: 'webgl',
    packages: ['@tensorflow/tfjs-backend-webgl'],
    describe: async () => {
      const gl = activeBackend().gpgpu?.gl as WebGL2RenderingContext | undefined;
      const debug = gl?.getExtension('WEBGL_debug_renderer_info');
      const renderer = String(
        (debug && gl?.getParameter(debug.UNMASKED_RENDERER_WEBGL)) ??
          gl?.getParameter(gl.RENDERER) ??
          '',
      );
      return {
        isGpu: !SOFTWARE_RENDERER.test(renderer),
        description: `WebGL ${tf.env().getNumber('WEBGL_VERSION')} on ${renderer || 'unknown renderer'}`,
      };
    },
  },
  wasm: {
    backend: 'wasm',
    packages: ['@tensorflow/tfjs-backend-wasm'],
    describe: async () => {
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
      return {
        isGpu: false,
        description: `WebAssembly (SIMD ${simd ? 'on' : 'off'}, ${threads ? 'multi-threaded' : 'single thread'})`,
      };
    },
  },
  'native-cpu': {
    backend: 'cpu',
    packages: ['@tensorflow/tfjs-backend-cpu'],
    activate: async (load) => {
      // @gan/native-cpu: OpenBLAS kernels for the cpu backend, ~10× wasm on GAN training steps.
      let native: { registerNativeKernels: () => NativeResult };
      try {
        native = (await load('@gan/native-cpu')) as typeof native;
      } catch (error) {
        return `@gan/native-cpu not loadable: ${shortReason(error)}`;
      }
      const result = native.registerNativeKernels();
      if (!result.ok) return `@gan/native-cpu: ${result.reason}`;
      nativeDescription = `tfjs cpu + native kernels (${result.library.split(' ').slice(0, 2).join(' ')}, ${result.threads} threads: ${result.kernels.length} kernels)`;
      return undefined;
    },
    describe: async () => ({ isGpu: false, description: nativeDescription }),
  },
  cpu: {
    backend: 'cpu',
    packages: ['@tensorflow/tfjs-backend-cpu'],
    describe: async () => ({
      isGpu: false,
      description: 'plain JavaScript (slow; fine for tiny models)',
    }),
  },
};

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return (
    p?.versions?.node != null && typeof (globalThis as { window?: unknown }).window === 'undefined'
  );
}

/** The default order of candidates in the current environment. */
export function defaultBackendOrder(): BackendChoice[] {
  return isNode()
    ? ['tensorflow-gpu', 'tensorflow', 'webgpu', 'native-cpu', 'wasm', 'cpu']
    : ['webgpu', 'webgl', 'wasm', 'cpu'];
}

const dynamicImport = (specifier: string) =>
  import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);

function shortReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].slice(0, 160);
}

/**
 * Picks and activates the best available tfjs backend, loading optional backend packages with a
 * dynamic `import()` (a missing package is skipped, never an error), then installs the
 * @gan/core gradient and kernel fixes. In a bundled browser app, import the backend packages you
 * ship yourself (a registered backend is used without importing), or pass `importer`.
 */
export async function setupBackend(options: SetupBackendOptions = {}): Promise<BackendInfo> {
  const order = options.prefer ?? defaultBackendOrder();
  const unknown = order.filter((name) => !(name in CANDIDATES));
  if (order.length === 0 || unknown.length > 0) {
    throw new Error(
      `setupBackend: prefer must list backends from ${Object.keys(CANDIDATES).join(', ')}; got [${order.join(', ')}]`,
    );
  }
  const load = options.importer ?? dynamicImport;
  const log = options.logger === false ? () => {} : (options.logger ?? console.info);
  if (options.allowSoftwareWebgl) tf.env().set('SOFTWARE_WEBGL_ENABLED', true);

  const skipped: BackendInfo['skipped'] = [];
  for (const name of order) {
    const candidate = CANDIDATES[name];
    if (tf.findBackendFactory(candidate.backend) == null) {
      try {
        await candidate.prepare?.(load);
        for (const specifier of candidate.packages) await load(specifier);
      } catch (error) {
        skipped.push({
          name,
          reason: `${candidate.packages.join(' + ')} not loadable: ${shortReason(error)}`,
        });
        continue;
      }
      if (tf.findBackendFactory(candidate.backend) == null) {
        skipped.push({
          name,
          reason: `${candidate.packages.join(', ')} loaded but registered no '${candidate.backend}' backend`,
        });
        continue;
      }
    }
    let ok = false;
    try {
      ok = await tf.setBackend(candidate.backend);
      await tf.ready();
    } catch (error) {
      skipped.push({ name, reason: `initialisation failed: ${shortReason(error)}` });
      continue;
    }
    if (!ok) {
      skipped.push({ name, reason: 'initialisation failed (tf.setBackend returned false)' });
      continue;
    }
    const refused = await candidate.activate?.(load);
    if (refused) {
      skipped.push({ name, reason: refused });
      continue;
    }
    installGradientFixes();
    installKernelFixes();
    const { isGpu, description } = await candidate.describe();
    const last = name === order[order.length - 1];
    if (name === 'webgpu' && !isGpu && !options.allowSoftwareWebgpu && !last) {
      skipped.push({
        name,
        reason: `software adapter (${description}), slower than the next candidates; allowSoftwareWebgpu: true uses it`,
      });
      continue;
    }
    const info: BackendInfo = { name, backend: tf.getBackend(), isGpu, description, skipped };
    log(
      `[@gan/core] backend ${name}: ${description}` +
        (skipped.length
          ? `; skipped ${skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}`
          : ''),
    );
    return info;
  }
  throw new Error(
    `setupBackend: no backend could be started:\n${skipped.map((s) => `  ${s.name}: ${s.reason}`).join('\n')}\n` +
      'Install one of @tensorflow/tfjs-backend-cpu, -wasm, -webgl or @tensorflow/tfjs-node.',
  );
}
