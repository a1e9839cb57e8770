import {
  expectArgError,
  expectArgErrorAsync,
  expectNoLeaksAsync,
  mlpGan,
  testBackend,
} from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { memoryCheckpoints } from '../checkpoint/memory-store';
import type { TrainingWarning } from '../monitor';
import { wganGp } from '../presets/presets';
import { createTrainer } from '../trainer/create-trainer';
import { disposeAll } from '../trainer/dispose-all';
import type { StepMetrics, Trainer, TrainerOptions } from '../trainer/types';
import type { TrainerCallback } from './callback';
import { saveCheckpoints } from './save-checkpoints';

/** 64 two-dimensional points: 4 batches of 16 an epoch. */
const points = () => tf.randomNormal([64, 2], 0, 1, 'float32', 5);

function build(extra: Partial<TrainerOptions> = {}): Trainer {
  const { generator, discriminator } = mlpGan({ seed: 2 });
  return createTrainer({
    ...wganGp({ nCritic: 2 }),
    generator,
    discriminator,
    seed: 3,
    logEvery: 3,
    warnings: null,
    ...extra,
  });
}

/** A callback that records what it is called with, in one shared log. */
function recorder(log: string[], label: string, every?: TrainerCallback['every']): TrainerCallback {
  return {
    name: label,
    every,
    onTrainBegin: (_, plan) => {
      log.push(`${label} begin ${plan.startIteration}→${plan.stopIteration}`);
    },
    onStep: async (trainer, m) => {
      // Awaited: the trainer does not move until this resolves.
      const at = trainer.state.iteration;
      await new Promise((r) => setTimeout(r, 1));
      expect(trainer.state.iteration).toBe(at);
      log.push(`${label} ${m.iteration}/${m.epoch}`);
    },
    onTrainEnd: (_, r) => {
      log.push(`${label} end ${r.stopped} ${r.iterations}`);
    },
  };
}

describe(`TrainerCallback [${testBackend()}]`, () => {
  it('runs at every { iterations } and { epochs }, in order, awaited, with this fit’s plan', async () => {
    const log: string[] = [];
    const t = build({
      callbacks: [recorder(log, 'logs'), recorder(log, 'it5', { iterations: 5 })],
    });
    const data = points();
    await t.fit(data, {
      batchSize: 16,
      epochs: 3,
      callbacks: [recorder(log, 'ep2', { epochs: 2 })],
    });
    expect(log).toEqual([
      'logs begin 0→12',
      'it5 begin 0→12',
      'ep2 begin 0→12',
      'logs 3/0',
      'it5 5/1',
      'logs 6/1',
      'ep2 8/2',
      'logs 9/2',
      'it5 10/2',
      'logs 12/2',
      'logs end done 12',
      'it5 end done 12',
      'ep2 end done 12',
    ]);
    // This call's callbacks do not stay for the next one.
    log.length = 0;
    await t.fit(data, { batchSize: 16, steps: 3 });
    expect(log).toEqual([
      'logs begin 12→15',
      'it5 begin 12→15',
      'logs 15/3',
      'it5 15/3',
      'logs end done 3',
      'it5 end done 3',
    ]);
    data.dispose();
    disposeAll(t);
  });

  it('steps ending on an epoch’s last batch still end the epoch: its callbacks run, the counter moves', async () => {
    const calls: number[] = [];
    const atEpochs: TrainerCallback = {
      every: { epochs: 1 },
      onStep: (_, m) => void calls.push(m.epoch),
    };
    const t = build({ callbacks: [atEpochs] });
    const data = points();
    const result = await t.fit(data, { batchSize: 16, steps: 4 }); // exactly one epoch
    expect(calls).toEqual([1]);
    expect(result.epochs).toBe(1);
    expect(t.state).toMatchObject({ iteration: 4, epoch: 1, batchInEpoch: 0 });
    await t.fit(data, { batchSize: 16, steps: 2 }); // mid-epoch: no epoch callback
    expect(calls).toEqual([1]);
    expect(t.state).toMatchObject({ iteration: 6, epoch: 1, batchInEpoch: 2 });
    disposeAll(t);
    data.dispose();
  });

  it('metrics handed to callbacks are read at that iteration and finite; step() runs iteration callbacks', async () => {
    const seen: StepMetrics[] = [];
    const t = build({
      callbacks: [{ every: { iterations: 2 }, onStep: (_, m) => void seen.push(m) }],
    });
    const batch = tf.randomNormal([16, 2], 0, 1, 'float32', 1);
    for (let i = 0; i < 4; i++) await t.step(batch);
    expect(seen.map((m) => m.iteration)).toEqual([2, 4]);
    for (const m of seen) {
      expect(Number.isFinite(m.discriminatorLoss)).toBe(true);
      expect(Number.isFinite(m.wasserstein)).toBe(true);
    }
    batch.dispose();
    disposeAll(t);
  });

  it('a diverged state never reaches a callback: the NaN guard runs first', async () => {
    const seen: number[] = [];
    const t = build({
      callbacks: [{ every: { iterations: 1 }, onStep: (_, m) => void seen.push(m.iteration) }],
    });
    const batch = tf.fill([16, 2], Number.NaN);
    await expect(t.step(batch)).rejects.toThrow(/stopped being finite at iteration 1/);
    expect(seen).toEqual([]);
    batch.dispose();
    disposeAll(t);
  });

  it('saveCheckpoints: at { epochs }, on abort (named in the result), and the NaN guard rolls back to its store', async () => {
    const store = memoryCheckpoints();
    const saved: number[] = [];
    const rollbacks: TrainingWarning[] = [];
    const t = build({
      onWarning: (w) => void rollbacks.push(w),
      callbacks: [
        saveCheckpoints({ store, every: { epochs: 1 }, onSave: (_, it) => saved.push(it) }),
      ],
      nanGuard: { rollback: true },
    });
    const data = points();
    await t.fit(data, { batchSize: 16, epochs: 2 });
    expect(saved).toEqual([4, 8]);
    expect(await store.list()).toHaveLength(2);
    const controller = new AbortController();
    const result = await t.fit(data, {
      batchSize: 16,
      epochs: 5,
      signal: controller.signal,
      callbacks: [
        {
          every: { iterations: 1 },
          onStep: (tr) => void (tr.state.iteration === 10 && controller.abort()),
        },
      ],
    });
    expect(result).toMatchObject({ stopped: 'aborted', iterations: 2 });
    expect(result.checkpoint).toBe((await store.list()).at(-1));
    expect(saved).toEqual([4, 8, 10]);
    // Iteration 12 logs non-finite losses: back to the checkpoint of iteration 10.
    const nan = tf.fill([16, 2], Number.NaN);
    await t.step(nan);
    expect(await t.step(nan)).toBeUndefined();
    expect(t.state.iteration).toBe(10);
    expect(rollbacks.map((w) => w.kind)).toEqual(['rolled-back']);
    nan.dispose();
    data.dispose();
    disposeAll(t);
  });

  it('the deprecated callbacks object and fit’s onStep/onEpochEnd still work', async () => {
    const log: string[] = [];
    const t = build({
      callbacks: {
        onStep: (m) => void log.push(`step ${m.iteration}`),
        onEpochEnd: (e) => void log.push(`epoch ${e}`),
      },
    });
    const data = points();
    await t.fit(data, {
      batchSize: 16,
      epochs: 1,
      onStep: (m) => void log.push(`fit ${m.iteration}`),
      onEpochEnd: (e) => void log.push(`fit epoch ${e}`),
    });
    expect(log).toEqual(['step 3', 'fit 3', 'epoch 0', 'fit epoch 0']);
    data.dispose();
    disposeAll(t);
  });

  it('warnings go to onWarning (or the deprecated callbacks.onWarning); onWarning: null silences them', async () => {
    // A diversity threshold no sample set meets: a mode-collapse warning at every sample.
    const collapse = { warnings: { diversityBelow: 1e9 }, samples: { every: 1, count: 4 } };
    const batch = tf.randomNormal([16, 2], 0, 1, 'float32', 1);
    const run = async (extra: Partial<TrainerOptions>) => {
      const t = build({ ...collapse, ...extra });
      await t.step(batch);
      await t.step(batch);
      disposeAll(t);
    };
    const direct: TrainingWarning[] = [];
    await run({ onWarning: (w) => void direct.push(w) });
    expect(direct.map((w) => [w.kind, w.iteration])).toEqual([
      ['mode-collapse', 1],
      ['mode-collapse', 2],
    ]);
    const legacy: TrainingWarning[] = [];
    await run({ callbacks: { onWarning: (w) => void legacy.push(w) } });
    expect(legacy).toHaveLength(2);
    const silenced: TrainingWarning[] = [];
    await run({ callbacks: { onWarning: (w) => void silenced.push(w) }, onWarning: null });
    expect(silenced).toEqual([]);
    batch.dispose();
  });

  it('warnings: null turns the collapse and divergence checks off; the deprecated false still does', async () => {
    const batch = tf.randomNormal([16, 2], 0, 1, 'float32', 1);
    const run = async (warnings: Partial<TrainerOptions>['warnings'] | false) => {
      const seen: TrainingWarning[] = [];
      const options = {
        samples: { every: 1, count: 4 },
        onWarning: (w: TrainingWarning) => void seen.push(w),
      };
      const t =
        warnings === false
          ? createTrainer({
              ...wganGp({ nCritic: 2 }),
              ...mlpGan({ seed: 2 }),
              ...options,
              warnings,
            })
          : build({ ...options, warnings });
      await t.step(batch);
      await t.step(batch);
      disposeAll(t);
      return seen.map((w) => w.kind);
    };
    // A diversity threshold no sample set meets: a mode-collapse warning at every sample.
    expect(await run({ diversityBelow: 1e9 })).toEqual(['mode-collapse', 'mode-collapse']);
    expect(await run(null)).toEqual([]);
    expect(await run(false)).toEqual([]);
    batch.dispose();
  });

  it('dispose() disposes the callbacks; fit with callbacks leaks nothing', async () => {
    let disposed = 0;
    const t = build({
      callbacks: [{ every: { epochs: 1 }, onStep: () => {}, dispose: () => void disposed++ }],
    });
    const data = points();
    await t.fit(data, { batchSize: 16, epochs: 1 });
    await expectNoLeaksAsync(async () => {
      await t.fit(data, {
        batchSize: 16,
        epochs: 3,
        callbacks: [{ every: { iterations: 1 }, onStep: () => {} }],
      });
    }, 'fit with callbacks');
    data.dispose();
    disposeAll(t);
    expect(disposed).toBe(1);
  });

  it('misuse names the function and the argument', async () => {
    const { generator, discriminator } = mlpGan({ seed: 2 });
    const base = { ...wganGp(), generator, discriminator };
    expectArgError(
      () => createTrainer({ ...base, callbacks: [null as never] }),
      'createTrainer',
      'callbacks[0]',
    );
    expectArgError(
      () => createTrainer({ ...base, callbacks: [{ onStep: 1 as never }] }),
      'createTrainer',
      'callbacks[0].onStep',
    );
    expectArgError(
      () => createTrainer({ ...base, callbacks: [{ every: { epochs: 0 } }] }),
      'createTrainer',
      'callbacks[0].every.epochs',
    );
    expectArgError(
      () => createTrainer({ ...base, callbacks: [{ every: { steps: 2 } as never }] }),
      'createTrainer',
      'callbacks[0].every',
    );
    expectArgError(
      () =>
        createTrainer({
          ...base,
          checkpoints: { store: memoryCheckpoints(), every: { epoch: 1 } as never },
        }),
      'createTrainer',
      'checkpoints.every',
    );
    expectArgError(
      () => saveCheckpoints({ store: {} as never, every: 1 }),
      'saveCheckpoints',
      'store',
    );
    const t = createTrainer(base);
    const data = points();
    await expectArgErrorAsync(
      () => t.fit(data, { batchSize: 16, steps: 1, callbacks: [{ every: 0 as never }] }),
      'trainer.fit',
      'callbacks[0].every',
    );
    data.dispose();
    disposeAll(t);
  });
});
