import { testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultBackendOrder, setupBackend } from './backend';

describe(`setupBackend in the browser [${testBackend()}]`, () => {
  afterEach(async () => {
    await tf.setBackend(testBackend());
  });

  it('tries WebGPU, WebGL, wasm, cpu in that order; candidates go before wasm', () => {
    expect(defaultBackendOrder()).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(defaultBackendOrder([{ name: 'mine' }])).toEqual([
      'webgpu',
      'webgl',
      'mine',
      'wasm',
      'cpu',
    ]);
  });

  it('uses a candidate in the page as in Node', async () => {
    const info = await setupBackend({
      prefer: ['mine', 'cpu'],
      candidates: [
        {
          name: 'mine',
          async setup() {
            await tf.setBackend('cpu');
            return { ok: true, description: 'cpu, brought by a candidate' };
          },
        },
      ],
      logger: null,
    });
    expect(info).toMatchObject({ name: 'mine', backend: 'cpu', isGpu: false, skipped: [] });
  });

  it('skips WebGPU when its package is absent and reports SwiftShader WebGL as software', async () => {
    const info = await setupBackend({ logger: null, allowSoftwareWebgl: true });
    expect(info.name).toBe('webgl');
    expect(info.skipped.map((s) => s.name)).toEqual(['webgpu']);
    expect(info.description).toMatch(/^WebGL 2 on .*SwiftShader/i);
    expect(info.isGpu).toBe(false);
  });
});
