// The WebGPU suite (opt-in: `npm run test:webgpu`, Dawn from the npm package `webgpu` on a Vulkan
// driver). tfjs-webgpu cannot read GPU data synchronously in Node (dataSync needs OffscreenCanvas),
// so the shared suites, which use dataSync, do not run here; this one reads asynchronously and
// compares WebGPU against the cpu reference computed in the same process.
import { expectClose, gradientNormSquared, runOnBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { setupBackend } from './backend';
import { criticLoss, parameters } from './gradients/critic.cases';
import { CASES, caseInputs } from './gradients/second-order.cases';
import { SeedStream } from './seed';

/** ∂/∂(x, w) of ‖∇ₓ Σ c ⊙ g(x, w)‖² for one case, as tensors on the active backend. */
function secondOrder(index: number): tf.Tensor[] {
  return tf.tidy(() => {
    const { inputs, g } = caseInputs(CASES[index], new SeedStream(11));
    return tf.grads(gradientNormSquared(g))(inputs);
  });
}

/** Values of tensors made on WebGPU (async: no synchronous reads there), then disposed. */
const read = async (tensors: tf.Tensor[]) => {
  const values = await Promise.all(tensors.map((t) => t.data()));
  tf.dispose(tensors);
  return values.map((v) => Array.from(v));
};

/** The same computation on the cpu reference. Inputs are made inside `make`: tensors never cross backends. */
const onCpu = (make: () => tf.Tensor[]) =>
  runOnBackend('cpu', () => {
    const tensors = make();
    const values = tensors.map((t) => Array.from(t.dataSync()));
    tf.dispose(tensors);
    return values;
  });

describe('WebGPU in Node', () => {
  it('is chosen by setupBackend and reported with its adapter', async () => {
    const info = await setupBackend({ prefer: ['webgpu'], logger: null });
    expect(info.backend).toBe('webgpu');
    expect(info.description).toMatch(/^WebGPU /);
    expect(info.isGpu).toBe(!/software|llvmpipe|lavapipe|swiftshader/i.test(info.description));
  });

  it('passes over a software adapter when a later candidate remains, unless allowed', async () => {
    const probe = await setupBackend({ prefer: ['webgpu'], logger: null });
    if (probe.isGpu) return; // a hardware adapter is always taken
    const info = await setupBackend({ prefer: ['webgpu', 'cpu'], logger: null });
    expect(info.name).toBe('cpu');
    expect(info.skipped[0]).toMatchObject({
      name: 'webgpu',
      reason: expect.stringMatching(
        /^software adapter \(.*(llvmpipe|lavapipe|SwiftShader|software).*\), slower/i,
      ),
    });
    const allowed = await setupBackend({
      prefer: ['webgpu', 'cpu'],
      logger: null,
      allowSoftwareWebgpu: true,
    });
    expect(allowed.name).toBe('webgpu');
  });

  it('uses the composite Conv2DBackpropFilter, which matches cpu', async () => {
    const filterGradient = () =>
      tf.tidy(() => {
        const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 1);
        const dy = tf.randomNormal([2, 4, 4, 5], 0, 1, 'float32', 2);
        const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [4, 4, 3, 5] };
        return [tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor];
      });
    const kernel = tf.getKernel('Conv2DBackpropFilter', 'webgpu') as unknown as Record<
      symbol,
      unknown
    >;
    expect(kernel[Symbol.for('@gan/core/kernel-fix')]).toBe(true);
    const [actual] = await read(filterGradient());
    const [reference] = await onCpu(filterGradient);
    expectClose(actual, reference, { rtol: 1e-4 });
  });

  CASES.forEach((c, i) => {
    it(`second-order gradients equal cpu's: ${c.name}`, async () => {
      const actual = await read(secondOrder(i));
      const reference = await onCpu(() => secondOrder(i));
      actual.forEach((g, j) => {
        expectClose(g, reference[j], { rtol: 1e-4, label: `input ${j}` });
      });
    });
  });

  it('a WGAN-GP critic step with leakyRelu gives the weight gradients of cpu (1e-4)', async () => {
    const step = () =>
      tf.tidy(() => {
        const { real, fake, alpha, weights } = parameters(2);
        return tf.grads((...w: tf.Tensor[]) => criticLoss(real, fake, alpha, w))(weights);
      });
    const actual = await read(step());
    const reference = await onCpu(step);
    actual.forEach((g, i) => {
      expectClose(g, reference[i], { rtol: 1e-4, label: `weight ${i}` });
    });
  });
});
