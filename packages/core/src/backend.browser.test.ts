import { testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultBackendOrder, setupBackend } from './backend';

describe(`setupBackend in the browser [${testBackend()}]`, () => {
  afterEach(async () => {
    await tf.setBackend(testBackend());
  });

  it('tries WebGPU, WebGL, wasm, cpu in that order', () => {
    expect(defaultBackendOrder()).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  });

  it('skips WebGPU when its package is absent and reports SwiftShader WebGL as software', async () => {
    const info = await setupBackend({ logger: false, allowSoftwareWebgl: true });
    expect(info.name).toBe('webgl');
    expect(info.skipped.map((s) => s.name)).toEqual(['webgpu']);
    expect(info.description).toMatch(/^WebGL 2 on .*SwiftShader/i);
    expect(info.isGpu).toBe(false);
  });
});
