import { expectArgError } from '@gan/test-utils';
import type { Optimizer } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { hinge, ttur, wganGp } from './presets';

const adam = (o: Optimizer) => {
  const { learningRate, beta1, beta2 } = o.getConfig();
  return { learningRate, beta1, beta2 };
};

describe('presets: Adam settings', () => {
  it('wganGp defaults to 2e-4 for both networks, β (0.5, 0.9), and takes each setting', () => {
    const defaults = wganGp().optimizers;
    expect(adam(defaults.generator)).toEqual({ learningRate: 2e-4, beta1: 0.5, beta2: 0.9 });
    expect(adam(defaults.discriminator)).toEqual({ learningRate: 2e-4, beta1: 0.5, beta2: 0.9 });
    const set = wganGp({
      generatorLearningRate: 1e-4,
      discriminatorLearningRate: 3e-4,
      beta1: 0,
      beta2: 0.99,
    }).optimizers;
    expect(adam(set.generator)).toEqual({ learningRate: 1e-4, beta1: 0, beta2: 0.99 });
    expect(adam(set.discriminator)).toEqual({ learningRate: 3e-4, beta1: 0, beta2: 0.99 });
  });

  it('ttur and hinge keep their SAGAN defaults', () => {
    for (const preset of [ttur(), hinge()]) {
      expect(adam(preset.optimizers.generator)).toEqual({
        learningRate: 1e-4,
        beta1: 0,
        beta2: 0.9,
      });
      expect(adam(preset.optimizers.discriminator)).toEqual({
        learningRate: 4e-4,
        beta1: 0,
        beta2: 0.9,
      });
    }
  });

  it("names the preset and the argument in each setting's error", () => {
    expectArgError(
      () => wganGp({ discriminatorLearningRate: 0 }),
      'wganGp',
      'discriminatorLearningRate',
      /finite number > 0, got 0/,
    );
    expectArgError(() => wganGp({ beta2: 1 }), 'wganGp', 'beta2', /in \[0, 1\), got 1/);
  });
});
