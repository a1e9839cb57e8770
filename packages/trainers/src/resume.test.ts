import { diffAugmentation, ImageDataset, type RawImage } from '@gan/data';
import { dcganDiscriminator, dcganGenerator } from '@gan/models';
import { expectClose, mlpGan, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { memoryCheckpoints } from './checkpoint/memory-store';
import { optimizerWeights } from './checkpoint/optimizer-state';
import type { CheckpointStore } from './checkpoint/types';
import type { DataSource } from './data-source';
import { createTrainer, type Trainer, type TrainerOptions } from './index';
import { dcgan, type TrainerPreset, wganGp } from './presets/presets';
import { boosted } from './schedules/boosted';
import { monitored } from './schedules/monitored';
import type { Schedule } from './schedules/schedule';

/**
 * Exact resume, swept: one uninterrupted run checkpoints after every iteration; then, for every
 * k, a fresh trainer (other initial weights) loads checkpoint k and finishes the run. Every k must
 * end bit-identical to the uninterrupted run (cpu, wasm) — generator, discriminator, EMA,
 * optimizer state, RNG, schedule, data position — or within 1e-4 on WebGL.
 */

const EPOCHS = 2;
const exact = testBackend() !== 'webgl';

interface Case {
  name: string;
  preset: () => TrainerPreset;
  schedule?: () => Schedule;
  /** 'mlp' on 2-D points, 'images' a tiny DCGAN on 8×8 RGB. */
  models: 'mlp' | 'images';
  data: 'tensor' | 'images';
  options?: Partial<TrainerOptions>;
}

/** Every tfjs optimizer in the trainer (the optimizer-level sweep is optimizer-state.test.ts). */
const OPTIMIZERS: Record<string, () => tf.Optimizer> = {
  sgd: () => tf.train.sgd(0.05),
  'momentum (Nesterov)': () => tf.train.momentum(0.05, 0.9, true),
  // Centred RMSProp is swept in optimizer-state.test.ts: tfjs 4.22 subtracts ε under its square
  // root, so these small networks' first gradients already give NaN.
  'rmsprop (momentum)': () => tf.train.rmsprop(0.01, 0.9, 0.5),
  adamax: () => tf.train.adamax(0.01),
  adagrad: () => tf.train.adagrad(0.05),
  adadelta: () => tf.train.adadelta(1),
};

const CASES: Case[] = [
  ...Object.entries(OPTIMIZERS).map(([name, make]) => ({
    name: `classic with ${name}, tensor data`,
    preset: () => {
      const preset = dcgan();
      preset.optimizers.generator.dispose();
      preset.optimizers.discriminator.dispose();
      return { ...preset, optimizers: { generator: make(), discriminator: make() } };
    },
    models: 'mlp' as const,
    data: 'tensor' as const,
  })),
  {
    name: 'classic (DCGAN, Adam β₂ 0.999), tensor data',
    preset: dcgan,
    models: 'mlp',
    data: 'tensor',
  },
  {
    name: 'critic(3) (WGAN-GP) with EMA, DiffAugment, an image dataset (shuffle, flips, prefetch)',
    preset: () => wganGp({ nCritic: 3 }),
    models: 'images',
    data: 'images',
    options: { ema: { decay: 0.9 }, augment: diffAugmentation() },
  },
  {
    name: 'monitored, tensor data, EMA',
    preset: dcgan,
    schedule: () => monitored({ ratio: 0.8 }),
    models: 'mlp',
    data: 'tensor',
    options: { ema: true },
  },
  {
    name: 'boosted (boost phases of 3 iterations, swapped labels), an image dataset',
    preset: dcgan,
    schedule: () =>
      boosted({
        generatorBoost: 0.12,
        discriminatorBoost: 0.12,
        swapLabelsProbability: 0.2,
        boostLength: 3,
        seed: 4,
      }),
    models: 'images',
    data: 'images',
  },
];

/** 20 random 8×8 RGB images as a loaded dataset would hold them. */
function images(): ImageDataset {
  const s = new (class {
    v = 12345;
    next() {
      this.v = (Math.imul(this.v, 48271) >>> 0) % 2147483647;
      return this.v;
    }
  })();
  const list: RawImage[] = Array.from({ length: 20 }, () => ({
    width: 8,
    height: 8,
    channels: 3,
    data: Uint8Array.from({ length: 192 }, () => s.next() & 255),
  }));
  return new ImageDataset(
    { length: list.length, get: (i) => list[i] },
    { images: list.length, skipped: [], duplicates: 0, fromCache: false },
  );
}

function build(c: Case, modelSeed: number, store?: CheckpointStore): Trainer {
  const preset = c.preset();
  const models =
    c.models === 'mlp'
      ? mlpGan({ seed: modelSeed })
      : {
          generator: dcganGenerator({
            resolution: 8,
            latentDim: 4,
            baseFilters: 4,
            seed: modelSeed,
          }),
          discriminator: dcganDiscriminator({
            resolution: 8,
            baseFilters: 4,
            norm: 'none',
            output: 'score',
            seed: modelSeed + 1,
          }),
        };
  return createTrainer({
    ...preset,
    ...(c.schedule ? { schedule: c.schedule() } : {}),
    generator: models.generator,
    discriminator: models.discriminator,
    seed: 11,
    logEvery: 1,
    warnings: null,
    ...c.options,
    ...(store ? { checkpoints: { store, every: 1 } } : {}),
  });
}

function source(c: Case): { data: DataSource; batchSize?: number; dispose(): void } {
  if (c.data === 'images') {
    const set = images();
    return { data: set.batches(4, { shuffle: 3, flip: true, prefetch: 2 }), dispose: () => {} };
  }
  const data = tf.randomNormal([20, 2], 0, 1, 'float32', 5);
  return { data, batchSize: 4, dispose: () => data.dispose() };
}

/** Everything that shapes the rest of a run, as arrays. */
async function fingerprint(t: Trainer): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  const models: [string, tfl.LayersModel][] = [
    ['generator', t.context.generator],
    ['discriminator', t.context.discriminator],
    ['sampler', t.sampler],
  ];
  for (const [name, m] of models)
    m.getWeights().forEach((w, i) => {
      out[`${name} ${i}`] = Array.from(w.dataSync());
    });
  for (const net of ['generator', 'discriminator'] as const) {
    const weights = await optimizerWeights(t.context.optimizers[net]);
    // By position: slot names carry the layers' generated names, which differ between trainers.
    weights.forEach((w, i) => {
      out[`${net} optimizer ${i}`] = Array.from(w.tensor.dataSync());
    });
    tf.dispose(weights.filter((w) => !(w.tensor instanceof tf.Variable)).map((w) => w.tensor));
  }
  return out;
}

function dispose(t: Trainer) {
  const { generator, discriminator } = t.context;
  t.dispose();
  generator.dispose();
  discriminator.dispose();
}

/** The sweep over one case (see the file's comment). */
async function sweep(c: Case): Promise<void> {
  const src = source(c);
  const store = memoryCheckpoints({ keep: 1000 });
  const whole = build(c, 1, store);
  await whole.fit(src.data, { epochs: EPOCHS, batchSize: src.batchSize });
  const total = whole.state.iteration;
  const reference = await fingerprint(whole);
  const ids = await store.list();
  // 5 batches per epoch: the k fall mid-epoch and on epoch boundaries.
  expect(total).toBe(EPOCHS * 5);
  expect(ids).toHaveLength(total);
  let insideBoost = 0;
  for (const id of ids.slice(0, -1)) {
    const k = Number(id.slice(5));
    const resumed = build(c, 99);
    await resumed.load(store, { id });
    const { state } = await store.load(id);
    if ((state.schedule.state as { boost?: unknown }).boost) insideBoost++;
    await resumed.fit(src.data, { epochs: EPOCHS, batchSize: src.batchSize });
    expect(resumed.state, `k = ${k}`).toEqual(whole.state);
    const got = await fingerprint(resumed);
    for (const [key, values] of Object.entries(reference)) {
      if (exact) expect(got[key], `k = ${k}: ${key}`).toEqual(values);
      else expectClose(got[key], values, { rtol: 1e-4, atol: 1e-5, label: `k = ${k}: ${key}` });
    }
    dispose(resumed);
  }
  if (c.schedule?.().name === 'boosted') expect(insideBoost).toBeGreaterThan(0);
  dispose(whole);
  src.dispose();
}

describe(`resume at every iteration [${testBackend()}]`, () => {
  for (const c of CASES)
    it(`${c.name}: every k over ${EPOCHS} epochs ends bit-identical`, () => sweep(c));

  it.runIf(testBackend() === 'cpu')(
    "with @gan/native-cpu's kernels (WGAN-GP, EMA, DiffAugment, image dataset)",
    async (ctx) => {
      const specifier: string = '@gan/native-cpu';
      const native = (await import(/* @vite-ignore */ specifier)) as {
        registerNativeKernels(): { ok: boolean; reason?: string };
        unregisterNativeKernels(): void;
      };
      const result = native.registerNativeKernels();
      if (!result.ok) {
        if (process.env.GAN_REQUIRE_NATIVE === '1') throw new Error(result.reason);
        ctx.skip(`no native kernels: ${result.reason}`);
      }
      try {
        await sweep(CASES.find((c) => c.models === 'images' && c.options?.augment) as Case);
      } finally {
        native.unregisterNativeKernels();
      }
    },
  );
});
