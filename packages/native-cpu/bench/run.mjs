#!/usr/bin/env node
// npm run bench -w @gan/native-cpu: per-kernel GFLOP/s on the DCGAN-64 layer shapes (batch 16) —
// native (OpenBLAS) vs tfjs's JavaScript cpu kernels vs wasm — and the whole DCGAN-64 iteration
// (D step + G step, batch 16, Adam) native vs wasm vs PyTorch (timed in the same run when
// /usr/bin/python3 has torch; else the recorded 0.82 s). BENCH_ITERATIONS (default 3).
// Prints a table, then one JSON line.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { installGradientFixes, installKernelFixes } from '@gan/core';
import { pytorchDcgan } from '@gan/models';
import { createTrainer, dcgan } from '@gan/trainers';
import * as tf from '@tensorflow/tfjs-core';
import { registerNativeKernels, unregisterNativeKernels } from '../dist/index.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 3);
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

async function iteration(backend, native) {
  await tf.setBackend(backend);
  installGradientFixes();
  installKernelFixes();
  if (native) registerNativeKernels();
  const { generator, discriminator } = pytorchDcgan({ seed: 1 });
  const trainer = createTrainer({ ...dcgan(), generator, discriminator, seed: 1 });
  const data = tf.randomUniform([B, 64, 64, 3], -1, 1, 'float32', 4);
  await trainer.step(data);
  const start = performance.now();
  for (let i = 0; i < ITERATIONS; i++) await trainer.step(data);
  const seconds = (performance.now() - start) / 1000 / ITERATIONS;
  trainer.dispose();
  generator.dispose();
  discriminator.dispose();
  data.dispose();
  if (native) unregisterNativeKernels();
  return seconds;
}

function pytorchSeconds() {
  if (!existsSync('/usr/bin/python3')) return null;
  const script = `
import time, torch, torch.nn as nn
torch.manual_seed(1)
def block(c_in, c_out, t=False, last=False):
    conv = (nn.ConvTranspose2d if t else nn.Conv2d)(c_in, c_out, 4, 2, 1, bias=False)
    return [conv, nn.BatchNorm2d(c_out), nn.ReLU(True) if t else nn.LeakyReLU(0.2, True)]
G = nn.Sequential(nn.ConvTranspose2d(100, 512, 4, 1, 0, bias=False), nn.BatchNorm2d(512), nn.ReLU(True),
    *block(512, 256, True), *block(256, 128, True), *block(128, 64, True), nn.ConvTranspose2d(64, 3, 4, 2, 1, bias=False), nn.Tanh())
D = nn.Sequential(nn.Conv2d(3, 64, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, True), *block(64, 128), *block(128, 256), *block(256, 512),
    nn.Conv2d(512, 1, 4, 1, 0, bias=False))
oG, oD = torch.optim.Adam(G.parameters(), 2e-4, betas=(0.5, 0.999)), torch.optim.Adam(D.parameters(), 2e-4, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss(); x = torch.rand(16, 3, 64, 64) * 2 - 1
def step():
    z = torch.randn(16, 100, 1, 1); fake = G(z)
    oD.zero_grad(); lossD = bce(D(x).view(-1), torch.ones(16)) + bce(D(fake.detach()).view(-1), torch.zeros(16)); lossD.backward(); oD.step()
    oG.zero_grad(); lossG = bce(D(fake).view(-1), torch.ones(16)); lossG.backward(); oG.step()
step(); t = time.time()
for _ in range(${ITERATIONS}): step()
print((time.time() - t) / ${ITERATIONS})`;
  try {
    return Number(execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' }).trim());
  } catch {
    return null;
  }
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
const torch = pytorchSeconds();
const whole = {
  nativeSeconds: await iteration('cpu', true),
  wasmSeconds: process.env.BENCH_SKIP_WASM ? null : await iteration('wasm', false),
  pytorchSeconds: torch,
  pytorchSource:
    torch == null ? 'recorded (issue 9): 0.82 s' : 'timed in this run (/usr/bin/python3, torch)',
};
whole.ratioToPytorch = whole.nativeSeconds / (torch ?? 0.82);
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
console.log('\n| DCGAN-64 iteration (D + G, batch 16) | seconds |');
console.log('|---|---:|');
console.log(`| cpu + native kernels | ${f(whole.nativeSeconds, 2)} |`);
console.log(`| wasm | ${f(whole.wasmSeconds, 2)} |`);
console.log(`| PyTorch 1.13 (${whole.pytorchSource}) | ${f(torch ?? 0.82, 2)} |`);
console.log(`| native ÷ PyTorch | ${f(whole.ratioToPytorch, 2)}× |`);
console.log(JSON.stringify({ library: probe.library, threads: probe.threads, kernels, whole }));
