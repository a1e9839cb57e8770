import { integerArg, type SeedStreamState } from '@gan/core';
import type { io } from '@tensorflow/tfjs-core';
import type { TrainerSetup } from './setup';

/**
 * Everything a checkpoint holds besides tensors: plain JSON. Version 2 added `setup`, `feedback`,
 * `generateRng`, `monitor` and `augmentation` (and the optimizers' private state in their parts);
 * version 1 checkpoints still load.
 */
export interface TrainerState {
  format: 'gan-trainer-checkpoint';
  version: 1 | 2;
  /** Iterations done (one schedule decision each). */
  iteration: number;
  discriminatorSteps: number;
  generatorSteps: number;
  /** Data position: the epoch in progress and how many of its batches were consumed. */
  epoch: number;
  batchInEpoch: number;
  rng: SeedStreamState;
  schedule: { name: string; state: unknown };
  /** EMA updates so far (its warm-up depends on them), when the trainer keeps an EMA. */
  emaUpdates?: number;
  /** Learning rates in force (they change when a NaN rollback lowers them). */
  learningRates: { generator: number; discriminator: number };
  /** What the run was trained with, compared on load (version 2). */
  setup?: TrainerSetup;
  /** The latest losses, which a feedback schedule (monitored) reads next iteration. */
  feedback?: { discriminatorLoss?: number; generatorLoss?: number };
  /** The stream `generate()` draws latents from when given no seed. */
  generateRng?: SeedStreamState;
  /** The warnings' counters. */
  monitor?: { lowStreak: number };
  /** The augmentation's state, when it has one (adaptive augmentation's p). */
  augmentation?: unknown;
  savedAt: string;
}

/**
 * A checkpoint: the state, and tensors as tfjs model artifacts — `generator`, `discriminator`,
 * `ema` (when enabled), `generatorOptimizer`, `discriminatorOptimizer` — each with its weight
 * specs and one ArrayBuffer of weight data. Data only: loading it never evaluates code.
 */
export interface Checkpoint {
  state: TrainerState;
  parts: Record<
    string,
    io.ModelArtifacts & { weightData: ArrayBuffer; weightSpecs: io.WeightsManifestEntry[] }
  >;
}

/** Where checkpoints go: memory, a directory (`@gan/trainers/node`), IndexedDB. */
export interface CheckpointStore {
  readonly description: string;
  /** Writes a checkpoint atomically (a reader sees all of it or none) and returns its id. */
  save(checkpoint: Checkpoint): Promise<string>;
  /** The checkpoint with this id, or the latest; throws {@link CheckpointError} if damaged. */
  load(id?: string): Promise<Checkpoint>;
  /** Ids of the stored checkpoints, oldest first. */
  list(): Promise<string[]>;
}

/** A checkpoint that cannot be read; `previous` names the one before it, if any. */
export class CheckpointError extends Error {
  constructor(
    message: string,
    readonly id: string | undefined,
    readonly previous: string | undefined,
  ) {
    super(message);
    this.name = 'CheckpointError';
  }

  // The Node entry point bundles its own copy of this class: recognise errors by name.
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'CheckpointError';
  }
}

/** The id a checkpoint of this iteration gets (sorts in iteration order). */
export function checkpointId(iteration: number): string {
  integerArg('checkpointId', 'iteration', iteration, { min: 0, max: 999_999_999 });
  return `ckpt-${String(iteration).padStart(9, '0')}`;
}

export function checkState(state: unknown, where: string): TrainerState {
  const s = state as TrainerState;
  if (s?.format !== 'gan-trainer-checkpoint' || (s.version !== 1 && s.version !== 2))
    throw new Error(
      `${where} is not a @gan/trainers checkpoint (format ${s?.format}, version ${s?.version})`,
    );
  return s;
}
