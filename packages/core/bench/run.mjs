#!/usr/bin/env node
// npm run bench -w @gan/core: Conv2DBackpropFilter (conv2d's filter gradient) on the DCGAN-64
// discriminator's layer shapes at batch 16 — @gan/core's composite kernel on wasm (tfjs ships
// none there) against tfjs's own kernel on cpu. Prints a table, then one JSON line.
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

installKernelFixes();
const results = [];
for (const layer of LAYERS) {
  const row = { layer: layer.name };
  for (const backend of ['wasm', 'cpu']) {
    const { ms, gflops } = await time(backend, layer);
    row[`${backend}_ms`] = Number(ms.toFixed(1));
    row[`${backend}_gflops`] = Number(gflops.toFixed(2));
  }
  results.push(row);
}
console.table(results);
console.log(
  JSON.stringify({
    benchmark: '@gan/core Conv2DBackpropFilter',
    note: 'kernel only, min of repeats after a warm-up',
    repeats,
    results,
  }),
);
