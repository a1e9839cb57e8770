import * as tf from '@tensorflow/tfjs-core';
import { argError, assertArg, booleanArg, describe, functionArg, optionsArg } from './args';
import { installGradientFixes } from './gradients/install';
import { installKernelFixes } from './kernels/install';

/** The backends {@link setupBackend} knows how to load itself, best first. */
export type BackendChoice = 'tensorflow-gpu' | 'tensorflow' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** A built-in backend, or the name of a {@link BackendCandidate} passed in `candidates`. */
export type BackendName = BackendChoice | (string & {});

/**
 * What a {@link BackendCandidate}'s `setup` resolves to: the backend is active, with the
 * description the log line shows, or it declined, with the reason the line prints.
 */
export type BackendCandidateResult =
  | { ok: true; description: string; isGpu?: boolean }
  | { ok: false; reason: string };

/**
 * A backend another package provides, for {@link SetupBackendOptions.candidates} — e.g.
 * `nativeCpuBackend()` from `@gan/native-cpu`. Any object of this shape will do: the package
 * that provides one need not depend on @gan/core.
 */
export interface BackendCandidate {
  /** Its name in `prefer`, `BackendInfo.name`, `skipped` and the log line; not a built-in name. */
  readonly name: string;
  /** Whether it runs on a hardware accelerator, when `setup`'s result does not say. Default false. */
  readonly isGpu?: boolean;
  /**
   * Loads and activates the backend (`tf.setBackend`) and says what it is — or declines with a
   * reason (`{ ok: false, reason }`, or a throw: the error's first line), leaving the previous
   * state as it was; `setupBackend` then tries the next candidate. Called at most once per
   * `setupBackend` call, only when the candidates before it did not start.
   */
  setup(): Promise<BackendCandidateResult>;
}

export interface SetupBackendOptions {
  /**
   * Names to try, in order: built-in backends and the names of `candidates`; a candidate left
   * out is not tried. Default: Node `tensorflow-gpu, tensorflow, webgpu, …candidates, wasm, cpu`;
   * browser `webgpu, webgl, …candidates, wasm, cpu` ({@link defaultBackendOrder}).
   */
  prefer?: BackendName[];
  /**
   * Backends other packages provide (`nativeCpuBackend()` from @gan/native-cpu). Without
   * `prefer` they are tried in the order given, after the GPU backends (and tfjs-node) and
   * before `wasm` and `cpu`. Default none: @gan/core loads no other package's backend itself.
   */
  candidates?: readonly BackendCandidate[];
  /**
   * Where to report the choice; `null` for silence. Default `console.info`. (`false`, the old
   * spelling of silence, still works: deprecated, see {@link setupBackend}'s second signature.)
   */
  logger?: ((message: string) => void) | null;
  /** Accept a software WebGL context (e.g. SwiftShader in headless Chromium). Default false. */
  allowSoftwareWebgl?: boolean;
  /**
   * Use a software WebGPU adapter (lavapipe, SwiftShader) even when a later candidate remains:
   * it is slower than wasm (measured 2× on a WGAN-GP step). Default false; a software adapter is
   * still used when it is the last candidate (`prefer: ['webgpu']`).
   */
  allowSoftwareWebgpu?: boolean;
  /** Import an optional package of a built-in backend. Default: dynamic `import()`; pass your own for bundlers. */
  importer?: (specifier: string) => Promise<unknown>;
}

export interface BackendInfo {
  /** The candidate that was chosen: a built-in backend or a `candidates` entry's name. */
  name: BackendName;
  /** The tfjs backend name now active (`tf.getBackend()`). */
  backend: string;
  /** Whether the backend runs on a hardware accelerator (software GL/Vulkan counts as no). */
  isGpu: boolean;
  /** One line for logs: device, renderer or SIMD/threads. */
  description: string;
  /** Better candidates that were not used, with the reason. */
  skipped: { name: BackendName; reason: string }[];
  /** The line `setupBackend` logs (without its `[@gan/core]` prefix): the choice and the reasons. */
  summary: string;
}

type Load = (specifier: string) => Promise<unknown>;

/** How a built-in backend is found, loaded and described. */
interface BuiltIn {
  /** tfjs registry name. */
  backend: string;
  /** Optional packages that provide it, loaded in order. */
  packages: string[];
  /**
   * Runs before the packages load (WebGPU in Node needs navigator.gpu first); a string is the
   * reason to pass the candidate over without loading them.
   */
  prepare?: (load: Load, allowSoftware: boolean) => Promise<string | undefined>;
  describe: () => Promise<{ isGpu: boolean; description: string }>;
}

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

const BUILT_IN: Record<BackendChoice, BuiltIn> = {
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

/**
 * The names {@link setupBackend} tries when `prefer` is not given, in order: the built-in
 * backends of this environment with `candidates`' names (in their order) before `wasm`.
 */
export function defaultBackendOrder(
  candidates: readonly Pick<BackendCandidate, 'name'>[] = [],
): BackendName[] {
  const names = candidates.map((c) => c.name);
  return isNode()
    ? ['tensorflow-gpu', 'tensorflow', 'webgpu', ...names, 'wasm', 'cpu']
    : ['webgpu', 'webgl', ...names, 'wasm', 'cpu'];
}

/** An error's first line, for a log line. */
const firstLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 160);

function shortReason(error: unknown): string {
  const code = (error as { code?: string })?.code;
  // Node's wording, and Vite's (tests, dev servers).
  if (
    code === 'ERR_MODULE_NOT_FOUND' ||
    /^(Cannot find (package|module)|Could not resolve) /.test(firstLine(error))
  )
    return 'not installed';
  return firstLine(error);
}

/** tfjs-backend-cpu prints a banner advising tfjs-node on its first tensor in Node: we chose. */
function quietCpuBanner(): void {
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
}

/** `backend name (description); skipped a (reason); b (reason)` — one line for logs. */
const summary = (name: BackendName, description: string, skipped: BackendInfo['skipped']) =>
  `backend ${name} (${description})` +
  (skipped.length ? `; skipped ${skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}` : '');

/** A backend that started, or the reason it did not. */
type Attempt = { isGpu: boolean; description: string } | { reason: string };

/** Loads, activates and describes a built-in backend (the gradient and kernel fixes installed). */
async function startBuiltIn(
  name: BackendChoice,
  load: Load,
  allowSoftwareWebgpu: boolean,
  last: boolean,
): Promise<Attempt> {
  const builtIn = BUILT_IN[name];
  try {
    const refused = await builtIn.prepare?.(load, allowSoftwareWebgpu || last);
    if (refused) return { reason: refused };
    if (tf.findBackendFactory(builtIn.backend) == null)
      for (const specifier of builtIn.packages) await load(specifier);
  } catch (error) {
    return { reason: `${builtIn.packages.join(' + ')}: ${shortReason(error)}` };
  }
  if (tf.findBackendFactory(builtIn.backend) == null)
    return {
      reason: `${builtIn.packages.join(', ')} loaded but registered no '${builtIn.backend}' backend`,
    };
  try {
    const ok = await tf.setBackend(builtIn.backend);
    await tf.ready();
    if (!ok) return { reason: 'initialisation failed (tf.setBackend returned false)' };
  } catch (error) {
    return { reason: `initialisation failed: ${shortReason(error)}` };
  }
  if (builtIn.backend === 'cpu') quietCpuBanner();
  installFixes();
  const { isGpu, description } = await builtIn.describe();
  // Adapters without info reach this far: judge them by what the backend reports.
  if (name === 'webgpu' && !isGpu && !allowSoftwareWebgpu && !last)
    return { reason: softwareAdapter(description) };
  return { isGpu, description };
}

/** Runs a candidate's `setup` (the fixes installed when it starts). */
async function startCandidate(candidate: BackendCandidate, arg: string): Promise<Attempt> {
  let result: BackendCandidateResult;
  try {
    result = await candidate.setup();
  } catch (error) {
    return { reason: firstLine(error) };
  }
  const valid =
    typeof result === 'object' &&
    result !== null &&
    (result.ok === true
      ? typeof result.description === 'string'
      : result.ok === false && typeof result.reason === 'string');
  assertArg(
    valid,
    'setupBackend',
    () =>
      `${arg}.setup() must resolve to { ok: true, description: string } or { ok: false, reason: string }, got ${describe(result)}`,
    `${arg}.setup`,
  );
  if (!result.ok) return { reason: result.reason };
  await tf.ready();
  if (tf.getBackend() === 'cpu') quietCpuBanner();
  installFixes();
  return { isGpu: result.isGpu ?? candidate.isGpu ?? false, description: result.description };
}

function installFixes(): void {
  installGradientFixes();
  installKernelFixes();
}

/** Checks `candidates` and returns them by name, with the argument each was given as. */
function candidatesArg(fn: string, value: unknown): Map<string, [BackendCandidate, string]> {
  const byName = new Map<string, [BackendCandidate, string]>();
  if (value == null) return byName;
  if (!Array.isArray(value))
    argError(fn, 'candidates', 'an array of backend candidates ({ name, setup })', value);
  value.forEach((candidate: unknown, i) => {
    const arg = `candidates[${i}]`;
    if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate))
      argError(fn, arg, 'a backend candidate ({ name, setup })', candidate);
    const { name, isGpu, setup } = candidate as BackendCandidate;
    if (typeof name !== 'string' || name === '')
      argError(fn, `${arg}.name`, 'a non-empty string', name);
    if (Object.hasOwn(BUILT_IN, name))
      argError(fn, `${arg}.name`, 'a name no built-in backend has', name, 'pick another name');
    const twin = byName.get(name);
    if (twin) argError(fn, `${arg}.name`, `a name of its own (${twin[1]} has it)`, name);
    functionArg(fn, `${arg}.setup`, setup);
    if (isGpu != null) booleanArg(fn, `${arg}.isGpu`, isGpu);
    byName.set(name, [candidate as BackendCandidate, arg]);
  });
  return byName;
}

/**
 * Picks and activates the best available tfjs backend, loading optional backend packages with a
 * dynamic `import()` (a missing package is skipped, never an error), then installs the
 * @gan/core gradient and kernel fixes. Backends from other packages come in `candidates`
 * (`setupBackend({ candidates: [nativeCpuBackend()] })`): @gan/core never loads them itself.
 * In a bundled browser app, import the backend packages you ship yourself (a registered backend
 * is used without importing), or pass `importer`.
 */
export function setupBackend(options?: SetupBackendOptions): Promise<BackendInfo>;
/**
 * @deprecated `logger: false` still silences the log; write `logger: null`.
 */
export function setupBackend(
  options: Omit<SetupBackendOptions, 'logger'> & { logger: false },
): Promise<BackendInfo>;
export async function setupBackend(
  options: Omit<SetupBackendOptions, 'logger'> & {
    logger?: SetupBackendOptions['logger'] | false;
  } = {},
): Promise<BackendInfo> {
  const fn = 'setupBackend';
  optionsArg(fn, options);
  const candidates = candidatesArg(fn, options.candidates);
  const order = options.prefer ?? defaultBackendOrder([...candidates.values()].map(([c]) => c));
  const known = [...Object.keys(BUILT_IN), ...candidates.keys()];
  const choices = known.map((k) => `'${k}'`).join(' | ');
  if (!Array.isArray(order) || order.length === 0)
    argError(fn, 'prefer', `a non-empty array of ${choices}`, order);
  for (const name of order)
    if (!known.includes(name))
      argError(
        fn,
        'prefer[]',
        choices,
        name,
        // It was built in once: say where it went.
        name === 'native-cpu'
          ? 'pass its candidate: candidates: [nativeCpuBackend()] from @gan/native-cpu'
          : undefined,
      );
  const { logger } = options;
  if (!(logger == null || logger === false || typeof logger === 'function'))
    argError(fn, 'logger', 'a function or null', logger);
  if (options.importer != null) functionArg(fn, 'importer', options.importer);
  for (const flag of ['allowSoftwareWebgl', 'allowSoftwareWebgpu'] as const)
    if (options[flag] != null) booleanArg(fn, flag, options[flag]);
  const load = options.importer ?? dynamicImport;
  // null (and the deprecated false): silence.
  const log = logger === undefined ? console.info : logger || (() => {});
  if (options.allowSoftwareWebgl) tf.env().set('SOFTWARE_WEBGL_ENABLED', true);

  const skipped: BackendInfo['skipped'] = [];
  for (const [i, name] of order.entries()) {
    const last = i === order.length - 1;
    const external = candidates.get(name);
    const attempt = external
      ? await startCandidate(...external)
      : await startBuiltIn(name as BackendChoice, load, options.allowSoftwareWebgpu === true, last);
    if ('reason' in attempt) {
      skipped.push({ name, reason: attempt.reason });
      continue;
    }
    const { isGpu, description } = attempt;
    const line = summary(name, description, skipped);
    log(`[@gan/core] ${line}`);
    return { name, backend: tf.getBackend(), isGpu, description, skipped, summary: line };
  }
  throw new Error(
    `setupBackend: no backend could be started:\n${skipped.map((s) => `  ${s.name}: ${s.reason}`).join('\n')}\n` +
      'Install one of @tensorflow/tfjs-backend-cpu, -wasm, -webgl or @tensorflow/tfjs-node.',
  );
}
