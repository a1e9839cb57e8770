import { type BackendCandidate, setupBackend } from '@gan/core';
import { expectArgError, expectClose, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { nativeCpuBackend } from './backend';
import { unregisterNativeKernels } from './register';
import { nativeSuite } from './testing';

// A structural fit: this package does not depend on @gan/core, and tsc checks that its
// candidate is one of core's (the test suite type-checks against core's .d.ts).
const asCandidate: BackendCandidate = nativeCpuBackend();

const nodeOnly = testBackend() === 'cpu' ? describe : describe.skip;

/** Refuses the Node and WebGPU packages (as on a machine without them), loads the rest. */
const withoutGpuPackages = async (specifier: string): Promise<unknown> => {
  if (/tfjs-node|webgpu/.test(specifier)) throw new Error(`Cannot find package '${specifier}'`);
  return import(/* @vite-ignore */ specifier);
};

const conv = () =>
  tf.tidy(() =>
    tf
      .conv2d(
        tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 1) as tf.Tensor4D,
        tf.randomNormal([3, 3, 3, 5], 0, 1, 'float32', 2) as tf.Tensor4D,
        2,
        'same',
      )
      .dataSync(),
  );

nodeOnly('nativeCpuBackend: a candidate for setupBackend', () => {
  afterEach(async () => {
    unregisterNativeKernels();
    await tf.setBackend(testBackend());
  });

  it('is named native-cpu, not a GPU, and checks its options when it is made', () => {
    expect(asCandidate).toMatchObject({ name: 'native-cpu', isGpu: false });
    expectArgError(
      () => nativeCpuBackend({ threads: 0 }),
      'nativeCpuBackend',
      'threads',
      /threads must be a positive integer, got 0$/,
    );
    expectArgError(
      () => nativeCpuBackend({ addonPath: 3 as never }),
      'nativeCpuBackend',
      'addonPath',
      /got number$/,
    );
    expectArgError(
      () => nativeCpuBackend(null as never),
      'nativeCpuBackend',
      'options',
      /options must be an object, got null$/,
    );
  });

  it('is passed over, with the reason, when its addon does not load — the kernels untouched', async () => {
    const before = tf.getKernel('Conv2D', 'cpu');
    const messages: string[] = [];
    const info = await setupBackend({
      candidates: [nativeCpuBackend({ addonPath: '/nonexistent/addon.node' })],
      prefer: ['native-cpu', 'wasm'],
      logger: (m) => messages.push(m),
    });
    expect(info.name).toBe('wasm');
    expect(info.skipped).toEqual([
      {
        name: 'native-cpu',
        reason: expect.stringMatching(/^@gan\/native-cpu: \/nonexistent\/addon\.node did not load/),
      },
    ]);
    expect(messages).toEqual([
      expect.stringMatching(
        /^\[@gan\/core\] backend wasm \(.*\); skipped native-cpu \(@gan\/native-cpu: \/nonexistent\/addon\.node did not load/,
      ),
    ]);
    expect(tf.getKernel('Conv2D', 'cpu')).toBe(before);
  });
});

nativeSuite("nativeCpuBackend chosen by @gan/core's setupBackend", () => {
  afterEach(async () => {
    unregisterNativeKernels();
    await tf.setBackend(testBackend());
  });
  afterAll(() => unregisterNativeKernels());

  it('activates cpu with the native kernels and says so in the line', async () => {
    unregisterNativeKernels();
    const original = tf.getKernel('Conv2D', 'cpu');
    const js = conv();
    const messages: string[] = [];
    const info = await setupBackend({
      candidates: [nativeCpuBackend({ threads: 2 })],
      prefer: ['native-cpu', 'wasm'],
      logger: (m) => messages.push(m),
    });
    expect(info).toMatchObject({ name: 'native-cpu', backend: 'cpu', isGpu: false, skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
    expect(info.description).toMatch(/^tfjs cpu \+ \d+ native kernels, OpenBLAS \S+, 2 threads$/);
    expect(messages).toEqual([`[@gan/core] backend native-cpu (${info.description})`]);
    // The native kernel runs now, and computes what tfjs's does.
    expect(tf.getKernel('Conv2D', 'cpu')?.kernelFunc).not.toBe(original?.kernelFunc);
    expectClose(conv(), js, { rtol: 1e-4, atol: 1e-4 });
  });

  it('says "1 thread" for one BLAS thread', async () => {
    const info = await setupBackend({
      candidates: [nativeCpuBackend({ threads: 1 })],
      prefer: ['native-cpu'],
      logger: null,
    });
    expect(info.description).toMatch(/, OpenBLAS \S+, 1 thread$/);
  });

  it('takes its place in the default order: after the GPU backends, before wasm', async () => {
    const info = await setupBackend({
      candidates: [nativeCpuBackend()],
      importer: withoutGpuPackages,
      logger: null,
    });
    expect(info.name).toBe('native-cpu');
    expect(info.skipped.map((s) => s.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'webgpu']);
  });
});
