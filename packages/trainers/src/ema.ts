import { argError, assertArg, booleanArg, numberArg, optionsArg } from '@gan/core';
import { add, mul, tidy } from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

export interface EmaOptions {
  /** Weight of the past: shadow ← d·shadow + (1 − d)·weights, d = decay. Default 0.999. */
  decay?: number;
  /**
   * Warm up: d = min(decay, (1 + n) / (10 + n)) after n updates (as TensorFlow's
   * ExponentialMovingAverage with num_updates), so the average leaves the initial weights
   * within tens of updates instead of thousands. Default true.
   */
  warmup?: boolean;
}

type ModelClass = { fromConfig(cls: unknown, config: unknown): tfl.LayersModel };

/**
 * An exponential moving average of the generator's weights (Karras et al. 2018; Yazıcı et al.
 * 2019), kept in a second model of the same architecture: sample from `ema.model` for smoother,
 * usually better images. Non-trainable weights (batch-norm statistics) are copied, not averaged.
 */
export class Ema {
  readonly decay: number;
  readonly warmup: boolean;
  readonly model: tfl.LayersModel;
  /** Updates so far (saved in checkpoints: the warm-up depends on it). */
  updates = 0;

  constructor(generator: tfl.LayersModel, options: EmaOptions = {}) {
    if (typeof (generator as { getConfig?: unknown })?.getConfig !== 'function')
      argError('Ema', 'generator', 'a tfjs-layers model', generator);
    const opts = optionsArg('Ema', options);
    this.decay = numberArg('Ema', 'decay', opts.decay ?? 0.999, {
      min: 0,
      max: 1,
      maxExclusive: true,
    });
    this.warmup = booleanArg('Ema', 'warmup', opts.warmup ?? true);
    const cls = generator.constructor as unknown as ModelClass;
    this.model = cls.fromConfig(cls, generator.getConfig());
    this.model.setWeights(generator.getWeights());
  }

  /** Moves the average towards the generator's current weights. */
  update(generator: tfl.LayersModel): void {
    const shadows = this.model.weights;
    const weights = generator.weights;
    assertArg(
      shadows.length === weights.length &&
        weights.every((w, i) => w.shape.join() === shadows[i].shape.join()),
      'Ema.update',
      () =>
        `generator's weights (${weights.length}: ${weights.map((w) => `[${w.shape}]`).join(' ')}) are not the averaged model's (${shadows.length})`,
      'generator',
    );
    const n = this.updates;
    const d = this.warmup ? Math.min(this.decay, (1 + n) / (10 + n)) : this.decay;
    tidy(() => {
      weights.forEach((w, i) => {
        const value = w.read();
        shadows[i].write(w.trainable ? add(mul(shadows[i].read(), d), mul(value, 1 - d)) : value);
      });
    });
    this.updates++;
  }

  dispose(): void {
    this.model.dispose();
  }
}
