import { gradientPenalty } from '@gan/losses';
import { expectArgError, expectNoLeaksAsync, mlpGan, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { memoryCheckpoints } from '../checkpoint/memory-store';
import { CheckpointMismatchError } from '../checkpoint/setup';
import { createContext } from '../context';
import { wganGp } from '../presets/presets';
import { discriminatorStep } from '../steps/discriminator-step';
import { createTrainer } from './create-trainer';
import { disposeAll } from './dispose-all';
import type { Trainer, TrainerOptions } from './types';

const data = () => tf.randomNormal([48, 2], 0, 1, 'float32', 5);
const weightsOf = (m: tfl.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

/** WGAN-GP on the MLP pair, counting the penalty's evaluations. */
function build(extra: Partial<TrainerOptions> = {}, modelSeed = 3) {
  const calls = { count: 0 };
  const preset = wganGp({ nCritic: 2 });
  const penalty = preset.losses.penalty;
  const { generator, discriminator } = mlpGan({ seed: modelSeed });
  const trainer = createTrainer({
    ...preset,
    losses: {
      ...preset.losses,
      penalty: (d, r, f, c) => {
        calls.count++;
        return penalty?.(d, r, f, c) as tf.Scalar;
      },
    },
    generator,
    discriminator,
    seed: 7,
    logEvery: 1,
    warnings: null,
    ...extra,
  });
  return { trainer, calls };
}

describe(`lazy regularisation [${testBackend()}]`, () => {
  it('discriminatorStep: penaltyScale k adds k · penalty to the loss', async () => {
    const losses = async (s: number) => {
      const { generator, discriminator } = mlpGan({ seed: 3 });
      const ctx = createContext({
        generator,
        discriminator,
        losses: {
          ...wganGp().losses,
          penalty: (d, r, f, c) => gradientPenalty(d, r, f, { seed: c.seed }),
        },
        optimizers: { generator: tf.train.sgd(0.1), discriminator: tf.train.sgd(0.1) },
        seed: 11,
      });
      const real = data();
      const result = discriminatorStep(ctx, real, { penaltyScale: s });
      const values = await result.read();
      result.dispose();
      real.dispose();
      generator.dispose();
      discriminator.dispose();
      return values;
    };
    const [one, four] = [await losses(1), await losses(4)];
    // Same state and seeds: the same penalty, counted once or four times.
    expect(four.penalty).toBeCloseTo(one.penalty as number, 6);
    expect((four.discriminatorLoss as number) - (one.discriminatorLoss as number)).toBeCloseTo(
      3 * (one.penalty as number),
      5,
    );
  });

  it('penaltyEvery k: the penalty on critic steps 0, k, 2k, …; the preset passes it on', async () => {
    const every3 = build({ penaltyEvery: 3 });
    const x = data();
    await every3.trainer.fit(x, { batchSize: 16, steps: 12 }); // 12 critic steps
    expect(every3.trainer.state.discriminatorSteps).toBe(12);
    expect(every3.calls.count).toBe(4);
    const preset = wganGp({ penaltyEvery: 4 });
    expect(preset.penaltyEvery).toBe(4);
    expect(wganGp()).not.toHaveProperty('penaltyEvery');
    preset.optimizers.generator.dispose();
    preset.optimizers.discriminator.dispose();
    const always = build();
    await always.trainer.fit(x, { batchSize: 16, steps: 12 });
    expect(always.calls.count).toBe(12);
    // The lazy run is another run, not a broken one: finite and different.
    expect(weightsOf(every3.trainer.context.discriminator)).not.toEqual(
      weightsOf(always.trainer.context.discriminator),
    );
    expect(weightsOf(every3.trainer.context.discriminator).flat().every(Number.isFinite)).toBe(
      true,
    );
    disposeAll(every3.trainer);
    disposeAll(always.trainer);
    x.dispose();
  });

  it('resumes bit-identically between penalised steps; a checkpoint refuses another k', async () => {
    const x = data();
    const whole = build({ penaltyEvery: 3 });
    await whole.trainer.fit(x, { batchSize: 16, steps: 17 });
    const store = memoryCheckpoints();
    const first = build({ penaltyEvery: 3, checkpoints: { store, every: 10 } });
    await first.trainer.fit(x, { batchSize: 16, steps: 10 }); // 10 critic steps: not a multiple of 3
    const second = build({ penaltyEvery: 3 }, 99);
    await second.trainer.load(store);
    await second.trainer.fit(x, { batchSize: 16, steps: 7 });
    expect(second.trainer.state).toEqual(whole.trainer.state);
    expect(first.calls.count + second.calls.count).toBe(whole.calls.count);
    const resumed = weightsOf(second.trainer.context.discriminator);
    if (testBackend() === 'webgl') expect(resumed.flat().every(Number.isFinite)).toBe(true);
    else expect(resumed).toEqual(weightsOf(whole.trainer.context.discriminator));

    const other: Trainer = build({ penaltyEvery: 2 }).trainer;
    const error = await other.load(store).catch((e) => e);
    expect(error).toBeInstanceOf(CheckpointMismatchError);
    expect(error.differences).toEqual(['penaltyEvery: 3 → 2']);
    for (const t of [whole.trainer, first.trainer, second.trainer, other]) disposeAll(t);
    x.dispose();
  });

  it('leaks no tensor, and refuses bad use', async () => {
    const { trainer } = build({ penaltyEvery: 4 });
    const x = data();
    await trainer.fit(x, { batchSize: 16, steps: 3 });
    await expectNoLeaksAsync(async () => {
      await trainer.fit(x, { batchSize: 16, steps: 12 });
    });
    disposeAll(trainer);
    x.dispose();
    const { generator, discriminator } = mlpGan({ seed: 1 });
    const options = { ...wganGp(), generator, discriminator };
    expectArgError(
      () => createTrainer({ ...options, penaltyEvery: 0 }),
      'createTrainer',
      'penaltyEvery',
    );
    // Refused before anything is built: no EMA copy of the generator is left behind.
    const before = tf.memory().numTensors;
    expectArgError(
      () => createTrainer({ ...options, ema: true, penaltyEvery: 0 }),
      'createTrainer',
      'penaltyEvery',
    );
    expect(tf.memory().numTensors).toBe(before);
    expectArgError(
      () => createTrainer({ ...options, penaltyEvery: 2, simultaneous: true }),
      'createTrainer',
      'penaltyEvery',
      /needs alternating steps/,
    );
    expectArgError(() => wganGp({ penaltyEvery: 1.5 }), 'wganGp', 'penaltyEvery');
    const ctx = createContext({ ...options, seed: 1 });
    const real = data();
    expectArgError(
      () => discriminatorStep(ctx, real, { penaltyScale: -1 }),
      'discriminatorStep',
      'penaltyScale',
    );
    real.dispose();
    options.optimizers.generator.dispose();
    options.optimizers.discriminator.dispose();
    generator.dispose();
    discriminator.dispose();
  });
});
