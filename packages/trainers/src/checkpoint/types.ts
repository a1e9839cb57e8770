import type { SeedStreamState } from '@gan/core';
import type { io } from '@tensorflow/tfjs-core';

/** Everything a checkpoint holds besides tensors: plain JSON. */
export interface TrainerState {
  format: 'gan-trainer-checkpoint';
  version: 1;
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
  return `ckpt-${String(iteration).padStart(9, '0')}`;
}

export function checkState(state: unknown, where: string): TrainerState {
  const s = state as TrainerState;
  if (s?.format !== 'gan-trainer-checkpoint' || s.version !== 1)
    throw new Error(
      `${where} is not a @gan/trainers checkpoint (format ${s?.format}, version ${s?.version})`,
    );
  return s;
}
