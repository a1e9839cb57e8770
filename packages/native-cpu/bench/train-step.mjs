#!/usr/bin/env node
// npm run bench -w @gan/native-cpu (second part): whole training iterations of three
// configurations on tfjs cpu + these kernels (registered directly: what setupBackend chooses in Node
// given nativeCpuBackend() and no GPU), next to PyTorch 1.13
// in the same run (bench/train_step.py, /usr/bin/python3 with Debian's python3-torch, the same
// threads): rounds alternate — a tfjs round, a PyTorch round — so both see the same state of the
// machine, and each side's median is reported; then a profile of one iteration per configuration:
// where the time goes, per kernel, and the engine's share (wall time minus the kernels' own time:
// tfjs's bookkeeping, the tape, JavaScript between kernels).
//   BENCH_ROUNDS (default 5), BENCH_CONFIGS (default quick,dcgan-64,wgan-gp-64), BENCH_WASM=1
//   also times wasm (the quick configuration), BENCH_JS=1 plain tfjs cpu.
// Prints a table, then one JSON line.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { installGradientFixes, installKernelFixes } from '@gan/core';
import { dcganDiscriminator, dcganGenerator, pytorchDcgan } from '@gan/models';
import { createTrainer, dcgan, wganGp } from '@gan/trainers';
import * as tf from '@tensorflow/tfjs-core';
import { registerNativeKernels, unregisterNativeKernels } from '../dist/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONFIGS = (process.env.BENCH_CONFIGS ?? 'quick,dcgan-64,wgan-gp-64').split(',');
const THREADS = Number(process.env.BENCH_THREADS ?? Math.min(2, cpus().length));

/** Each configuration: models, preset, batch, and iterations per round (a multiple of n_critic). */
const configurations = {
  quick: {
    title: 'quick: WGAN-GP 16×16, 16 filters, latent 32, batch 32 (n_critic 5)',
    batch: 32,
    resolution: 16,
    iterations: 50,
    build: () => ({
      generator: dcganGenerator({ resolution: 16, latentDim: 32, baseFilters: 16, seed: 1 }),
      discriminator: dcganDiscriminator({
        resolution: 16,
        baseFilters: 16,
        norm: 'none',
        output: 'score',
        seed: 2,
      }),
      preset: wganGp(),
    }),
  },
  'dcgan-64': {
    title: 'DCGAN-64: PyTorch tutorial networks, 64 filters, latent 100, batch 16 (1 D + 1 G)',
    batch: 16,
    resolution: 64,
    iterations: 3,
    build: () => ({ ...pytorchDcgan({ seed: 1 }), preset: dcgan() }),
  },
  'wgan-gp-64': {
    title: 'WGAN-GP-64: DCGAN G, no-norm critic, 64 filters, latent 100, batch 16 (n_critic 5)',
    batch: 16,
    resolution: 64,
    iterations: 5,
    build: () => ({
      generator: dcganGenerator({ resolution: 64, latentDim: 100, baseFilters: 64, seed: 1 }),
      discriminator: dcganDiscriminator({
        resolution: 64,
        baseFilters: 64,
        norm: 'none',
        output: 'score',
        seed: 2,
      }),
      preset: wganGp(),
    }),
  },
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function useBackend(kind) {
  await tf.setBackend(kind === 'wasm' ? 'wasm' : 'cpu');
  const cpu = tf.findBackend('cpu');
  if (cpu) cpu.firstUse = false;
  installGradientFixes();
  installKernelFixes();
  unregisterNativeKernels();
  if (kind === 'native') {
    const result = registerNativeKernels({ threads: THREADS });
    if (!result.ok) throw new Error(`native kernels unavailable: ${result.reason}`);
    return result;
  }
  return undefined;
}

function trainerFor(config) {
  const { generator, discriminator, preset } = config.build();
  const trainer = createTrainer({
    ...preset,
    generator,
    discriminator,
    seed: 1,
    warnings: null,
    logEvery: 1e9,
  });
  const data = tf.randomUniform(
    [config.batch, config.resolution, config.resolution, 3],
    -1,
    1,
    'float32',
    3,
  );
  return {
    trainer,
    data,
    dispose() {
      trainer.dispose();
      generator.dispose();
      discriminator.dispose();
      data.dispose();
    },
  };
}

/** A PyTorch process for one configuration: `round()` runs one round there (null: no PyTorch). */
async function pytorch(name) {
  const script = new URL('./train_step.py', import.meta.url).pathname;
  if (!existsSync('/usr/bin/python3')) return null;
  const child = spawn(
    '/usr/bin/python3',
    [script, name, String(configurations[name].iterations), String(THREADS)],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let buffer = '';
  const waiting = [];
  child.stdout.on('data', (d) => {
    buffer += d;
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      waiting.shift()?.(line);
    }
  });
  const line = () => new Promise((resolve) => waiting.push(resolve));
  const exited = new Promise((resolve) => child.once('exit', () => resolve(null)));
  if ((await Promise.race([line(), exited])) !== 'ready') {
    console.error('PyTorch not timed (/usr/bin/python3 with torch did not start)');
    return null;
  }
  return {
    round: async () => {
      child.stdin.write('\n');
      return Number(await line());
    },
    close: () => child.kill(),
  };
}

/**
 * Per-iteration seconds of each round (whole schedule cycles: 5 critic + 1 G updates per 5),
 * alternating with PyTorch's rounds when `torch` is given.
 */
async function timeTfjs(name, kind, torch) {
  await useBackend(kind);
  const config = configurations[name];
  const { trainer, data, dispose } = trainerFor(config);
  const iterations = kind === 'wasm' ? 5 : config.iterations;
  for (let i = 0; i < Math.min(iterations, 5); i++) await trainer.step(data);
  const rounds = [];
  const torchRounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) await trainer.step(data);
    // The weights read back: everything queued has run.
    await trainer.context.generator.getWeights()[0].data();
    rounds.push((performance.now() - start) / 1000 / iterations);
    if (torch) torchRounds.push(await torch.round());
  }
  dispose();
  return { rounds, torchRounds };
}

/** One critic (or D + G) iteration under tf.profile: kernel time by kernel, and the rest. */
async function profile(name) {
  await useBackend('native');
  const config = configurations[name];
  const { trainer, data, dispose } = trainerFor(config);
  for (let i = 0; i < 6; i++) await trainer.step(data);
  while ((trainer.state.iteration + 1) % 5 === 0) await trainer.step(data);
  const start = performance.now();
  const info = await tf.profile(() => trainer.step(data));
  const wall = performance.now() - start;
  dispose();
  // Kernels run inside a custom-gradient op (fusedConv2d__op, …) are counted in it too: only
  // kernels at depth 0 — registered kernels — are summed, the op wrappers dropped.
  const byKernel = new Map();
  for (const k of info.kernels) {
    if (k.name.endsWith('__op')) continue;
    const e = byKernel.get(k.name) ?? { calls: 0, ms: 0 };
    e.calls++;
    e.ms += k.kernelTimeMs;
    byKernel.set(k.name, e);
  }
  const kernelMs = [...byKernel.values()].reduce((s, e) => s + e.ms, 0);
  const top = [...byKernel]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 12)
    .map(([kernel, e]) => ({ kernel, calls: e.calls, ms: e.ms, share: e.ms / wall }));
  return {
    wallMs: wall,
    kernels: [...byKernel.values()].reduce((s, e) => s + e.calls, 0),
    kernelMs,
    engineShare: Math.max(0, wall - kernelMs) / wall,
    top,
  };
}

const probe = await useBackend('native');
const results = [];
for (const name of CONFIGS) {
  const torchProcess = await pytorch(name);
  const { rounds: native, torchRounds } = await timeTfjs(name, 'native', torchProcess);
  torchProcess?.close();
  const torch = torchProcess ? torchRounds : null;
  const row = {
    config: name,
    title: configurations[name].title,
    nativeSeconds: median(native),
    nativeRounds: native,
    pytorchSeconds: torch && median(torch),
    pytorchRounds: torch,
  };
  row.ratio = row.pytorchSeconds ? row.nativeSeconds / row.pytorchSeconds : null;
  if (process.env.BENCH_WASM === '1' && name === 'quick')
    row.wasmSeconds = median((await timeTfjs(name, 'wasm')).rounds);
  if (process.env.BENCH_JS === '1' && name === 'quick')
    row.jsSeconds = median((await timeTfjs(name, 'js')).rounds);
  row.profile = await profile(name);
  results.push(row);
}

const ms = (s) => (s == null ? '—' : `${(s * 1000).toFixed(1)} ms`);
console.log(
  `\n${probe.library.split(' ').slice(0, 2).join(' ')}, ${THREADS} threads, ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}`,
);
console.log(
  '\n| configuration | tfjs cpu + native (median s / iteration) | PyTorch 1.13, same run | ratio |',
);
console.log('|---|---:|---:|---:|');
for (const r of results)
  console.log(
    `| ${r.title} | ${ms(r.nativeSeconds)} | ${ms(r.pytorchSeconds)} | ${r.ratio == null ? '—' : `${r.ratio.toFixed(2)}×`} |`,
  );
for (const r of results) {
  const p = r.profile;
  console.log(
    `\n${r.config}: one iteration ${p.wallMs.toFixed(1)} ms, ${p.kernels} kernels, ${p.kernelMs.toFixed(1)} ms in kernels, engine and JavaScript ${(100 * p.engineShare).toFixed(0)}%`,
  );
  console.log('| kernel | calls | ms | share |');
  console.log('|---|---:|---:|---:|');
  for (const k of p.top)
    console.log(
      `| ${k.kernel} | ${k.calls} | ${k.ms.toFixed(2)} | ${(100 * k.share).toFixed(1)}% |`,
    );
}
console.log(JSON.stringify({ library: probe.library, threads: THREADS, results }));
