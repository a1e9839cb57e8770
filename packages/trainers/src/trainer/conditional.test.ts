import { SeedStream } from '@gan/core';
import { classProjection } from '@gan/layers';
import {
  expectArgError,
  expectArgErrorAsync,
  expectClose,
  expectNoLeaksAsync,
  testBackend,
} from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { memoryCheckpoints } from '../checkpoint/memory-store';
import { createContext, createTrainer, discriminatorStep, type TrainerOptions } from '../index';
import { acganLosses, dcgan, hinge, wganGp } from '../presets/presets';
import { disposeAll } from './dispose-all';

const K = 2;
const LATENT = 4;

/** Tiny class-conditional MLPs on 2-D points: G([z, y]), D as a projection critic or with a class head. */
function models(conditioning: 'projection' | 'acgan', seed = 1) {
  let s = seed * 10;
  const init = () => tfl.initializers.glorotUniform({ seed: s++ });
  const dense = (units: number, activation?: 'relu') =>
    tfl.layers.dense({ units, activation, kernelInitializer: init() });
  const z = tfl.input({ shape: [LATENT] });
  const y = tfl.input({ shape: [K] });
  let h = tfl.layers.concatenate().apply([z, y]) as tfl.SymbolicTensor;
  h = dense(16, 'relu').apply(h) as tfl.SymbolicTensor;
  const generator = tfl.model({ inputs: [z, y], outputs: dense(2).apply(h) as tfl.SymbolicTensor });
  const x = tfl.input({ shape: [2] });
  const dy = tfl.input({ shape: [K] });
  const features = tfl.layers
    .leakyReLU({ alpha: 0.2 })
    .apply(dense(16).apply(x)) as tfl.SymbolicTensor;
  const score = dense(1).apply(features) as tfl.SymbolicTensor;
  const discriminator =
    conditioning === 'projection'
      ? tfl.model({
          inputs: [x, dy],
          outputs: tfl.layers.add().apply([
            score,
            classProjection({
              embeddingsInitializer: tfl.initializers.randomUniform({
                minval: -0.05,
                maxval: 0.05,
                seed: s++,
              }),
            }).apply([features, dy]) as tfl.SymbolicTensor,
          ]) as tfl.SymbolicTensor,
        })
      : tfl.model({ inputs: x, outputs: [score, dense(K).apply(features) as tfl.SymbolicTensor] });
  return { generator, discriminator };
}

/** Class 0 around (−1, −1), class 1 around (+1, +1). */
function labelled(n = 64, seed = 3) {
  return tf.tidy(() => {
    const labels = tf.randomUniform([n], 0, K, 'int32', seed);
    const centre = tf.reshape(tf.sub(tf.mul(tf.cast(labels, 'float32'), 2), 1), [n, 1]);
    const images = tf.add(
      tf.tile(centre, [1, 2]),
      tf.randomNormal([n, 2], 0, 0.1, 'float32', seed + 1),
    );
    return { images, labels };
  });
}

function trainer(conditioning: 'projection' | 'acgan', extra: Partial<TrainerOptions> = {}) {
  // Learning rates of a toy problem: the recipes' 1e-4…4e-4 take thousands of steps here.
  const rates = { generatorLearningRate: 2e-3, discriminatorLearningRate: 2e-3 };
  const preset = conditioning === 'projection' ? wganGp({ nCritic: 2, ...rates }) : hinge(rates);
  const losses =
    conditioning === 'acgan' ? { ...preset.losses, auxiliary: acganLosses() } : preset.losses;
  return createTrainer({
    ...models(conditioning),
    ...preset,
    losses,
    seed: 5,
    warnings: null,
    ...extra,
  });
}

/** Mean x of G's points for a class. */
async function classMean(t: ReturnType<typeof trainer>, label: number) {
  const points = t.generate(256, { labels: label, seed: 1 });
  const m = (await tf.mean(points).data())[0];
  points.dispose();
  return m;
}

describe(`class-conditional training [${testBackend()}]`, () => {
  for (const [name, losses] of [
    ['BCE (minimax, non-saturating)', () => dcgan().losses],
    ['hinge', () => hinge().losses],
  ] as const)
    it(`projection with ${name}: G learns each class too`, async () => {
      const t = createTrainer({
        ...models('projection', 4),
        losses: losses(),
        optimizers: {
          generator: tf.train.adam(2e-3, 0.5),
          discriminator: tf.train.adam(2e-3, 0.5),
        },
        seed: 6,
        warnings: null,
      });
      const data = labelled(256, 7);
      await t.fit(data, { batchSize: 32, epochs: 60 });
      expect(await classMean(t, 0)).toBeLessThan(-0.4);
      expect(await classMean(t, 1)).toBeGreaterThan(0.4);
      tf.dispose([data.images, data.labels]);
      disposeAll(t);
    });

  for (const conditioning of ['projection', 'acgan'] as const) {
    it(`${conditioning}: G learns to make each class where the data has it`, async () => {
      const t = trainer(conditioning, { logEvery: 50 });
      const data = labelled(256);
      expect(t.context.numClasses).toBe(K);
      const result = await t.fit(data, { batchSize: 32, epochs: 60 });
      if (conditioning === 'acgan') {
        expect(result.last?.discriminatorAuxiliaryLoss).toBeGreaterThan(0);
        expect(result.last?.generatorAuxiliaryLoss).toBeGreaterThan(0);
      } else expect(result.last?.discriminatorAuxiliaryLoss).toBeUndefined();
      const [zero, one] = [await classMean(t, 0), await classMean(t, 1)];
      // Real class means are ∓1: each class's points on its own side, well apart.
      expect(zero).toBeLessThan(-0.4);
      expect(one).toBeGreaterThan(0.4);
      tf.dispose([data.images, data.labels]);
      disposeAll(t);
    });

    it(`${conditioning}: steps on labelled batches leak nothing`, async () => {
      const t = trainer(conditioning, { gradientNorms: true, ema: true });
      const batch = labelled(8);
      // Optimizer slots appear on each network's first update (n_critic 2: G's in the second step).
      for (let i = 0; i < 2; i++) await t.step(batch);
      await expectNoLeaksAsync(async () => {
        for (let i = 0; i < 4; i++) await t.step(batch);
      });
      await expectNoLeaksAsync(async () => {
        t.generate(4, { labels: [0, 1, 1, 0] }).dispose();
      });
      tf.dispose([batch.images, batch.labels]);
      disposeAll(t);
    });
  }

  it('a penalty sees D with the real batch’s labels held fixed, on real and generated images of those classes', async () => {
    const { generator, discriminator } = models('projection');
    const seen: { critic: number[]; direct: number[]; fake: number[] }[] = [];
    const batch = labelled(6);
    const y = tf.tidy(() => tf.cast(tf.oneHot(batch.labels, K), 'float32'));
    const ctx = createContext({
      generator,
      discriminator,
      ...wganGp(),
      losses: {
        ...wganGp().losses,
        penalty: (critic, real, fake) =>
          tf.tidy(() => {
            const apply = (x: tf.Tensor) => (critic as { apply(x: tf.Tensor): tf.Tensor }).apply(x);
            seen.push({
              critic: Array.from(apply(real).dataSync()),
              direct: Array.from(
                (discriminator.apply([real, y], { training: true }) as tf.Tensor).dataSync(),
              ),
              fake: Array.from(fake.dataSync()),
            });
            return tf.scalar(0);
          }),
      },
    });
    // The step's first seed is its z: replay it to see which classes G made.
    const zSeed = new SeedStream(ctx.rng.getState()).nextSeed();
    discriminatorStep(ctx, batch).dispose();
    expect(seen).toHaveLength(1);
    expect(seen[0].critic).toEqual(seen[0].direct);
    const made = tf.tidy(
      () =>
        generator.apply([tf.randomNormal([6, LATENT], 0, 1, 'float32', zSeed), y], {
          training: true,
        }) as tf.Tensor,
    );
    expectClose(seen[0].fake, made, { rtol: 1e-6, atol: 1e-7 });
    made.dispose();
    tf.dispose([batch.images, batch.labels, y]);
    generator.dispose();
    discriminator.dispose();
  });

  it('resumes exactly: labels drawn for G steps come from the checkpointed stream', async () => {
    const data = labelled(64);
    const store = memoryCheckpoints();
    const a = trainer('acgan');
    await a.fit(data, { batchSize: 16, steps: 6 });
    await a.save(store);
    await a.fit(data, { batchSize: 16, steps: 6 });
    const b = trainer('acgan');
    // Other starting weights: only the checkpoint can make b's run equal a's.
    for (const w of b.context.generator.weights) w.write(tf.zerosLike(w.read()));
    await b.load(store);
    await b.fit(data, { batchSize: 16, steps: 6 });
    const wa = a.context.generator.getWeights().map((w) => Array.from(w.dataSync()));
    const wb = b.context.generator.getWeights().map((w) => Array.from(w.dataSync()));
    expect(wb).toEqual(wa);
    tf.dispose([data.images, data.labels]);
    disposeAll(a);
    disposeAll(b);
  });

  it('generate: labels by default cycle the classes; misuse names the argument', async () => {
    const t = trainer('projection');
    const z = tf.randomNormal([4, LATENT], 0, 1, 'float32', 2);
    const cycled = t.generate(z);
    const explicit = t.generate(z, { labels: tf.tensor1d([0, 1, 0, 1], 'int32') });
    expect(Array.from(await cycled.data())).toEqual(Array.from(await explicit.data()));
    expectArgError(
      () => t.generate(z, { labels: [0, 1] }),
      'trainer.generate',
      'labels',
      /4 images, 2 labels/,
    );
    expectArgError(
      () => t.generate(2, { labels: 2 }),
      'trainer.generate',
      'labels',
      /integer in \[0, 1\]|0…1|≤ 1/,
    );
    const unlabelled = tf.zeros([4, 2]);
    await expectArgErrorAsync(
      () => t.step(unlabelled),
      'trainer.step',
      'batch',
      /class-conditional \(2 classes\)/,
    );
    tf.dispose([z, cycled, explicit, unlabelled]);
    disposeAll(t);
    const { generator, discriminator } = models('acgan');
    expectArgError(
      () => createTrainer({ generator, discriminator, ...hinge() }),
      'createTrainer',
      'losses.auxiliary',
      /class head/,
    );
    const plain = models('projection');
    const g = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [LATENT], units: 2 })] });
    expectArgError(
      () => createTrainer({ generator: g, discriminator: plain.discriminator, ...hinge() }),
      'createTrainer',
      'generator',
      /takes no labels/,
    );
    const d3 = models('acgan', 2).discriminator;
    const g3 = models('projection', 3).generator;
    const x = tfl.input({ shape: [2] });
    const threeWay = tfl.model({
      inputs: x,
      outputs: [
        tfl.layers.dense({ units: 1 }).apply(x),
        tfl.layers.dense({ units: 3 }).apply(x),
      ] as tfl.SymbolicTensor[],
    });
    expectArgError(
      () =>
        createTrainer({
          generator: g3,
          discriminator: threeWay,
          ...hinge(),
          losses: { ...hinge().losses, auxiliary: acganLosses() },
        }),
      'createTrainer',
      'discriminator',
      /takes 2 classes but the discriminator classifies 3/,
    );
    for (const m of [
      generator,
      discriminator,
      g,
      plain.generator,
      plain.discriminator,
      d3,
      g3,
      threeWay,
    ])
      m.dispose();
  });
});
