import { dispose, type Scalar, type Tensor } from '@tensorflow/tfjs-core';
import type { ScheduleFeedback } from '../schedules/schedule';
import { StepResult } from '../steps/step-result';
import type { StepMetrics, Trainer } from './types';

/**
 * The latest step result of each network and the throughput window: what metrics are read from.
 * Results stay on the device until read; superseded ones are disposed.
 */
export class LatestResults {
  discriminator: StepResult | undefined;
  generator: StepResult | undefined;
  private windowStart = performance.now();
  private windowImages = 0;

  /** `extra`: more scalars to report at each read (the augmentation's p), disposed after it. */
  constructor(private readonly extra?: () => Record<string, Scalar> | undefined) {}

  /** Keeps these results, disposing the ones no longer referenced. */
  keep(d: StepResult | undefined, g: StepResult | undefined): void {
    for (const old of new Set([this.discriminator, this.generator]))
      if (old && old !== d && old !== g) old.dispose();
    [this.discriminator, this.generator] = [d, g];
  }

  /** Counts real images for `imagesPerSecond`. */
  addImages(n: number): void {
    this.windowImages += n;
  }

  /** The metrics now (one read of the losses and extra scalars) and a new throughput window. */
  async read(state: Trainer['state']): Promise<StepMetrics> {
    const extra = this.extra?.();
    let values: Record<string, number>;
    try {
      const parts = await Promise.all([
        this.discriminator?.read(),
        this.generator?.read(),
        extra && new StepResult(extra).read(),
      ]);
      values = Object.assign({}, ...parts);
    } finally {
      if (extra) dispose(Object.values(extra));
    }
    const now = performance.now();
    const metrics: StepMetrics = {
      iteration: state.iteration,
      epoch: state.epoch,
      discriminatorSteps: state.discriminatorSteps,
      generatorSteps: state.generatorSteps,
      ...values,
      imagesPerSecond: (this.windowImages * 1000) / Math.max(now - this.windowStart, 1e-3),
    };
    if (metrics.realScore != null && metrics.fakeScore != null)
      metrics.wasserstein = metrics.realScore - metrics.fakeScore;
    [this.windowStart, this.windowImages] = [now, 0];
    return metrics;
  }

  /** The losses a feedback schedule reads, synchronously (by its nature: it decides from them). */
  feedbackSync(): ScheduleFeedback {
    return {
      discriminatorLoss: this.discriminator?.tensors.discriminatorLoss?.dataSync()[0],
      generatorLoss: this.generator?.tensors.generatorLoss?.dataSync()[0],
    };
  }

  /** The same losses without blocking (for a checkpoint). */
  async feedback(): Promise<ScheduleFeedback> {
    const read = async (t: Tensor | undefined) => (t ? (await t.data())[0] : undefined);
    return {
      discriminatorLoss: await read(this.discriminator?.tensors.discriminatorLoss),
      generatorLoss: await read(this.generator?.tensors.generatorLoss),
    };
  }
}
