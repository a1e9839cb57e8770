import * as tf from '@tensorflow/tfjs-core';
import { argError, booleanArg, functionArg, oneOf, optionsArg } from './args';
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
  /** The line `setupBackend` logs (without its `[@gan/core]` prefix): the choice and the reasons. */
  summary: string;
}

type Load = (specifier: string) => Promise<unknown>;

interface Candidate {
  /** tfjs registry name. */
  backend: string;
  /** Optional packages that provide it, loaded in order. */
  packages: string[];
  /**
   * Runs before the packages load (WebGPU in Node needs navigator.gpu first); a string is the
   * reason to pass the candidate over without loading them.
   */
  prepare?: (load: Load, allowSoftware: boolean) => Promise<string | undefined>;
  /** Runs once the backend is active; a string is the reason to pass it over. */
  activate?: (load: Load) => Promise<string | undefined>;
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

/** The little of the WebGPU API that choosing an adapter needs. */
interface WebGpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<{ info?: AdapterInfo } | null>;
}
interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}
const softwareAdapter = (description: string) =>
  `software adapter (${description}), slower than the next candidates; allowSoftwareWebgpu: true uses it`;
const adapterDescription = (info: AdapterInfo) =>
  [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');

/**
 * On Linux, Dawn needs the Vulkan loader (libvulkan.so.1): the reason to skip WebGPU when the
 * dynamic linker's cache and LD_LIBRARY_PATH have none, undefined when it is there or unknowable.
 */
async function vulkanLoaderMissing(): Promise<string | undefined> {
  const p = (globalThis as { process?: { platform?: string; env?: Record<string, string> } })
    .process;
  if (p?.platform !== 'linux') return undefined;
  const fs = (await dynamicImport('node:fs')) as typeof import('node:fs');
  const name = 'libvulkan.so.1';
  const dirs = (p.env?.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  if (dirs.some((dir) => fs.existsSync(`${dir}/${name}`))) return undefined;
  if (!fs.existsSync('/etc/ld.so.cache')) return undefined;
  return fs.readFileSync('/etc/ld.so.cache').includes(name)
    ? undefined
    : `no Vulkan loader for Dawn: ${name} not found`;
}

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
    prepare: async (load, allowSoftware) => {
      const g = globalThis as { navigator?: { gpu?: WebGpu } };
      if (g.navigator?.gpu == null && isNode()) {
        // Dawn prints a warning of its own when it finds no Vulkan loader: look first.
        const missing = await vulkanLoaderMissing();
        if (missing) return missing;
        // Node: Dawn from the npm package `webgpu` provides navigator.gpu.
        const dawn = (await load('webgpu')) as {
          create: (flags: string[]) => WebGpu;
          globals: Record<string, unknown>;
        };
        Object.assign(globalThis, dawn.globals);
        Object.defineProperty(globalThis, 'navigator', {
          value: { ...(g.navigator ?? {}), gpu: dawn.create([]) },
          configurable: true,
          writable: true,
        });
      }
      const gpu = g.navigator?.gpu;
      if (gpu == null) return 'no navigator.gpu in this environment';
      // tfjs-webgpu throws a TypeError (and logs its stack) when there is no adapter: ask first.
      const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      if (adapter == null) return 'no WebGPU adapter (no usable GPU driver)';
      const description = adapterDescription(adapter.info ?? {});
      if (!allowSoftware && SOFTWARE_RENDERER.test(description))
        return softwareAdapter(description);
      return undefined;
    },
    describe: async () => {
      const description = adapterDescription(activeBackend().adapterInfo ?? {});
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
        return `@gan/native-cpu: ${shortReason(error)}`;
      }
      const result = native.registerNativeKernels();
      if (!result.ok) return `@gan/native-cpu: ${result.reason}`;
      nativeDescription = `tfjs cpu + ${result.kernels.length} native kernels, ${result.library.split(' ').slice(0, 2).join(' ')}, ${result.threads} threads`;
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

const dynamicImport = (specifier: string) =>
  import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);

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

function shortReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string })?.code;
  // Node's wording, and Vite's (tests, dev servers).
  if (
    code === 'ERR_MODULE_NOT_FOUND' ||
    /^(Cannot find (package|module)|Could not resolve) /.test(message)
  )
    return 'not installed';
  return message.split('\n')[0].slice(0, 160);
}

/** tfjs-backend-cpu prints a banner advising tfjs-node on its first tensor in Node: we chose. */
function quietCpuBanner(): void {
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
}

/** `backend name (description); skipped a (reason); b (reason)` — one line for logs. */
const summary = (name: BackendChoice, description: string, skipped: BackendInfo['skipped']) =>
  `backend ${name} (${description})` +
  (skipped.length ? `; skipped ${skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}` : '');

/**
 * Picks and activates the best available tfjs backend, loading optional backend packages with a
 * dynamic `import()` (a missing package is skipped, never an error), then installs the
 * @gan/core gradient and kernel fixes. In a bundled browser app, import the backend packages you
 * ship yourself (a registered backend is used without importing), or pass `importer`.
 */
export async function setupBackend(options: SetupBackendOptions = {}): Promise<BackendInfo> {
  const fn = 'setupBackend';
  optionsArg(fn, options);
  const order = options.prefer ?? defaultBackendOrder();
  const known = Object.keys(CANDIDATES);
  if (!Array.isArray(order) || order.length === 0)
    argError(fn, 'prefer', `a non-empty array of ${known.map((k) => `'${k}'`).join(' | ')}`, order);
  for (const name of order) oneOf(fn, 'prefer[]', name, known as BackendChoice[]);
  if (options.logger != null && options.logger !== false) functionArg(fn, 'logger', options.logger);
  if (options.importer != null) functionArg(fn, 'importer', options.importer);
  for (const flag of ['allowSoftwareWebgl', 'allowSoftwareWebgpu'] as const)
    if (options[flag] != null) booleanArg(fn, flag, options[flag]);
  const load = options.importer ?? dynamicImport;
  const log = options.logger === false ? () => {} : (options.logger ?? console.info);
  if (options.allowSoftwareWebgl) tf.env().set('SOFTWARE_WEBGL_ENABLED', true);

  const skipped: BackendInfo['skipped'] = [];
  for (const name of order) {
    const candidate = CANDIDATES[name];
    const last = name === order[order.length - 1];
    const skip = (reason: string) => skipped.push({ name, reason });
    try {
      const refused = await candidate.prepare?.(load, options.allowSoftwareWebgpu === true || last);
      if (refused) {
        skip(refused);
        continue;
      }
      if (tf.findBackendFactory(candidate.backend) == null)
        for (const specifier of candidate.packages) await load(specifier);
    } catch (error) {
      skip(`${candidate.packages.join(' + ')}: ${shortReason(error)}`);
      continue;
    }
    if (tf.findBackendFactory(candidate.backend) == null) {
      skip(
        `${candidate.packages.join(', ')} loaded but registered no '${candidate.backend}' backend`,
      );
      continue;
    }
    let ok = false;
    try {
      ok = await tf.setBackend(candidate.backend);
      await tf.ready();
    } catch (error) {
      skip(`initialisation failed: ${shortReason(error)}`);
      continue;
    }
    if (!ok) {
      skip('initialisation failed (tf.setBackend returned false)');
      continue;
    }
    if (candidate.backend === 'cpu') quietCpuBanner();
    const refused = await candidate.activate?.(load);
    if (refused) {
      skip(refused);
      continue;
    }
    installGradientFixes();
    installKernelFixes();
    const { isGpu, description } = await candidate.describe();
    // Adapters without info reach this far: judge them by what the backend reports.
    if (name === 'webgpu' && !isGpu && !options.allowSoftwareWebgpu && !last) {
      skip(softwareAdapter(description));
      continue;
    }
    const line = summary(name, description, skipped);
    log(`[@gan/core] ${line}`);
    return { name, backend: tf.getBackend(), isGpu, description, skipped, summary: line };
  }
  throw new Error(
    `setupBackend: no backend could be started:\n${skipped.map((s) => `  ${s.name}: ${s.reason}`).join('\n')}\n` +
      'Install one of @tensorflow/tfjs-backend-cpu, -wasm, -webgl or @tensorflow/tfjs-node.',
  );
}
