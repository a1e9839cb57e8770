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
    const decay = options.decay ?? 0.999;
    if (!(decay >= 0 && decay < 1)) throw new Error(`Ema: decay must be in [0, 1), got ${decay}`);
    this.decay = decay;
    this.warmup = options.warmup ?? true;
    const cls = generator.constructor as unknown as ModelClass;
    this.model = cls.fromConfig(cls, generator.getConfig());
    this.model.setWeights(generator.getWeights());
  }

  /** Moves the average towards the generator's current weights. */
  update(generator: tfl.LayersModel): void {
    const shadows = this.model.weights;
    const weights = generator.weights;
    if (shadows.length !== weights.length)
      throw new Error(
        `Ema: the generator has ${weights.length} weights, the average ${shadows.length}`,
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
