export { type BoostedOptions, type BoostedState, boosted } from './boosted';
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
export { classic } from './classic';
export {
  type Augmentation,
  type AugmentFn,
  type ContextOptions,
  createContext,
  type DiscriminatorLossFn,
  type GanContext,
  type GanLosses,
  type GanOptimizers,
  type GeneratorLossFn,
  type LossContext,
  type PenaltyFn,
  trainableVariables,
} from './context';
export { type CriticScheduleOptions, critic } from './critic';
export type { DataSource } from './data-source';
export { type DiscriminatorStepOptions, discriminatorStep } from './discriminator-step';
export { Ema, type EmaOptions } from './ema';
export { type GeneratorStepOptions, generatorStep } from './generator-step';
export { TrainingDivergedError, type TrainingWarning, type WarningOptions } from './monitor';
export { type MonitoredOptions, type MonitoredState, monitored } from './monitored';
export {
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
} from './presets';
export type { IterationState, Schedule, ScheduleDecision, ScheduleFeedback } from './schedule';
export { simultaneousStep } from './simultaneous-step';
export { StepResult } from './step-result';
export {
  createTrainer,
  type FitOptions,
  type FitResult,
  type GenerateOptions,
  type LoadOptions,
  type StepMetrics,
  type Trainer,
  type TrainerCallbacks,
  type TrainerOptions,
} from './trainer';
