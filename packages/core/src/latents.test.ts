import { expectClose, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { sampleLatents } from './latents';
import { SeedStream } from './seed';

describe(`sampleLatents [${testBackend()}]`, () => {
  it('truncation keeps every component within ±t; seeded streams repeat', () => {
    const z = sampleLatents(64, 8, new SeedStream(4), 0.5);
    expect(z.shape).toEqual([64, 8]);
    expect(Math.max(...Array.from(tf.abs(z).dataSync()))).toBeLessThanOrEqual(0.5);
    const again = sampleLatents(64, 8, new SeedStream(4), 0.5);
    expectClose(again, z, { atol: 0, rtol: 0 });
    tf.dispose([z, again]);
  });

  it("without truncation: standard normal draws from the stream's next seed", () => {
    const z = sampleLatents(512, 16, new SeedStream(7));
    const direct = tf.randomNormal([512, 16], 0, 1, 'float32', new SeedStream(7).nextSeed());
    expectClose(z, direct, { atol: 0, rtol: 0 });
    const { mean, variance } = tf.moments(z);
    expect(Math.abs(mean.dataSync()[0])).toBeLessThan(0.05);
    expect(Math.abs(variance.dataSync()[0] - 1)).toBeLessThan(0.05);
    tf.dispose([z, direct, mean, variance]);
  });
});
