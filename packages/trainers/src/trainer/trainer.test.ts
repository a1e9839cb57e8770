import { expectClose, expectNoLeaksAsync, mlpGan, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { memoryCheckpoints } from '../checkpoint/memory-store';
import { CheckpointMismatchError, type TrainerSetup } from '../checkpoint/setup';
import { CheckpointError } from '../checkpoint/types';
import { createTrainer, type Trainer, type TrainerOptions } from '../index';
import { TrainingDivergedError, type TrainingWarning } from '../monitor';
import {
  dcgan,
  hinge,
  pokemonDcgan,
  type TrainerPreset,
  ttur,
  wgan,
  wganGp,
} from '../presets/presets';
import { boosted } from '../schedules/boosted';
import { disposeAll } from './dispose-all';

const PRESETS: Record<string, () => TrainerPreset> = {
  dcgan,
  'pokemonDcgan classic': () => pokemonDcgan(),
  'pokemonDcgan monitored': () => pokemonDcgan({ schedule: 'monitored' }),
  'pokemonDcgan boosted': () => pokemonDcgan({ schedule: 'boosted', seed: 1 }),
  wgan,
  wganGp,
  ttur,
  hinge,
};

/** A 2-D dataset: two blobs. */
const blobs = (n = 64, seed = 1) =>
  tf.tidy(() => {
    const centres = tf.where(
      tf.less(tf.randomUniform([n, 1], 0, 1, 'float32', seed), 0.5),
      tf.scalar(-1),
      tf.scalar(1),
    );
    return tf.add(
      tf.mul(centres, tf.tensor1d([1, 0.5])),
      tf.randomNormal([n, 2], 0, 0.1, 'float32', seed + 1),
    );
  });

function trainer(
  preset: TrainerPreset,
  extra: Partial<TrainerOptions> = {},
  modelSeed = 3,
): Trainer {
  const { generator, discriminator } = mlpGan({ seed: modelSeed });
  return createTrainer({
    ...preset,
    generator,
    discriminator,
    seed: 7,
    logEvery: 5,
    warnings: null,
    ...extra,
  });
}

const weightsOf = (m: tfl.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe(`createTrainer [${testBackend()}]`, () => {
  for (const [name, preset] of Object.entries(PRESETS)) {
    it(`${name}: tensor count constant over 50 steps`, async () => {
      const t = trainer(preset(), { ema: name === 'dcgan', simultaneous: name === 'ttur' });
      const data = blobs();
      await t.fit(data, { batchSize: 16, steps: 10 });
      await expectNoLeaksAsync(async () => {
        await t.fit(data, { batchSize: 16, steps: 50 });
      }, name);
      expect(t.state.iteration).toBe(60);
      const finite = t.context.generator
        .getWeights()
        .every((w) => Array.from(w.dataSync()).every(Number.isFinite));
      expect(finite).toBe(true);
      disposeAll(t);
      data.dispose();
    });
  }

  it('resumes bit-identically: N steps = k steps, save, fresh models and trainer, load, N − k steps', async () => {
    const data = blobs(48);
    const opts = { batchSize: 16 } as const; // 3 batches per epoch: the split falls mid-epoch
    const options = { ema: { decay: 0.9 } } as const;
    const whole = trainer(wganGp({ nCritic: 2 }), options);
    await whole.fit(data, { ...opts, steps: 23 });

    // The first run checkpoints every 5 iterations from inside fit and goes on past 10.
    const store = memoryCheckpoints();
    const first = trainer(wganGp({ nCritic: 2 }), { ...options, checkpoints: { store, every: 5 } });
    await first.fit(data, { ...opts, steps: 12 });
    // Different initial weights: everything must come from the checkpoint.
    const second = trainer(wganGp({ nCritic: 2 }), options, 99);
    await second.load(store, { id: 'ckpt-000000010' });
    expect(second.state).toEqual({
      iteration: 10,
      discriminatorSteps: 10,
      generatorSteps: 5,
      epoch: 3,
      batchInEpoch: 1,
    });
    await second.fit(data, { ...opts, steps: 13 });

    expect(second.state).toEqual(whole.state);
    const slots = async (t: Trainer) =>
      (await t.context.optimizers.discriminator.getWeights()).map((w) =>
        Array.from(w.tensor.dataSync()),
      );
    const pairs: [number[][], number[][], string][] = [
      [weightsOf(second.context.generator), weightsOf(whole.context.generator), 'generator'],
      [
        weightsOf(second.context.discriminator),
        weightsOf(whole.context.discriminator),
        'discriminator',
      ],
      [weightsOf(second.sampler), weightsOf(whole.sampler), 'EMA generator'],
      [await slots(second), await slots(whole), 'Adam slots'],
    ];
    for (const [resumed, reference, label] of pairs) {
      // Bit-identical on cpu and wasm. On WebGL a resumed run is not (freshly uploaded weights
      // can take other texture layouts and shaders than computed ones); it agrees to ~1e-4.
      if (testBackend() === 'webgl')
        expectClose(resumed.flat(), reference.flat(), { rtol: 1e-4, label });
      else expect(resumed, label).toEqual(reference);
    }
    for (const t of [whole, first, second]) disposeAll(t);
    data.dispose();
  });

  it('checkpointing and loading leak no tensor', async () => {
    const data = blobs(32);
    const t = trainer(wganGp(), {
      ema: true,
      checkpoints: { store: memoryCheckpoints(), every: 2 },
    });
    // Warm up until both optimizers have their slots and both step results are held.
    await t.fit(data, { batchSize: 16, steps: 5 });
    await expectNoLeaksAsync(async () => {
      await t.fit(data, { batchSize: 16, steps: 6 }); // three checkpoints
      await t.load(); // back to iteration 10, results dropped
      await t.fit(data, { batchSize: 16, steps: 5 }); // both networks train again
    });
    disposeAll(t);
    data.dispose();
  });

  it('stops on abort mid-epoch with a consistent state and a final checkpoint', async () => {
    const data = blobs(64);
    const controller = new AbortController();
    const store = memoryCheckpoints();
    const t = trainer(dcgan(), { logEvery: 1, checkpoints: { store, every: 100 } });
    const result = await t.fit(data, {
      batchSize: 16,
      epochs: 10,
      signal: controller.signal,
      onStep: (m) => {
        if (m.iteration === 6) controller.abort();
      },
    });
    expect(result).toMatchObject({
      stopped: 'aborted',
      iterations: 6,
      epochs: 1,
      checkpoint: 'ckpt-000000006',
    });
    expect(t.state).toMatchObject({ iteration: 6, epoch: 1, batchInEpoch: 2 });
    expect(await store.list()).toEqual(['ckpt-000000006']);
    const resumed = await t.fit(data, { batchSize: 16, epochs: 2 });
    expect(resumed).toMatchObject({ stopped: 'done', iterations: 2, epochs: 2 });
    disposeAll(t);
    data.dispose();
  });

  /** Batches of an epoch; the fifth batch of epoch 0 is poisoned with NaN the first time only. */
  function poisoned() {
    let poisonedOnce = false;
    return (epoch: number) =>
      Array.from({ length: 8 }, (_, b) => {
        const batch = blobs(8, 100 * epoch + b);
        if (epoch === 0 && b === 4 && !poisonedOnce) {
          poisonedOnce = true;
          batch.dispose();
          return tf.fill([8, 2], Number.NaN);
        }
        return batch;
      });
  }

  it('NaN guard stop: a poisoned batch ends training with a clear error', async () => {
    const t = trainer(dcgan(), { logEvery: 1 });
    await expect(t.fit(poisoned(), { epochs: 1 })).rejects.toThrow(TrainingDivergedError);
    const again = trainer(dcgan(), { logEvery: 1 });
    await expect(again.fit(poisoned(), { epochs: 1 })).rejects.toThrow(
      /losses stopped being finite at iteration 5 \(discriminatorLoss = NaN/,
    );
    disposeAll(t);
    disposeAll(again);
  });

  it('NaN guard rollback: reloads the last checkpoint, halves the learning rates, carries on', async () => {
    const warnings: TrainingWarning[] = [];
    const store = memoryCheckpoints();
    const t = trainer(dcgan(), {
      logEvery: 3,
      checkpoints: { store, every: 2 },
      nanGuard: { rollback: true },
      callbacks: { onWarning: (w) => warnings.push(w) },
    });
    const result = await t.fit(poisoned(), { epochs: 2 });
    expect(result.stopped).toBe('done');
    expect(warnings.map((w) => w.kind)).toEqual(['rolled-back']);
    // Poisoned at iteration 5, not logged then, caught before the iteration-6 checkpoint.
    expect(warnings[0].message).toMatch(
      /at iteration 6 .* rolled back to ckpt-000000004 and multiplied the learning rates by 0.5/,
    );
    expect(t.context.optimizers.generator.getConfig().learningRate).toBeCloseTo(1e-4, 10);
    expect(t.state).toMatchObject({ epoch: 2, iteration: 16 });
    const finite = [t.context.generator, t.context.discriminator].every((m) =>
      m.getWeights().every((w) => Array.from(w.dataSync()).every(Number.isFinite)),
    );
    expect(finite).toBe(true);
    disposeAll(t);
  });

  it('generates from the EMA generator, reproducibly, with optional truncation', async () => {
    const t = trainer(dcgan(), { ema: { decay: 0.5 } });
    const data = blobs();
    await t.fit(data, { batchSize: 16, steps: 4 });
    expect(t.sampler).not.toBe(t.context.generator);
    const [a, b] = [t.generate(5, { seed: 1 }), t.generate(5, { seed: 1 })];
    expect(a.shape).toEqual([5, 2]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const truncated = t.generate(3, { seed: 2, truncation: 0.5 });
    expect(truncated.shape).toEqual([3, 2]);
    expect(() => t.generate(0)).toThrow(/n must be a positive integer/);
    tf.dispose([a, b, truncated]);
    disposeAll(t);
    data.dispose();
  });

  it('calls back with samples of a fixed latent batch and warns about collapse and an overpowering D', async () => {
    const warnings: TrainingWarning[] = [];
    const seen: number[] = [];
    const preset = dcgan();
    // A discriminator loss that is always ~0, and a generator that ignores z.
    preset.losses = {
      ...preset.losses,
      discriminator: (r, f) => tf.add(tf.mul(tf.sum(tf.add(r, f)), 0), 1e-5) as tf.Scalar,
    };
    const t = trainer(preset, {
      logEvery: 1,
      warnings: { patience: 3 },
      samples: { every: 4, count: 6 },
      callbacks: {
        onWarning: (w) => warnings.push(w),
        onSamples: (images, iteration) => {
          expect(images.shape).toEqual([6, 2]);
          seen.push(iteration);
        },
      },
    });
    for (const w of t.context.generator.layers[0].getWeights())
      (w as tf.Variable).assign(tf.zerosLike(w));
    const data = blobs();
    await t.fit(data, { batchSize: 16, steps: 8 });
    expect(seen).toEqual([4, 8]);
    const kinds = warnings.map((w) => w.kind);
    expect(kinds).toContain('discriminator-overpowers');
    expect(kinds).toContain('mode-collapse');
    expect(warnings.find((w) => w.kind === 'mode-collapse')?.message).toMatch(
      /minibatch discrimination/,
    );
    disposeAll(t);
    data.dispose();
  });

  it('rejects bad use with clear errors', async () => {
    const t = trainer(dcgan());
    const data = blobs();
    await expect(t.fit(data, { batchSize: 16 })).rejects.toThrow(/give steps or epochs/);
    await expect(t.fit(data, { steps: 1 })).rejects.toThrow(
      /^trainer.fit: batchSize must be a positive integer, got undefined; data is a tensor, which fit splits/,
    );
    await expect(t.save()).rejects.toThrow(/no checkpoint store given/);
    await expect(t.load(memoryCheckpoints())).rejects.toThrow(CheckpointError);
    disposeAll(t);
    data.dispose();
  });

  it('refuses a checkpoint written with other settings, saying what differs', async () => {
    const store = memoryCheckpoints();
    const saved = trainer(wganGp({ nCritic: 2 }), { ema: { decay: 0.9 } });
    const data = blobs(32);
    await saved.fit(data, { batchSize: 16, steps: 3 });
    await saved.save(store);
    const refused = async (t: Trainer) => {
      const error = await t.load(store).catch((e) => e);
      disposeAll(t);
      expect(error).toBeInstanceOf(CheckpointMismatchError);
      expect(error.message).toMatch(
        /^load: checkpoint ckpt-000000003 in memory does not fit this trainer \(in the checkpoint → in this trainer\):\n {2}.*\nPass \{ strict: false \} to load it anyway/s,
      );
      return error.differences;
    };
    const withOptimizers = (generator: tf.Optimizer, discriminator: tf.Optimizer) => {
      const preset = wganGp({ nCritic: 2 });
      preset.optimizers.generator.dispose();
      preset.optimizers.discriminator.dispose();
      return { ...preset, optimizers: { generator, discriminator } };
    };
    expect(
      await refused(
        trainer(withOptimizers(tf.train.adam(2e-4, 0.5, 0.9), tf.train.rmsprop(2e-4)), {
          ema: { decay: 0.9 },
        }),
      ),
    ).toEqual(['discriminator optimizer: Adam → RMSProp']);
    expect(
      await refused(
        trainer(withOptimizers(tf.train.adam(1e-4, 0.5, 0.99), tf.train.adam(2e-4, 0.5, 0.9)), {
          ema: { decay: 0.9 },
        }),
      ),
    ).toEqual([
      'generator optimizer (Adam).learningRate: 0.0002 → 0.0001',
      'generator optimizer (Adam).beta2: 0.9 → 0.99',
    ]);
    expect(await refused(trainer(wganGp({ nCritic: 3 }), { ema: { decay: 0.9 } }))).toEqual([
      'schedule: critic(2) → critic(3)',
    ]);
    expect(
      await refused(
        trainer(wganGp({ nCritic: 2 }), {
          ema: { decay: 0.99 },
          augment: { name: 'flips', config: { p: 0.5 }, apply: (x) => x },
          weightClipping: 0.1,
        }),
      ),
    ).toEqual([
      'augmentation: none → flips',
      'EMA.decay: 0.9 → 0.99',
      'weightClipping: null → 0.1',
    ]);
    disposeAll(saved);
    data.dispose();
  });

  it('loads, strictly, a checkpoint written before the renames (clipValue, boosted swapLabels)', async () => {
    const options = () => ({
      ...wgan(),
      schedule: boosted({
        generatorBoost: 0.1,
        discriminatorBoost: 0.1,
        swapLabelsProbability: 0.2,
        boostLength: 2,
        seed: 4,
      }),
    });
    const saved = trainer(options());
    const data = blobs(32);
    await saved.fit(data, { batchSize: 16, steps: 4 });
    const store = memoryCheckpoints();
    await saved.save(store);
    const current = await store.load();
    // Written in the new names only.
    expect(current.state.setup).toMatchObject({
      weightClipping: 0.01,
      schedule: { name: 'boosted', config: { swapLabelsProbability: 0.2 } },
    });
    expect(current.state.setup).not.toHaveProperty('clipValue');
    expect(current.state.setup?.schedule.config).not.toHaveProperty('swapLabels');

    // The same checkpoint as an older release wrote it.
    const { weightClipping, schedule, ...setup } = current.state.setup as TrainerSetup;
    const { swapLabelsProbability, ...config } = schedule.config as Record<string, unknown>;
    const old = {
      ...current,
      state: {
        ...current.state,
        setup: {
          ...setup,
          clipValue: weightClipping,
          schedule: { ...schedule, config: { ...config, swapLabels: swapLabelsProbability } },
        } as unknown as TrainerSetup,
      },
    };
    const oldStore = memoryCheckpoints();
    await oldStore.save(old);

    const resumed = trainer(options());
    expect(await resumed.load(oldStore)).toBe('ckpt-000000004');
    expect(weightsOf(resumed.context.discriminator)).toEqual(
      weightsOf(saved.context.discriminator),
    );
    expect(resumed.state.iteration).toBe(4);
    // Resumed exactly: the next steps match the uninterrupted run's.
    await saved.fit(data, { batchSize: 16, steps: 3 });
    await resumed.fit(data, { batchSize: 16, steps: 3 });
    expect(weightsOf(resumed.context.discriminator)).toEqual(
      weightsOf(saved.context.discriminator),
    );

    // The old keys are compared as the new ones: other values are still refused, in the new names.
    const refused = async (t: Trainer) => {
      const error = await t.load(oldStore).catch((e) => e);
      disposeAll(t);
      expect(error).toBeInstanceOf(CheckpointMismatchError);
      return error.differences;
    };
    expect(await refused(trainer({ ...options(), weightClipping: 0.02 }))).toEqual([
      'weightClipping: 0.01 → 0.02',
    ]);
    expect(
      await refused(
        trainer({
          ...options(),
          schedule: boosted({
            generatorBoost: 0.1,
            discriminatorBoost: 0.1,
            swapLabels: 0.3,
            boostLength: 2,
            seed: 4,
          }),
        }),
      ),
    ).toEqual(['schedule boosted.swapLabelsProbability: 0.2 → 0.3']);
    disposeAll(resumed);
    disposeAll(saved);
    data.dispose();
  });

  it('strict: false loads the weights and the state that fits, keeps its own settings, and warns', async () => {
    const store = memoryCheckpoints();
    const saved = trainer(wganGp({ nCritic: 2 }));
    const data = blobs(32);
    await saved.fit(data, { batchSize: 16, steps: 3 });
    await saved.save(store);
    const warnings: TrainingWarning[] = [];
    const preset = dcgan(); // classic schedule, Adam (0.5, 0.999) at 2e-4: other settings
    const t = trainer(preset, { callbacks: { onWarning: (w) => warnings.push(w) } });
    await expect(t.load(store)).rejects.toThrow(CheckpointMismatchError);
    await t.load(store, { strict: false });
    expect(weightsOf(t.context.generator)).toEqual(weightsOf(saved.context.generator));
    expect(t.context.optimizers.generator.getConfig()).toMatchObject({ beta2: 0.999 });
    expect(t.state.iteration).toBe(3);
    expect(warnings.map((w) => w.kind)).toEqual(['partial-load']);
    expect(warnings[0].message).toMatch(
      /restored without the generator optimizer's state \(Adam .*\); the discriminator optimizer's state .*; the schedule's state \(critic\(2\), this trainer has classic\)/,
    );
    await t.fit(data, { batchSize: 16, steps: 2 });
    disposeAll(t);
    disposeAll(saved);
    data.dispose();
  });
});
