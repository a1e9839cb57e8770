import { adaptiveAugmentation } from '@gan/data';
import {
  minimaxDiscriminatorLoss,
  nonSaturatingGeneratorLoss,
  wassersteinDiscriminatorLoss,
  wassersteinGeneratorLoss,
} from '@gan/losses';
import { expectClose, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryCheckpoints } from './checkpoint/memory-store';
import { type Augmentation, createContext } from './context';
import { createTrainer, type StepMetrics, type Trainer, type TrainerOptions } from './index';
import { discriminatorStep } from './steps/discriminator-step';
import { generatorStep } from './steps/generator-step';

const exact = testBackend() !== 'webgl';
const losses = {
  discriminator: (r: tf.Tensor, f: tf.Tensor) => minimaxDiscriminatorLoss(r, f),
  generator: (f: tf.Tensor) => nonSaturatingGeneratorLoss(f),
};

/**
 * A small MLP pair on 8×8 RGB images: G maps 8-d latents through 32 ReLU units to tanh pixels, D
 * flattens them into `hidden` leaky-ReLU units and one logit. The same seed gives the same weights.
 */
function imageMlpGan(seed: number, hidden = 32) {
  let s = seed * 10;
  const init = () => tfl.initializers.glorotUniform({ seed: s++ });
  const generator = tfl.sequential({
    layers: [
      tfl.layers.dense({
        inputShape: [8],
        units: 32,
        activation: 'relu',
        kernelInitializer: init(),
      }),
      tfl.layers.dense({ units: 8 * 8 * 3, activation: 'tanh', kernelInitializer: init() }),
      tfl.layers.reshape({ targetShape: [8, 8, 3] }),
    ],
  });
  const discriminator = tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape: [8, 8, 3] }),
      tfl.layers.dense({ units: hidden, kernelInitializer: init() }),
      tfl.layers.leakyReLU({ alpha: 0.2 }),
      tfl.layers.dense({ units: 1, kernelInitializer: init() }),
    ],
  });
  return { generator, discriminator };
}

const owned: { dispose(): void }[] = [];
afterEach(() => {
  for (const o of owned.splice(0).reverse()) o.dispose();
});
const own = <T extends { dispose(): void }>(o: T): T => {
  owned.push(o);
  return o;
};

/** A trainer on the MLP pair; disposed (with its models) after the test. */
function trainer(
  augment: Augmentation,
  options: { seed?: number; dLearningRate?: number; hidden?: number; logEvery?: number } = {},
  extra: Partial<TrainerOptions> = {},
): Trainer {
  const { generator, discriminator } = imageMlpGan(options.seed ?? 1, options.hidden);
  const t = createTrainer({
    generator,
    discriminator,
    losses,
    optimizers: {
      generator: tf.train.adam(2e-4, 0.5),
      discriminator: tf.train.adam(options.dLearningRate ?? 2e-3, 0.5),
    },
    augment,
    seed: 5,
    logEvery: options.logEvery ?? 1,
    warnings: null,
    ...extra,
  });
  own({
    dispose: () => {
      t.dispose();
      generator.dispose();
      discriminator.dispose();
    },
  });
  return t;
}

/** `count` images of a fixed random generator (the distribution every run's G starts at). */
function generated(count: number): tf.Tensor {
  const { generator, discriminator } = imageMlpGan(1);
  const images = tf.tidy(
    () => generator.predict(tf.randomNormal([count, 8], 0, 1, 'float32', 3)) as tf.Tensor,
  );
  generator.dispose();
  discriminator.dispose();
  return own(images);
}

/** Every weight of both networks, as arrays. */
const weights = (t: Trainer) =>
  [t.context.generator, t.context.discriminator].flatMap((m) =>
    m.getWeights().map((w) => Array.from(w.dataSync())),
  );

/** A callback collecting each logged iteration's augmentP. */
function pRecorder() {
  const seen: Record<number, number | undefined> = {};
  return {
    seen,
    callback: {
      name: 'p',
      onStep: (_t: Trainer, m: StepMetrics) => {
        seen[m.iteration] = m.augmentP;
      },
    },
  };
}

describe(`adaptive augmentation in training [${testBackend()}]`, () => {
  it('the steps hand D’s real and fake outputs, and the updated D, to observe; then dispose them', async () => {
    const real = generated(6);
    const seen: {
      shape: number[];
      mean: number;
      fakeMean: number;
      /** D, as the step left it, on the real batch. */
      after: number;
      disposedAfter: () => boolean;
    }[] = [];
    const spy: Augmentation = {
      name: 'spy',
      apply: (x) => tf.clone(x),
      observe(realOutput, { fakeOutput, discriminate }) {
        const [mean, fakeMean, after] = tf.tidy(() =>
          [tf.mean(realOutput), tf.mean(fakeOutput), tf.mean(discriminate(real))].map(
            (t) => t.dataSync()[0],
          ),
        );
        const disposedAfter = () => realOutput.isDisposed && fakeOutput.isDisposed;
        seen.push({ shape: realOutput.shape, mean, fakeMean, after, disposedAfter });
      },
    };
    const { generator, discriminator } = imageMlpGan(2);
    const ctx = createContext({
      generator,
      discriminator,
      losses,
      optimizers: { generator: tf.train.sgd(0.1), discriminator: tf.train.sgd(0.1) },
      augment: spy,
    });
    const result = discriminatorStep(ctx, real);
    const { realScore, fakeScore } = result.readSync();
    result.dispose();
    generatorStep(ctx, 6).dispose(); // G's step observes nothing
    expect(seen.map((s) => s.shape)).toEqual([[6, 1]]);
    expect(seen[0].mean).toBeCloseTo(realScore, 5); // D(real) before the update
    expect(seen[0].fakeMean).toBeCloseTo(fakeScore, 5);
    const now = tf.tidy(() => tf.mean(discriminator.apply(real) as tf.Tensor).dataSync()[0]);
    expect(seen[0].after).toBeCloseTo(now, 5); // discriminate runs the updated D
    expect(seen[0].after).not.toBeCloseTo(realScore, 3);
    expect(seen[0].disposedAfter()).toBe(true);
    // A step's own augmentation, and none.
    discriminatorStep(ctx, real, { augment: null }).dispose();
    discriminatorStep(ctx, real, { augment: (x) => tf.clone(x) }).dispose();
    expect(seen).toHaveLength(1);
    // The simultaneous step observes too.
    await trainer(spy, {}, { simultaneous: true }).step(real);
    expect(seen).toHaveLength(2);
    ctx.optimizers.generator.dispose();
    ctx.optimizers.discriminator.dispose();
    generator.dispose();
    discriminator.dispose();
  });

  it('reports p as augmentP with the metrics (the value the augmentation holds)', async () => {
    const ada = own(adaptiveAugmentation({ interval: 2, speed: 80, initialP: 0.5 }));
    const { seen, callback } = pRecorder();
    const t = trainer(ada, { logEvery: 2 }, { callbacks: [callback] });
    const data = generated(16);
    const states: number[] = [];
    await t.fit(data, {
      batchSize: 4,
      steps: 8,
      callbacks: [
        { name: 'state', onStep: async () => void states.push((await ada.getState()).p) },
      ],
    });
    expect(Object.keys(seen).map(Number)).toEqual([2, 4, 6, 8]);
    expect(Object.values(seen)).toEqual(states);
    expect(new Set(states).size).toBeGreaterThan(1); // it moved
  });

  it.each(['rt', 'rv'] as const)(
    'resumes bit-identically mid-interval (heuristic %s): weights, p and its statistics',
    async (heuristic) => {
      // Batches of 4, interval 4, speed 80: p moves by 0.2 at discriminator steps 4, 8, 12.
      const data = generated(16);
      const validation = heuristic === 'rv' ? tf.slice(generated(20), 16, 4) : undefined;
      const options = { heuristic, validation, interval: 4, speed: 80, initialP: 0.5 } as const;
      const store = memoryCheckpoints({ keep: 100 });
      const adaWhole = own(adaptiveAugmentation(options));
      const whole = pRecorder();
      const uninterrupted = trainer(
        adaWhole,
        {},
        { callbacks: [whole.callback], checkpoints: { store, every: 1 } },
      );
      await uninterrupted.fit(data, { batchSize: 4, steps: 14 });
      const reference = { weights: weights(uninterrupted), ada: await adaWhole.getState() };
      expect(reference.ada.updates).toBe(3);
      const ps = Object.values(whole.seen);
      expect(new Set(ps).size).toBeGreaterThan(1);

      for (const k of [6, 9]) {
        const { state } = await store.load(`ckpt-${String(k).padStart(9, '0')}`);
        // Mid-interval: steps and Σ sign since the last update are part of the checkpoint.
        expect(state.augmentation).toMatchObject({ steps: k % 4, images: 4 * (k % 4) });
        const ada = own(adaptiveAugmentation(options));
        const resumed = pRecorder();
        const t = trainer(ada, { seed: 7 }, { callbacks: [resumed.callback] });
        await t.load(store, { id: `ckpt-${String(k).padStart(9, '0')}` });
        await t.fit(data, { batchSize: 4, steps: 14 - k });
        const got = weights(t);
        if (exact) expect(got, `k = ${k}`).toEqual(reference.weights);
        else
          for (const [i, w] of got.entries())
            expectClose(w, reference.weights[i], { rtol: 1e-4, atol: 1e-5 });
        expect(await ada.getState(), `k = ${k}`).toEqual(reference.ada);
        for (let i = k + 1; i <= 14; i++)
          expect(resumed.seen[i], `k = ${k}, i = ${i}`).toBe(whole.seen[i]);
      }

      // Without the statistics (p alone restored) the run ends elsewhere: the test would notice.
      const ada = own(adaptiveAugmentation(options));
      const t = trainer(ada, { seed: 7 });
      await t.load(store, { id: 'ckpt-000000006' });
      ada.setState({
        ...(await ada.getState()),
        ...{ signSum: 0, realSum: 0, fakeSum: 0, outputs: 0, fakeOutputs: 0, images: 0, steps: 0 },
      });
      await t.fit(data, { batchSize: 4, steps: 8 });
      expect(await ada.getState()).not.toEqual(reference.ada);
      validation?.dispose();
    },
  );

  it.runIf(testBackend() !== 'webgl')(
    'p rises above 0.1 when D memorises 16 images, and stays at 0 on 2,048 images seen once',
    async () => {
      // Real images and G's first samples come from the same generator: only the set's size
      // differs. 16 images D learns by heart (r_t → 1); a large set it cannot (r_t ≈ 0).
      const all = generated(2048);
      const run = async (data: tf.Tensor, steps: number) => {
        const ada = own(adaptiveAugmentation({ speed: 1000 }));
        const { seen, callback } = pRecorder();
        const t = trainer(ada, { hidden: 128, dLearningRate: 1e-2, logEvery: 10 });
        await t.fit(data, { batchSize: 16, steps, callbacks: [callback] });
        return Object.values(seen) as number[];
      };
      const tiny = await run(own(tf.slice(all, 0, 16)), 200);
      const large = await run(all, 128);
      expect(Math.max(...tiny)).toBeGreaterThan(0.1);
      expect(
        tiny.slice(tiny.length / 2).reduce((a, b) => a + b) / (tiny.length / 2),
      ).toBeGreaterThan(0.05);
      expect(Math.max(...large)).toBeLessThan(0.07); // at most one step up (0.064)
    },
  );

  it.runIf(testBackend() !== 'webgl')(
    "heuristic 'rv' under a Wasserstein critic: p rises on 4 images, stays near 0 on 2,048",
    async () => {
      // A Wasserstein critic's outputs have no fixed offset, so sign(D(real)) means nothing;
      // r_v compares D on the training images with D on 64 held-out ones (rows 2048…2111).
      const all = generated(2112);
      const validation = own(tf.slice(all, 2048, 64));
      const wasserstein = {
        discriminator: (r: tf.Tensor, f: tf.Tensor) => wassersteinDiscriminatorLoss(r, f),
        generator: (f: tf.Tensor) => wassersteinGeneratorLoss(f),
      };
      const run = async (data: tf.Tensor, steps: number) => {
        const ada = own(adaptiveAugmentation({ heuristic: 'rv', validation, speed: 1000 }));
        const { seen, callback } = pRecorder();
        // G (seed 2) starts away from the data (seed 1): the critic has a real gap to find.
        const t = trainer(
          ada,
          { seed: 2, hidden: 128, dLearningRate: 1e-3, logEvery: 10 },
          { losses: wasserstein },
        );
        await t.fit(data, { batchSize: 16, steps, callbacks: [callback] });
        return Object.values(seen) as number[];
      };
      // 4 images (each 4 times in a batch of 16) D learns by heart; 2,048 seen once it cannot.
      const tiny = await run(own(tf.tile(tf.slice(all, 0, 4), [4, 1, 1, 1])), 200);
      const large = await run(own(tf.slice(all, 0, 2048)), 128);
      // Measured: p climbs to 0.38 on the 4 images; on 2,048 it stays 0 until G overtakes the
      // critic near the end, when r_v is noise (one step, 0.064).
      expect(Math.max(...tiny)).toBeGreaterThan(0.25);
      expect(Math.max(...large)).toBeLessThan(0.13); // at most two steps up
    },
  );
});
