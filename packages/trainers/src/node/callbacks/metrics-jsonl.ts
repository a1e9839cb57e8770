import { appendFileSync } from 'node:fs';
import { argError, optionsArg } from '@gan/core';
import { resumeJsonl } from '@gan/core/node';
import type { TrainerCallback } from '../../callbacks/callback';
import { type Every, everyArg } from '../../callbacks/every';

export interface MetricsJsonlOptions {
  /** Default: the iterations that read the losses (`logEvery`). */
  every?: number | Every;
}

/**
 * Appends each metrics record as one JSON line to `path`. A fresh run starts the file anew; a
 * resumed one keeps the lines up to the iteration it resumed from and drops later ones (written
 * after the checkpoint, before the stop), so the file reads as one uninterrupted run.
 */
export function metricsJsonl(path: string, options: MetricsJsonlOptions = {}): TrainerCallback {
  const fn = 'metricsJsonl';
  if (typeof path !== 'string' || path === '') argError(fn, 'path', 'a file path', path);
  optionsArg(fn, options);
  const every = options.every == null ? undefined : everyArg(fn, 'every', options.every);
  return {
    name: fn,
    every,
    async onTrainBegin(_, plan) {
      await resumeJsonl(path, plan.startIteration);
    },
    onStep(_, metrics) {
      appendFileSync(path, `${JSON.stringify(metrics)}\n`);
    },
  };
}
