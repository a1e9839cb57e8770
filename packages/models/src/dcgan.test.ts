import { expectNoLeaks, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { dcganDiscriminator, dcganGenerator } from './dcgan';
import { stagePlan } from './stages';

const trainable = (m: tfl.LayersModel) =>
  m.trainableWeights.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);

describe('stagePlan', () => {
  it('splits resolutions into a 3…7 start and stride-2 stages', () => {
    expect(stagePlan(64)).toEqual({ start: 4, upsamplings: 4 });
    expect(stagePlan(28)).toEqual({ start: 7, upsamplings: 2 });
    expect(stagePlan(96)).toEqual({ start: 3, upsamplings: 5 });
    expect(stagePlan(48)).toEqual({ start: 3, upsamplings: 4 });
    expect(stagePlan(256)).toEqual({ start: 4, upsamplings: 6 });
  });

  it('names the resolutions it cannot build', () => {
    expect(() => stagePlan(100)).toThrow(/resolution 100 is not s·2\^k/);
    expect(() => stagePlan(4)).toThrow(/integer ≥ 6/);
    expect(() => stagePlan(33)).toThrow(/not s·2\^k/);
  });
});

describe(`DCGAN builders [${testBackend()}]`, () => {
  // The counts PyTorch reports for its DCGAN tutorial models (nz = 100, ngf = ndf = 64, nc = 3).
  it('match PyTorch DCGAN parameter counts at 64×64×3', () => {
    const g = dcganGenerator({ resolution: 64 });
    const d = dcganDiscriminator({ resolution: 64 });
    expect(trainable(g)).toBe(3_576_704);
    expect(trainable(d)).toBe(2_765_568);
    g.dispose();
    d.dispose();
  });

  for (const resolution of [16, 28, 32, 48]) {
    it(`build ${resolution}×${resolution} and run forward and backward`, () => {
      const channels = resolution === 28 ? 1 : 3;
      const g = dcganGenerator({ resolution, channels, latentDim: 8, baseFilters: 4 });
      const d = dcganDiscriminator({
        resolution,
        channels,
        baseFilters: 4,
        output: 'score',
        norm: 'none',
      });
      expect(g.outputs[0].shape).toEqual([null, resolution, resolution, channels]);
      expect(d.outputs[0].shape).toEqual([null, 1]);
      expectNoLeaks(() => {
        const { value, grads } = tf.variableGrads(
          () =>
            tf.tidy(() => {
              const z = tf.randomNormal([2, 8], 0, 1, 'float32', resolution);
              const images = g.apply(z, { training: true }) as tf.Tensor;
              const range = tf.max(tf.abs(images)).dataSync()[0];
              expect(range).toBeLessThanOrEqual(1);
              return tf.mean(d.apply(images) as tf.Tensor) as tf.Scalar;
            }),
          g.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val),
        );
        const norms = Object.values(grads).map((t) => tf.tidy(() => tf.norm(t).dataSync()[0]));
        expect(norms.every(Number.isFinite)).toBe(true);
        expect(Math.max(...norms)).toBeGreaterThan(0);
        tf.dispose([value, ...Object.values(grads)]);
      });
      g.dispose();
      d.dispose();
    });
  }

  it('rejects bad options with the argument named', () => {
    expect(() => dcganGenerator({ resolution: 64, latentDim: 0 })).toThrow(
      /latentDim must be a positive integer/,
    );
    expect(() => dcganDiscriminator({ resolution: 64, norm: 'layer' as never })).toThrow(
      /norm must be/,
    );
    expect(() => dcganDiscriminator({ resolution: 64, output: 'sigmoid' as never })).toThrow(
      /output must be/,
    );
  });
});

describe(`DCGAN initialisation [${testBackend()}]`, () => {
  it('is reproducible from a seed and follows N(0, 0.02)', () => {
    const weights = (seed?: number) => {
      const d = dcganDiscriminator({ resolution: 16, baseFilters: 8, seed });
      const values = d.getWeights().map((w) => Array.from(w.dataSync()));
      d.dispose();
      return values;
    };
    expect(weights(3)).toEqual(weights(3));
    expect(weights(3)[0]).not.toEqual(weights(4)[0]);
    const kernel = weights(5)[0];
    const std = Math.sqrt(kernel.reduce((s, v) => s + v * v, 0) / kernel.length);
    expect(std).toBeGreaterThan(0.018);
    expect(std).toBeLessThan(0.022);
  });
});
