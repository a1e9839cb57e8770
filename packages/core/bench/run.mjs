#!/usr/bin/env node
// npm run bench -w @gan/core: Conv2DBackpropFilter (conv2d's filter gradient) on the DCGAN-64
// discriminator's layer shapes at batch 16 — @gan/core's composite kernel on wasm (tfjs ships
// none there) and WebGPU (when Dawn starts: shipped shader vs composite); tfjs's own cpu kernel
// with BENCH_CPU=1. Prints a table, then one JSON line.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { installKernelFixes } from '../dist/index.js';

const LAYERS = [
  { name: 'D conv1 64²×3→64', x: [16, 64, 64, 3], filter: [4, 4, 3, 64] },
  { name: 'D conv2 32²×64→128', x: [16, 32, 32, 64], filter: [4, 4, 64, 128] },
  { name: 'D conv3 16²×128→256', x: [16, 16, 16, 128], filter: [4, 4, 128, 256] },
  { name: 'D conv4 8²×256→512', x: [16, 8, 8, 256], filter: [4, 4, 256, 512] },
];
const repeats = Number(process.env.BENCH_REPEATS ?? 3);

async function time(backend, layer) {
  await tf.setBackend(backend);
  const x = tf.randomNormal(layer.x, 0, 1, 'float32', 1);
  const { outShape } = tf.backend_util.computeConv2DInfo(layer.x, layer.filter, 2, 1, 'same');
  const dy = tf.randomNormal(outShape, 0, 1, 'float32', 2);
  const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: layer.filter };
  const kernel = () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs);
  const times = [];
  for (let i = 0; i <= repeats; i++) {
    const start = performance.now();
    const dw = kernel();
    await dw.data();
    if (i > 0) times.push(performance.now() - start); // the first run warms up
    dw.dispose();
  }
  tf.dispose([x, dy]);
  const ms = Math.min(...times);
  const flops =
    2 * outShape[0] * outShape[1] * outShape[2] * layer.filter.reduce((a, b) => a * b, 1);
  return { ms, gflops: flops / ms / 1e6 };
}

// WebGPU in Node when the `webgpu` package (Dawn) and a Vulkan driver are there. Loaded by hand,
// not through setupBackend, so tfjs-webgpu's own kernel can be kept aside before
// installKernelFixes replaces it with the composite.
async function loadWebgpu() {
  try {
    const dawn = await import('webgpu');
    Object.assign(globalThis, dawn.globals);
    globalThis.navigator = { gpu: dawn.create([]) };
    await import('@tensorflow/tfjs-backend-webgpu');
    return (await tf.setBackend('webgpu')) ? 'available' : undefined;
  } catch {
    return undefined;
  }
}
const webgpu = await loadWebgpu();
const shipped = tf.getKernel('Conv2DBackpropFilter', 'webgpu');
// tfjs's own cpu kernel is ~100× slower than wasm here (minutes per layer): opt in with BENCH_CPU=1.
const withCpu = process.env.BENCH_CPU === '1';
const variants = [
  ['wasm', 'wasm', undefined],
  ...(webgpu
    ? [
        ['webgpu_shipped', 'webgpu', shipped],
        ['webgpu', 'webgpu', 'composite'],
      ]
    : []),
  ...(withCpu ? [['cpu', 'cpu', undefined]] : []),
];
installKernelFixes();
const composite = tf.getKernel('Conv2DBackpropFilter', 'webgpu');
const results = [];
for (const layer of LAYERS) {
  const row = { layer: layer.name };
  for (const [label, backend, kernel] of variants) {
    if (kernel) {
      tf.unregisterKernel('Conv2DBackpropFilter', 'webgpu');
      tf.registerKernel(kernel === 'composite' ? composite : kernel);
    }
    const { ms, gflops } = await time(backend, layer);
    row[`${label}_ms`] = Number(ms.toFixed(1));
    row[`${label}_gflops`] = Number(gflops.toFixed(2));
  }
  results.push(row);
}
console.table(results);
console.log(
  JSON.stringify({
    benchmark: '@gan/core Conv2DBackpropFilter',
    note: 'kernel only, min of repeats after a warm-up; webgpu_shipped = tfjs-webgpu 4.22 own shader, webgpu = @gan/core composite',
    webgpu: webgpu ?? 'not available',
    repeats,
    results,
  }),
);
process.exit(0); // Dawn keeps the event loop alive
