#!/usr/bin/env node
// npm run bench -w @gan/trainers: time per iteration of createTrainer against a hand-written
// tfjs loop doing the same updates (same models, optimizers, losses, batch) — the trainer's
// overhead, target ≤ 2%. DCGAN (BCE, Adam, 1:1) and WGAN-GP (n_critic 5) at 32×32 on wasm
// (BENCH_CPU=1 adds the cpu backend). Then what lazy regularisation saves: WGAN-GP with the
// penalty every critic step vs every 4th (penaltyEvery: 4). Prints tables, then one JSON line.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { installGradientFixes, installKernelFixes } from '@gan/core';
import {
  gradientPenalty,
  minimaxDiscriminatorLoss,
  nonSaturatingGeneratorLoss,
  wassersteinDiscriminatorLoss,
  wassersteinGeneratorLoss,
} from '@gan/losses';
import { dcganDiscriminator, dcganGenerator } from '@gan/models';
import * as tf from '@tensorflow/tfjs-core';
import { createTrainer, dcgan, wganGp } from '../dist/index.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const BATCH = 16;
const RESOLUTION = 32;
const LOG_EVERY = 10;

function models(norm) {
  return {
    generator: dcganGenerator({ resolution: RESOLUTION, latentDim: 64, baseFilters: 16, seed: 1 }),
    discriminator: dcganDiscriminator({
      resolution: RESOLUTION,
      baseFilters: 16,
      norm,
      seed: 2,
      output: norm === 'batch' ? 'logit' : 'score',
    }),
  };
}
const vars = (m) => m.trainableWeights.map((w) => w.read());

/** The loop a user would write by hand with tfjs and @gan/losses. */
function rawLoop(kind, generator, discriminator) {
  const [gOpt, dOpt] =
    kind === 'dcgan'
      ? [tf.train.adam(2e-4, 0.5, 0.999), tf.train.adam(2e-4, 0.5, 0.999)]
      : [tf.train.adam(2e-4, 0.5, 0.9), tf.train.adam(2e-4, 0.5, 0.9)];
  let seed = 1;
  let iteration = 0;
  let dCost;
  let gCost;
  const z = () => tf.randomNormal([BATCH, 64], 0, 1, 'float32', seed++);
  return {
    async step(real) {
      iteration++;
      const fake = tf.tidy(() => generator.apply(z(), { training: true }));
      dCost?.dispose();
      dCost = dOpt.minimize(
        () => {
          const r = discriminator.apply(real, { training: true });
          const f = discriminator.apply(fake, { training: true });
          if (kind === 'dcgan') return minimaxDiscriminatorLoss(r, f);
          return tf.add(
            wassersteinDiscriminatorLoss(r, f),
            gradientPenalty(discriminator, real, fake, { seed: seed++ }),
          );
        },
        true,
        vars(discriminator),
      );
      fake.dispose();
      if (kind === 'dcgan' || iteration % 5 === 0) {
        gCost?.dispose();
        gCost = gOpt.minimize(
          () => {
            const out = discriminator.apply(generator.apply(z(), { training: true }), {
              training: true,
            });
            return kind === 'dcgan'
              ? nonSaturatingGeneratorLoss(out)
              : wassersteinGeneratorLoss(out);
          },
          true,
          vars(generator),
        );
      }
      if (iteration % LOG_EVERY === 0) await Promise.all([dCost.data(), gCost?.data()]);
    },
    dispose() {
      tf.dispose([dCost, gCost]);
      gOpt.dispose();
      dOpt.dispose();
    },
  };
}

function trainerLoop(kind, generator, discriminator) {
  const preset = {
    dcgan: dcgan,
    'wgan-gp': wganGp,
    'wgan-gp lazy 4': () => wganGp({ penaltyEvery: 4 }),
  };
  const trainer = createTrainer({
    ...preset[kind](),
    generator,
    discriminator,
    logEvery: LOG_EVERY,
    warnings: null,
  });
  return { step: (real) => trainer.step(real), dispose: () => trainer.dispose() };
}

async function msPerIteration(make, kind, real) {
  const { generator, discriminator } = models(kind === 'dcgan' ? 'batch' : 'none');
  const loop = make(kind, generator, discriminator);
  for (let i = 0; i < LOG_EVERY; i++) await loop.step(real); // warm-up: kernels, optimizer slots
  const start = performance.now();
  for (let i = 0; i < ITERATIONS; i++) await loop.step(real);
  const ms = (performance.now() - start) / ITERATIONS;
  loop.dispose();
  generator.dispose();
  discriminator.dispose();
  return ms;
}

installGradientFixes();
installKernelFixes();
const backends = ['wasm', ...(process.env.BENCH_CPU === '1' ? ['cpu'] : [])];
const results = [];
const lazy = [];
for (const backend of backends) {
  await tf.setBackend(backend);
  installKernelFixes();
  const real = tf.randomUniform([BATCH, RESOLUTION, RESOLUTION, 3], -1, 1, 'float32', 3);
  for (const kind of ['dcgan', 'wgan-gp']) {
    // Alternate raw and trainer rounds so drift (thermal, GC) hits both alike; keep the best of each.
    const raw = [];
    const trainer = [];
    for (let r = 0; r < ROUNDS; r++) {
      raw.push(await msPerIteration(rawLoop, kind, real));
      trainer.push(await msPerIteration(trainerLoop, kind, real));
    }
    const [rawMs, trainerMs] = [Math.min(...raw), Math.min(...trainer)];
    results.push({
      backend,
      preset: kind,
      raw_ms: Number(rawMs.toFixed(2)),
      trainer_ms: Number(trainerMs.toFixed(2)),
      overhead_pct: Number((((trainerMs - rawMs) / rawMs) * 100).toFixed(2)),
    });
  }
  const [every, lazy4] = [[], []];
  for (let r = 0; r < ROUNDS; r++) {
    every.push(await msPerIteration(trainerLoop, 'wgan-gp', real));
    lazy4.push(await msPerIteration(trainerLoop, 'wgan-gp lazy 4', real));
  }
  const [a, b] = [Math.min(...every), Math.min(...lazy4)];
  lazy.push({
    backend,
    penalty_every_step_ms: Number(a.toFixed(2)),
    penalty_every_4th_ms: Number(b.toFixed(2)),
    saved_pct: Number((((a - b) / a) * 100).toFixed(1)),
  });
  real.dispose();
}
console.table(results);
console.table(lazy);
console.log(
  JSON.stringify({
    benchmark: '@gan/trainers createTrainer vs raw tfjs loop',
    note: `ms per iteration, best of ${ROUNDS} alternating rounds of ${ITERATIONS} iterations after ${LOG_EVERY} warm-up; DCGAN ${RESOLUTION}×${RESOLUTION}, base filters 16, batch ${BATCH}; losses read every ${LOG_EVERY}`,
    target_overhead_pct: 2,
    results,
    lazy_regularisation: lazy,
  }),
);
