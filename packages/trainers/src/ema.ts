import { add, mul, tidy } from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

export interface EmaOptions {
  /** Weight of the past: shadow ← decay·shadow + (1 − decay)·weights. Default 0.999. */
  decay?: number;
}

type ModelClass = { fromConfig(cls: unknown, config: unknown): tfl.LayersModel };

/**
 * An exponential moving average of the generator's weights (Karras et al. 2018; Yazıcı et al.
 * 2019), kept in a second model of the same architecture: sample from `ema.model` for smoother,
 * usually better images. Non-trainable weights (batch-norm statistics) are copied, not averaged.
 */
export class Ema {
  readonly decay: number;
  readonly model: tfl.LayersModel;

  constructor(generator: tfl.LayersModel, options: EmaOptions = {}) {
    const decay = options.decay ?? 0.999;
    if (!(decay >= 0 && decay < 1)) throw new Error(`Ema: decay must be in [0, 1), got ${decay}`);
    this.decay = decay;
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
    tidy(() => {
      weights.forEach((w, i) => {
        const value = w.read();
        shadows[i].write(
          w.trainable ? add(mul(shadows[i].read(), this.decay), mul(value, 1 - this.decay)) : value,
        );
      });
    });
  }

  dispose(): void {
    this.model.dispose();
  }
}
