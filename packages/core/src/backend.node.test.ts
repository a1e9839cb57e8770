import { spawnSync } from 'node:child_process';
import { expectArgErrorAsync, testBackend } from '@gan/test-utils';
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

  it('native-cpu: the cpu backend with @gan/native-cpu kernels when they load, passed over with the reason when not', async () => {
    // Not a dependency of @gan/core (an optional peer): loaded from the workspace at run time.
    const specifier: string = '@gan/native-cpu';
    const native = (await import(/* @vite-ignore */ specifier)) as {
      registerNativeKernels(): { ok: boolean; reason?: string };
      unregisterNativeKernels(): void;
    };
    // Whether this checkout has a binary (CI builds one; a machine without a compiler may not).
    const probe = native.registerNativeKernels();
    native.unregisterNativeKernels();
    try {
      const info = await setupBackend({ prefer: ['native-cpu', 'wasm'], logger: false });
      if (probe.ok) {
        expect(info).toMatchObject({ name: 'native-cpu', backend: 'cpu', isGpu: false });
        expect(info.description).toMatch(
          /^tfjs cpu \+ \d+ native kernels, OpenBLAS \S+, \d+ threads$/,
        );
      } else {
        expect(info.name).toBe('wasm');
        expect(info.skipped).toEqual([
          { name: 'native-cpu', reason: `@gan/native-cpu: ${probe.reason}` },
        ]);
      }
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
    expect(missing.skipped[0].reason).toBe('@gan/native-cpu: not installed');
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
    expect(info.skipped[0].reason).toBe('@tensorflow/tfjs-node-gpu: not installed');
    // One line: the choice and why the better candidates were passed over.
    expect(messages).toEqual([`[@gan/core] ${info.summary}`]);
    expect(info.summary).toMatch(
      /^backend wasm \(WebAssembly.*\); skipped tensorflow-gpu \(@tensorflow\/tfjs-node-gpu: not installed\); tensorflow \(@tensorflow\/tfjs-node: not installed\)$/,
    );
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
      /no backend could be started:\n {2}tensorflow-gpu: @tensorflow\/tfjs-node-gpu: not installed\n {2}tensorflow: @tensorflow\/tfjs-node: not installed/,
    );
  });

  it('rejects unknown backend names and bad options before trying any backend', async () => {
    await expectArgErrorAsync(
      () => setupBackend({ prefer: ['gpu' as never] }),
      'setupBackend',
      'prefer[]',
      /prefer\[\] must be 'tensorflow-gpu' \| .* \| 'cpu', got 'gpu'$/,
    );
    await expectArgErrorAsync(
      () => setupBackend({ prefer: [] }),
      'setupBackend',
      'prefer',
      /non-empty array/,
    );
    await expectArgErrorAsync(
      () => setupBackend({ prefer: 'wasm' as never }),
      'setupBackend',
      'prefer',
      /got 'wasm'$/,
    );
    await expectArgErrorAsync(
      () => setupBackend({ logger: true as never }),
      'setupBackend',
      'logger',
      /a function, got true/,
    );
    await expectArgErrorAsync(
      () => setupBackend({ importer: 'x' as never }),
      'setupBackend',
      'importer',
      /got 'x'/,
    );
  });
});

describe(`setupBackend's first screen [${testBackend()}]`, () => {
  // Once (a child process, not the project's backend): on the cpu project.
  it.skipIf(testBackend() !== 'cpu')(
    'prints one line: no tfjs banner, no Dawn or tfjs-webgpu warnings while probing',
    () => {
      // A fresh process, as a user's program starts: the built package, WebGPU probed first.
      const core = new URL('../dist/index.js', import.meta.url).href;
      const program = `
      import * as tf from '@tensorflow/tfjs-core';
      import '@tensorflow/tfjs-backend-cpu';
      const { setupBackend } = await import(${JSON.stringify(core)});
      await setupBackend({ prefer: ['webgpu', 'cpu'] });
      tf.square(tf.tensor([1, 2])).dataSync();`;
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], {
        encoding: 'utf8',
        cwd: new URL('..', import.meta.url).pathname,
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^\[@gan\/core\] backend cpu \(plain JavaScript.*\); skipped webgpu \((no Vulkan loader|no WebGPU adapter|software adapter|webgpu: not installed)/,
        ),
      ]);
    },
  );
});
