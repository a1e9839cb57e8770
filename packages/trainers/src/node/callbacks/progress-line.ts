import { functionArg, optionsArg } from '@gan/core';
import type { TrainerCallback } from '../../callbacks/callback';
import { type Every, everyArg } from '../../callbacks/every';
import type { FitPlan, StepMetrics } from '../../trainer/types';

export interface ProgressLineOptions {
  /** Default: the iterations that read the losses (`logEvery`). */
  every?: number | Every;
  /** Where lines go. Default `process.stdout`. */
  stream?: { write(text: string): unknown; isTTY?: boolean };
  /** The text after the progress: default losses, W estimate, images/s. */
  format?(metrics: StepMetrics): string;
}

const clock = (s: number) =>
  Number.isFinite(s)
    ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`
    : '?';
const fixed = (v: number | undefined) => (v == null ? '–' : v.toFixed(3));

/** Losses, the critic's Wasserstein estimate where there is one, and throughput. */
export const defaultProgressFormat = (m: StepMetrics): string =>
  `D ${fixed(m.discriminatorLoss)}  G ${fixed(m.generatorLoss)}` +
  `${m.wasserstein == null ? '' : `  W≈${fixed(m.wasserstein)}`}  ${m.imagesPerSecond.toFixed(0)} img/s`;

/**
 * Progress of `fit`: on a terminal one line that updates in place, with a bar; in logs and CI
 * (no TTY) a plain line each time. Epoch, iteration, losses, images/s and the time left at the
 * speed of this run.
 */
export function progressLine(options: ProgressLineOptions = {}): TrainerCallback {
  const fn = 'progressLine';
  optionsArg(fn, options);
  const every = options.every == null ? undefined : everyArg(fn, 'every', options.every);
  if (options.format != null) functionArg(fn, 'format', options.format);
  const format = options.format ?? defaultProgressFormat;
  const stream = () => options.stream ?? process.stdout;
  let plan: FitPlan | undefined;
  let started = 0;
  let open = false;
  return {
    name: fn,
    every,
    onTrainBegin(_, p) {
      plan = p;
      started = performance.now();
    },
    onStep(_, m) {
      const out = stream();
      const done = m.iteration - (plan?.startIteration ?? 0);
      const stop = plan?.stopIteration;
      const total = stop == null ? undefined : stop - (plan?.startIteration ?? 0);
      const seconds = (performance.now() - started) / 1000;
      const eta =
        total == null ? Number.NaN : (seconds / Math.max(done, 1)) * Math.max(total - done, 0);
      const epochs = plan?.epochs == null ? '' : `/${plan.epochs}`;
      // At an epoch's end the counter has already moved on: the epoch just finished is m.epoch.
      const epoch = every && 'epochs' in every ? m.epoch : m.epoch + 1;
      const where = `epoch ${epoch}${epochs} it ${m.iteration}${stop == null ? '' : `/${stop}`}`;
      const text = `${where}  ${format(m)}${total == null ? '' : `  ETA ${clock(eta)}`}`;
      if (out.isTTY) {
        const fraction = total ? Math.min(1, done / total) : 0;
        const bar = `[${'#'.repeat(Math.round(fraction * 20)).padEnd(20, '.')}]`;
        out.write(`\r${bar} ${text}\u001b[K`);
        open = true;
      } else out.write(`${text}\n`);
    },
    onTrainEnd() {
      if (open) stream().write('\n');
      open = false;
    },
  };
}
