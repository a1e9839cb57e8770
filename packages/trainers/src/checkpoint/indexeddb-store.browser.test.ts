import { mlpGan, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createTrainer, type Trainer } from '../index';
import { dcgan } from '../presets/presets';
import { indexedDbCheckpoints } from './indexeddb-store';
import { CheckpointError } from './types';

const trainer = (seed: number) => {
  const { generator, discriminator } = mlpGan({ seed });
  return createTrainer({ ...dcgan(), generator, discriminator, seed: 2, warnings: null });
};
const dispose = (t: Trainer) => {
  const { generator, discriminator } = t.context;
  t.dispose();
  generator.dispose();
  discriminator.dispose();
};

describe(`indexedDbCheckpoints [${testBackend()}]`, () => {
  it('saves and restores a trainer through the same API, keeping the last K', async () => {
    const store = indexedDbCheckpoints(`gan-test-${Date.now()}`, { keep: 2 });
    const x = tf.randomNormal([16, 2], 0, 1, 'float32', 3);
    const t = trainer(1);
    for (let i = 0; i < 3; i++) {
      await t.fit(x, { batchSize: 8, steps: 2 });
      await t.save(store);
    }
    expect(await store.list()).toEqual(['ckpt-000000004', 'ckpt-000000006']);
    const fresh = trainer(50);
    expect(await fresh.load(store)).toBe('ckpt-000000006');
    expect(fresh.state).toEqual(t.state);
    const weights = (m: Trainer) =>
      m.context.discriminator.getWeights().map((w) => Array.from(w.dataSync()));
    expect(weights(fresh)).toEqual(weights(t));
    // A checkpoint whose state record is missing (a tab closed mid-save) is not listed.
    await tf.io.removeModel(
      `indexeddb://${store.description.match(/'(.*)'/)?.[1]}/ckpt-000000006/state`,
    );
    expect(await store.list()).toEqual(['ckpt-000000004']);
    await expect(store.load('ckpt-000000006')).rejects.toThrow(CheckpointError);
    x.dispose();
    dispose(t);
    dispose(fresh);
  });
});
