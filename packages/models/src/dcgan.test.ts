import { expectSamePredictions, forwardBackward, saveAndLoad, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Activation, DiscriminatorNorm, GeneratorNorm } from './blocks';
import { dcganDiscriminator, dcganGenerator } from './dcgan';
import { stagePlan } from './stages';

const RESOLUTIONS = [16, 28, 32, 48, 64, 96, 128, 256];

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
  it('build every resolution with the right output shapes', () => {
    for (const resolution of RESOLUTIONS) {
      const g = dcganGenerator({
        resolution,
        channels: 1,
        latentDim: 4,
        baseFilters: 2,
        maxFilters: 8,
      });
      const d = dcganDiscriminator({
        resolution,
        channels: 1,
        baseFilters: 2,
        maxFilters: 8,
        norm: 'spectral',
        minibatchDiscrimination: { numKernels: 2, kernelDim: 2 },
      });
      expect(g.outputs[0].shape, `G ${resolution}`).toEqual([null, resolution, resolution, 1]);
      expect(d.inputs[0].shape, `D ${resolution}`).toEqual([null, resolution, resolution, 1]);
      expect(d.outputs[0].shape).toEqual([null, 1]);
      g.dispose();
      d.dispose();
    }
  });

  const norms: DiscriminatorNorm[] = ['batch', 'instance', 'layer', 'spectral', 'none'];
  for (const norm of norms) {
    it(`train a 16×16 critic with norm '${norm}' (forward, backward, no leaks)`, () => {
      const g = dcganGenerator({ resolution: 16, latentDim: 8, baseFilters: 4, seed: 1 });
      const d = dcganDiscriminator({
        resolution: 16,
        baseFilters: 4,
        norm,
        output: 'score',
        seed: 2,
      });
      const { loss, norms: gradNorms } = forwardBackward(g, d);
      expect(Number.isFinite(loss)).toBe(true);
      expect(gradNorms.every(Number.isFinite)).toBe(true);
      expect(gradNorms.filter((n) => n > 0).length).toBe(gradNorms.length);
      g.dispose();
      d.dispose();
    });
  }

  const generatorVariants: [GeneratorNorm, Activation, boolean][] = [
    ['pixel', 'leakyRelu', false],
    ['none', 'selu', true],
  ];
  for (const [norm, activation, extraConv] of generatorVariants) {
    it(`train a 28×28 generator with norm '${norm}', ${activation}${extraConv ? ', extra conv' : ''} and a minibatch-discriminating D`, () => {
      const g = dcganGenerator({
        resolution: 28,
        channels: 1,
        latentDim: 8,
        baseFilters: 4,
        norm,
        activation,
        extraConv,
        kernelSize: 5,
      });
      const d = dcganDiscriminator({
        resolution: 28,
        channels: 1,
        baseFilters: 4,
        minibatchDiscrimination: { numKernels: 3, kernelDim: 2 },
        extraConv,
      });
      expect(g.outputs[0].shape).toEqual([null, 28, 28, 1]);
      const { norms: gradNorms } = forwardBackward(g, d, 3);
      expect(gradNorms.every((n) => Number.isFinite(n) && n > 0)).toBe(true);
      g.dispose();
      d.dispose();
    });
  }

  it('keep the generator in [−1, 1]', () => {
    const g = dcganGenerator({
      resolution: 16,
      latentDim: 4,
      baseFilters: 4,
      init: 'glorot',
      seed: 3,
    });
    const z = tf.randomNormal([4, 4], 0, 3, 'float32', 4);
    const images = g.predict(z) as tf.Tensor;
    expect(Math.max(...Array.from(images.dataSync(), Math.abs))).toBeLessThanOrEqual(1);
    tf.dispose([z, images]);
    g.dispose();
  });

  it('save → load with identical outputs (spectral norm, minibatch discrimination, instance and pixel norm)', async () => {
    const models = [
      dcganGenerator({ resolution: 16, latentDim: 4, baseFilters: 4, norm: 'pixel', seed: 5 }),
      dcganDiscriminator({
        resolution: 16,
        baseFilters: 4,
        norm: 'spectral',
        minibatchDiscrimination: { numKernels: 3, kernelDim: 2 },
        seed: 6,
      }),
      dcganDiscriminator({ resolution: 16, baseFilters: 4, norm: 'instance', seed: 7 }),
      dcganDiscriminator({ resolution: 16, baseFilters: 4, norm: 'layer', seed: 8 }),
    ];
    const inputs = [
      tf.randomNormal([3, 4], 0, 1, 'float32', 9),
      ...[0, 1, 2].map((i) => tf.randomUniform([3, 16, 16, 3], -1, 1, 'float32', 10 + i)),
    ];
    for (const [i, model] of models.entries()) {
      const restored = await saveAndLoad(model);
      expectSamePredictions(model, restored, inputs[i]);
      restored.dispose();
      model.dispose();
    }
    tf.dispose(inputs);
  });

  it('rejects bad options with the argument named', () => {
    expect(() => dcganGenerator({ resolution: 64, latentDim: 0 })).toThrow(
      /latentDim must be a positive integer/,
    );
    expect(() => dcganGenerator({ resolution: 64, norm: 'instance' as never })).toThrow(
      /norm must be 'batch' \| 'pixel' \| 'none', got 'instance'/,
    );
    expect(() => dcganDiscriminator({ resolution: 64, norm: 'group' as never })).toThrow(
      /norm must be 'batch' \| 'instance' \| 'layer' \| 'spectral' \| 'none'/,
    );
    expect(() => dcganDiscriminator({ resolution: 64, output: 'sigmoid' as never })).toThrow(
      /output must be/,
    );
    expect(() => dcganDiscriminator({ resolution: 64, activation: 'gelu' as never })).toThrow(
      /activation must be/,
    );
    expect(() => dcganGenerator({ resolution: 100 })).toThrow(/not s·2\^k/);
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
