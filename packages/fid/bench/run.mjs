#!/usr/bin/env node
// npm run bench -w @gan/fid: (1) Fréchet distance time at 64, 512 and 2048 dimensions — the
// WebAssembly SIMD kernels, the plain JavaScript ones, and scipy's sqrtm route (pytorch-fid's)
// timed in the same run when /usr/bin/python3 has scipy; (2) feature extraction images/s per
// backend for the tiny random-conv extractor, the nsfwjs InceptionV3 and the standard InceptionV3
// architecture (random weights: the speed is the same). Prints a table, then one JSON line.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import {
  extractFeatures,
  frechetDistance,
  inceptionV3Parameters,
  loadInceptionV3,
  nsfwjsInceptionV3,
  randomConvExtractor,
  traceSqrtProduct,
} from '../dist/index.js';

const DIMS = (process.env.BENCH_DIMS ?? '64,512,2048').split(',').map(Number);

/** A full-rank covariance: diag + U Uᵀ / k, U d × 64 uniform, seeded. */
function covariance(d, seed, diag) {
  let s = seed;
  const next = () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647 - 0.5;
  };
  const k = 64;
  const u = Float64Array.from({ length: d * k }, next);
  const c = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = i; j < d; j++) {
      let dot = 0;
      for (let q = 0; q < k; q++) dot += u[i * k + q] * u[j * k + q];
      c[i * d + j] = c[j * d + i] = dot / k + (i === j ? diag : 0);
    }
  return c;
}

const time = (fn) => {
  const start = performance.now();
  fn();
  return (performance.now() - start) / 1000;
};

function scipySeconds(dims) {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return null;
  const script = `
import json, sys, time
import numpy as np
from scipy import linalg
out = {}
rng = np.random.default_rng(0)
for d in ${JSON.stringify(dims)}:
    u, v = rng.random((d, 64)) - 0.5, rng.random((d, 64)) - 0.5
    s1, s2 = u @ u.T / 64 + 0.05 * np.eye(d), v @ v.T / 64 + 0.08 * np.eye(d)
    t = time.time(); c = linalg.sqrtm(s1.dot(s2)); np.trace(c.real); out[d] = time.time() - t
print(json.dumps(out))`;
  try {
    return JSON.parse(execFileSync(python, ['-c', script], { encoding: 'utf8' }));
  } catch {
    return null;
  }
}

const frechet = [];
const scipy = scipySeconds(DIMS);
for (const d of DIMS) {
  const a = { mean: new Float64Array(d), covariance: covariance(d, 11, 0.05) };
  const b = { mean: new Float64Array(d).fill(0.01), covariance: covariance(d, 12, 0.08) };
  const simd = time(() => frechetDistance(a, b));
  const js =
    d > 1024 && !process.env.BENCH_JS_LARGE
      ? null
      : time(() => traceSqrtProduct(a.covariance, b.covariance, d, { simd: false }));
  frechet.push({ dim: d, simdSeconds: simd, jsSeconds: js, scipySqrtmSeconds: scipy?.[d] ?? null });
}

async function imagesPerSecond(backend, makeExtractor, n) {
  await tf.setBackend(backend);
  await tf.ready();
  const extractor = await makeExtractor();
  const images = tf.randomUniform([n, 64, 64, 3], -1, 1, 'float32', 1);
  await extractFeatures(tf.slice(images, 0, 1), extractor); // warm-up (kernels, shaders)
  const start = performance.now();
  await extractFeatures(images, extractor, { batchSize: Math.min(n, 8) });
  const seconds = (performance.now() - start) / 1000;
  images.dispose();
  extractor.dispose();
  return { backend, extractor: extractor.name, images: n, imagesPerSecond: n / seconds };
}

const randomInception = () => {
  const weights = {};
  for (const { name, shape } of inceptionV3Parameters())
    weights[name] = name.endsWith('running_var')
      ? tf.ones(shape)
      : tf.randomNormal(shape, 0, name.endsWith('conv.weight') ? 0.05 : 0.1, 'float32', 1);
  return loadInceptionV3({ weights }).finally(() => tf.dispose(Object.values(weights)));
};

const extraction = [];
for (const backend of ['cpu', 'wasm'])
  extraction.push(
    await imagesPerSecond(backend, () => randomConvExtractor({ dim: 64, size: 64 }), 64),
  );
extraction.push(await imagesPerSecond('wasm', nsfwjsInceptionV3, 8));
extraction.push(await imagesPerSecond('wasm', randomInception, 8));
if (process.env.BENCH_CPU_INCEPTION)
  extraction.push(await imagesPerSecond('cpu', randomInception, 1));

const f = (x, digits = 3) => (x == null ? '—' : x.toFixed(digits));
console.log('\nFréchet distance (seconds; full-rank covariances)');
console.log('| dim | wasm SIMD | plain JS | scipy sqrtm (pytorch-fid route) |');
console.log('|---:|---:|---:|---:|');
for (const r of frechet)
  console.log(`| ${r.dim} | ${f(r.simdSeconds)} | ${f(r.jsSeconds)} | ${f(r.scipySqrtmSeconds)} |`);
console.log('\nFeature extraction (64×64 inputs, resized to the extractor)');
console.log('| backend | extractor | images/s |');
console.log('|---|---|---:|');
for (const r of extraction)
  console.log(`| ${r.backend} | ${r.extractor} | ${f(r.imagesPerSecond, 2)} |`);
console.log(JSON.stringify({ frechet, extraction }));
