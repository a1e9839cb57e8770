// Also exported by @gan/core, where they live: batch types, fixed latents for grids and evaluators.
export { type Batch, type LabelledBatch, sampleLatents } from '@gan/core';
export type { TrainerCallback } from './callbacks/callback';
export type { Every } from './callbacks/every';
export {
  type SaveCheckpointsCallback,
  type SaveCheckpointsOptions,
  saveCheckpoints,
} from './callbacks/save-checkpoints';
export { lossChart } from './charts/loss-chart';
export { indexedDbCheckpoints } from './checkpoint/indexeddb-store';
export { memoryCheckpoints } from './checkpoint/memory-store';
export { CheckpointMismatchError, type TrainerSetup } from './checkpoint/setup';
export {
  type Checkpoint,
  CheckpointError,
  type CheckpointStore,
  checkpointId,
  type TrainerState,
} from './checkpoint/types';
export {
  type Augmentation,
  type AugmentFn,
  type AuxiliaryLosses,
  type ContextOptions,
  createContext,
  type DiscriminatorLossFn,
  type GanContext,
  type GanLosses,
  type GanOptimizers,
  type GeneratorLossFn,
  type LossContext,
  type ModelKinds,
  modelKinds,
  type ObservedStep,
  type PenaltyFn,
  trainableVariables,
} from './context';
export type { DataSource } from './data-source';
export { Ema, type EmaOptions } from './ema';
export { TrainingDivergedError, type TrainingWarning, type WarningOptions } from './monitor';
export {
  type AcganLossesOptions,
  type AdamOptions,
  acganLosses,
  dcgan,
  hinge,
  type PokemonDcganOptions,
  pokemonDcgan,
  type TrainerPreset,
  type TturOptions,
  ttur,
  type WganGpOptions,
  wgan,
  wganGp,
} from './presets/presets';
export { type BoostedOptions, type BoostedState, boosted } from './schedules/boosted';
export { classic } from './schedules/classic';
export { type CriticScheduleOptions, critic } from './schedules/critic';
export { type MonitoredOptions, type MonitoredState, monitored } from './schedules/monitored';
export type {
  IterationState,
  Schedule,
  ScheduleDecision,
  ScheduleFeedback,
} from './schedules/schedule';
export { type DiscriminatorStepOptions, discriminatorStep } from './steps/discriminator-step';
export { type GeneratorStepOptions, generatorStep } from './steps/generator-step';
export { simultaneousStep } from './steps/simultaneous-step';
export { StepResult } from './steps/step-result';
export { createTrainer } from './trainer/create-trainer';
export {
  type LatentWalkOptions,
  latentWalk,
  slerp,
} from './trainer/generation';
export type {
  CheckpointPolicy,
  FitOptions,
  FitPlan,
  FitResult,
  GenerateOptions,
  LoadOptions,
  StepMetrics,
  Trainer,
  TrainerCallbacks,
  TrainerOptions,
} from './trainer/types';
