#!/usr/bin/env node
// npm run bench -w @gan/native-cpu (first part): per-kernel GFLOP/s on the DCGAN-64 layer shapes
// (batch 16) — native (OpenBLAS) vs tfjs's JavaScript cpu kernels vs wasm. Whole training
// iterations next to PyTorch are bench/train-step.mjs. Prints a table, then one JSON line.
import { cpus } from 'node:os';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { installGradientFixes, installKernelFixes } from '@gan/core';
import * as tf from '@tensorflow/tfjs-core';
import { registerNativeKernels, unregisterNativeKernels } from '../dist/index.js';

const B = 16;
const layers = [
  { name: 'D conv2 64→128, 32² → 16²', kind: 'Conv2D', x: [B, 32, 32, 64], f: [4, 4, 64, 128] },
  { name: 'D conv3 128→256, 16² → 8²', kind: 'Conv2D', x: [B, 16, 16, 128], f: [4, 4, 128, 256] },
  {
    name: 'G convT 512→256, 4² → 8²',
    kind: 'Conv2DBackpropInput',
    x: [B, 8, 8, 256],
    f: [4, 4, 256, 512],
  },
  {
    name: 'G convT 128→64, 16² → 32²',
    kind: 'Conv2DBackpropInput',
    x: [B, 32, 32, 64],
    f: [4, 4, 64, 128],
  },
  {
    name: 'D conv2 filter gradient',
    kind: 'Conv2DBackpropFilter',
    x: [B, 32, 32, 64],
    f: [4, 4, 64, 128],
  },
];

function layerOp(layer) {
  const x = tf.randomNormal(layer.x, 0, 1, 'float32', 1);
  const f = tf.randomNormal(layer.f, 0, 0.05, 'float32', 2);
  const y = tf.randomNormal(tf.conv2d(x, f, 2, 'same').shape, 0, 1, 'float32', 3);
  const run = {
    Conv2D: () => tf.conv2d(x, f, 2, 'same'),
    Conv2DBackpropInput: () => tf.conv2dTranspose(y, f, layer.x, 2, 'same'),
  }[layer.kind];
  const filterGrad = () => tf.grad((fx) => tf.sum(tf.mul(tf.conv2d(x, fx, 2, 'same'), y)))(f);
  const [, oh, ow] = y.shape;
  const gflop = (2 * B * oh * ow * layer.f[0] * layer.f[1] * layer.f[2] * layer.f[3]) / 1e9;
  return {
    gflop: layer.kind === 'Conv2DBackpropFilter' ? 2 * gflop : gflop, // the grad also runs the forward
    fn: layer.kind === 'Conv2DBackpropFilter' ? filterGrad : run,
    dispose: () => tf.dispose([x, f, y]),
  };
}

async function timeLayer(layer, backend, native) {
  await tf.setBackend(backend);
  const cpu = tf.findBackend('cpu');
  if (cpu) cpu.firstUse = false; // tfjs's Node banner
  installGradientFixes(); // the filter gradient is taken with tf.grad
  installKernelFixes();
  if (native) registerNativeKernels();
  const { gflop, fn, dispose } = layerOp(layer);
  await tf.tidy(fn).data(); // warm-up
  const reps = backend === 'cpu' && !native ? 1 : 3;
  const start = performance.now();
  for (let i = 0; i < reps; i++) await tf.tidy(fn).data();
  const seconds = (performance.now() - start) / 1000 / reps;
  dispose();
  if (native) unregisterNativeKernels();
  return gflop / seconds;
}

const probe = registerNativeKernels();
unregisterNativeKernels();
if (!probe.ok) {
  console.error(`native kernels unavailable: ${probe.reason}`);
  process.exit(1);
}
const kernels = [];
for (const layer of layers) {
  kernels.push({
    layer: layer.name,
    kernel: layer.kind,
    nativeGflops: await timeLayer(layer, 'cpu', true),
    tfjsCpuGflops: await timeLayer(layer, 'cpu', false),
    wasmGflops: await timeLayer(layer, 'wasm', false),
  });
}
const f = (x, d = 1) => (x == null ? '—' : x.toFixed(d));
console.log(
  `\n${probe.library}, ${probe.threads} threads, ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}`,
);
console.log('\n| layer (batch 16) | kernel | native GFLOP/s | tfjs cpu GFLOP/s | wasm GFLOP/s |');
console.log('|---|---|---:|---:|---:|');
for (const k of kernels)
  console.log(
    `| ${k.layer} | ${k.kernel} | ${f(k.nativeGflops)} | ${f(k.tfjsCpuGflops, 2)} | ${f(k.wasmGflops)} |`,
  );
console.log(JSON.stringify({ library: probe.library, threads: probe.threads, kernels }));
