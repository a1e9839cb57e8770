import { testBackend } from '@gan/test-utils';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultBackendOrder, setupBackend } from './backend';

describe(`setupBackend in Node [${testBackend()}]`, () => {
  afterEach(async () => {
    if (tf.findBackend('tensorflow')) tf.removeBackend('tensorflow');
    await tf.setBackend(testBackend());
  });

  it('tries tfjs-node-gpu, tfjs-node, WebGPU, cpu + native kernels, wasm, cpu in that order', () => {
    expect(defaultBackendOrder()).toEqual([
      'tensorflow-gpu',
      'tensorflow',
      'webgpu',
      'native-cpu',
      'wasm',
      'cpu',
    ]);
  });

  it('native-cpu: the cpu backend with @gan/native-cpu kernels, passed over when they do not load', async () => {
    // Not a dependency of @gan/core (an optional peer): loaded from the workspace at run time.
    const specifier: string = '@gan/native-cpu';
    const native = (await import(/* @vite-ignore */ specifier)) as {
      unregisterNativeKernels(): void;
    };
    try {
      const info = await setupBackend({ prefer: ['native-cpu', 'wasm'], logger: false });
      expect(info).toMatchObject({ name: 'native-cpu', backend: 'cpu', isGpu: false });
      expect(info.description).toMatch(/^tfjs cpu \+ native kernels \(OpenBLAS/);
    } finally {
      native.unregisterNativeKernels();
    }
    const missing = await setupBackend({
      prefer: ['native-cpu', 'wasm'],
      logger: false,
      importer: async (name) => {
        if (name === specifier) throw new Error(`Cannot find package '${name}'`);
        return import(/* @vite-ignore */ name);
      },
    });
    expect(missing.name).toBe('wasm');
    expect(missing.skipped[0].reason).toMatch(/@gan\/native-cpu not loadable: Cannot find package/);
    const unbuilt = await setupBackend({
      prefer: ['native-cpu', 'wasm'],
      logger: false,
      importer: async (name) =>
        name === specifier
          ? {
              registerNativeKernels: () => ({ ok: false, reason: 'the native addon did not load' }),
            }
          : import(/* @vite-ignore */ name),
    });
    expect(unbuilt.name).toBe('wasm');
    expect(unbuilt.skipped[0].reason).toMatch(/@gan\/native-cpu: the native addon did not load/);
  });

  it('skips optional packages that are not installed, says why, and picks wasm', async () => {
    const messages: string[] = [];
    // WebGPU left out: whether it starts depends on this machine's Vulkan driver.
    const info = await setupBackend({
      prefer: ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'],
      logger: (m) => messages.push(m),
    });
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.isGpu).toBe(false);
    expect(info.description).toMatch(/WebAssembly \(SIMD (on|off)/);
    expect(info.skipped.map((s) => s.name)).toEqual(['tensorflow-gpu', 'tensorflow']);
    expect(info.skipped[0].reason).toMatch(/@tensorflow\/tfjs-node-gpu not loadable/);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/backend wasm: WebAssembly.*skipped tensorflow-gpu/);
  });

  it('honours prefer and installs the gradient fixes', async () => {
    tf.unregisterGradient('Greater');
    const info = await setupBackend({ prefer: ['cpu'], logger: false });
    expect(info).toMatchObject({ name: 'cpu', backend: 'cpu', isGpu: false, skipped: [] });
    expect(tf.getGradient('Greater')).toBeDefined();
  });

  it('uses a backend an importer registers (how tfjs-node is found)', async () => {
    const imported: string[] = [];
    const info = await setupBackend({
      prefer: ['tensorflow', 'cpu'],
      logger: false,
      importer: async (specifier) => {
        imported.push(specifier);
        tf.registerBackend('tensorflow', () => new MathBackendCPU());
      },
    });
    expect(imported).toEqual(['@tensorflow/tfjs-node']);
    expect(info).toMatchObject({ name: 'tensorflow', backend: 'tensorflow', isGpu: false });
    expect(info.description).toMatch(/libtensorflow \(CPU\)/);
  });

  it('fails with every reason when nothing can start', async () => {
    await expect(
      setupBackend({ prefer: ['tensorflow-gpu', 'tensorflow'], logger: false }),
    ).rejects.toThrow(
      /no backend could be started:\n {2}tensorflow-gpu: @tensorflow\/tfjs-node-gpu not loadable.*\n {2}tensorflow: @tensorflow\/tfjs-node not loadable/s,
    );
  });

  it('rejects unknown backend names', async () => {
    await expect(setupBackend({ prefer: ['gpu' as never] })).rejects.toThrow(
      /prefer must list backends from/,
    );
    await expect(setupBackend({ prefer: [] })).rejects.toThrow(/prefer must list/);
  });
});
