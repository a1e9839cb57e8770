import type { Optimizer } from '@tensorflow/tfjs-core';

/**
 * What a checkpoint was trained with, besides tensors: compared on load so a checkpoint that does
 * not fit the trainer fails loudly instead of resuming into a silently different run.
 */
export interface TrainerSetup {
  optimizers: Record<'generator' | 'discriminator', { className: string; config: object }>;
  /** Product of the NaN guard's learning-rate factors so far (1 = as configured). */
  learningRateScale: Record<'generator' | 'discriminator', number>;
  schedule: { name: string; config?: unknown };
  /** The augmentation's name and config (`null`: none). */
  augment: { name: string; config?: unknown } | null;
  ema: { decay: number; warmup: boolean } | null;
  /** The trainer's `weightClipping` (`null`: none). */
  weightClipping: number | null;
  /** The trainer's `penaltyEvery` (absent in checkpoints written before it: 1). */
  penaltyEvery?: number;
  /**
   * @deprecated The key checkpoints written before `weightClipping` used; read (as
   * `weightClipping`) when loading them, never written.
   */
  clipValue?: number | null;
}

/** Raised by `load` when a checkpoint does not fit the trainer; `{ strict: false }` loads it anyway. */
export class CheckpointMismatchError extends Error {
  constructor(
    message: string,
    /** One line per difference: "what: in the checkpoint → in this trainer". */
    readonly differences: string[],
  ) {
    super(message);
    this.name = 'CheckpointMismatchError';
  }
}

export function optimizerSetup(optimizer: Optimizer) {
  return { className: optimizer.getClassName(), config: optimizer.getConfig() };
}

const show = (value: unknown) => (value === undefined ? 'none' : JSON.stringify(value));

/** Keys whose values differ, as "key: a → b", recursing into plain objects. */
function diff(where: string, a: unknown, b: unknown, out: string[]): void {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      diff(`${where}.${key}`, a[key], b[key], out);
  } else if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${where}: ${show(a)} → ${show(b)}`);
}

/** A named part (schedule, augmentation): another kind, or the same kind configured otherwise. */
function named(
  where: string,
  a: { name: string; config?: unknown } | null,
  b: { name: string; config?: unknown } | null,
  out: string[],
): void {
  if (a?.name !== b?.name) out.push(`${where}: ${a?.name ?? 'none'} → ${b?.name ?? 'none'}`);
  else diff(`${where} ${a?.name}`, a?.config, b?.config, out);
}

/**
 * Options renamed since checkpoints were first written: schedule name → { old config key → new }.
 * A checkpoint's setup is read through these, so it still fits a trainer that uses the new names.
 */
const RENAMED_SCHEDULE_KEYS: Record<string, Record<string, string>> = {
  boosted: { swapLabels: 'swapLabelsProbability' },
};

const renameKeys = (config: Record<string, unknown>, renamed: Record<string, string>) =>
  Object.fromEntries(Object.entries(config).map(([k, v]) => [renamed[k] ?? k, v]));

/**
 * A checkpoint's setup in the current names: `clipValue` → `weightClipping`, and the renamed
 * keys of a schedule's config (the boosted schedule's `swapLabels` → `swapLabelsProbability`).
 */
export function upgradeSetup(saved: TrainerSetup): TrainerSetup {
  const { clipValue, ...rest } = saved;
  const setup: TrainerSetup = {
    ...rest,
    weightClipping: rest.weightClipping !== undefined ? rest.weightClipping : (clipValue ?? null),
    penaltyEvery: rest.penaltyEvery ?? 1,
  };
  const renamed = RENAMED_SCHEDULE_KEYS[setup.schedule?.name];
  const config = setup.schedule?.config;
  if (renamed && typeof config === 'object' && config !== null && !Array.isArray(config))
    setup.schedule = {
      ...setup.schedule,
      config: renameKeys(config as Record<string, unknown>, renamed),
    };
  return setup;
}

/**
 * How `saved` (a checkpoint's) differs from `current` (this trainer's). Learning rates are
 * compared before the NaN guard's scaling, so a rolled-back run still fits its trainer. The
 * checkpoint's setup is read in the current names ({@link upgradeSetup}).
 */
export function setupDifferences(checkpoint: TrainerSetup, current: TrainerSetup): string[] {
  const saved = upgradeSetup(checkpoint);
  const out: string[] = [];
  for (const net of ['generator', 'discriminator'] as const) {
    const [a, b] = [saved.optimizers[net], current.optimizers[net]];
    if (a.className !== b.className) {
      out.push(`${net} optimizer: ${a.className} → ${b.className}`);
      continue;
    }
    const base = (o: typeof a, scale: number) => ({
      ...o.config,
      learningRate: (o.config as { learningRate: number }).learningRate / scale,
    });
    const [ra, rb] = [
      base(a, saved.learningRateScale[net]),
      base(b, current.learningRateScale[net]),
    ];
    // Scaling and unscaling can leave the last bit: learning rates agree to 1e-12.
    const close = Math.abs(ra.learningRate - rb.learningRate) <= 1e-12 * Math.abs(rb.learningRate);
    diff(
      `${net} optimizer (${a.className})`,
      { ...ra, learningRate: close ? 0 : ra.learningRate },
      {
        ...rb,
        learningRate: close ? 0 : rb.learningRate,
      },
      out,
    );
  }
  named('schedule', saved.schedule, current.schedule, out);
  named('augmentation', saved.augment, current.augment, out);
  diff('EMA', saved.ema, current.ema, out);
  diff('weightClipping', saved.weightClipping, current.weightClipping, out);
  diff('penaltyEvery', saved.penaltyEvery ?? 1, current.penaltyEvery ?? 1, out);
  return out;
}
