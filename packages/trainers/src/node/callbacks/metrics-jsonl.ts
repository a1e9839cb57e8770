import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { argError, optionsArg } from '@gan/core';
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
    onTrainBegin(_, plan) {
      mkdirSync(dirname(path), { recursive: true });
      if (plan.startIteration === 0 || !existsSync(path)) {
        writeFileSync(path, '');
        return;
      }
      const kept = readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => {
          if (!line.trim()) return false;
          try {
            return (JSON.parse(line) as { iteration?: number }).iteration! <= plan.startIteration;
          } catch {
            return false; // a line cut short by the stop
          }
        });
      writeFileSync(path, kept.map((l) => `${l}\n`).join(''));
    },
    onStep(_, metrics) {
      appendFileSync(path, `${JSON.stringify(metrics)}\n`);
    },
  };
}
