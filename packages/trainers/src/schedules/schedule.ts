import { nonNegativeInteger } from '@gan/core';

/** What one iteration trains. */
export interface ScheduleDecision {
  trainDiscriminator: boolean;
  trainGenerator: boolean;
  /** Train the discriminator with real and generated labels swapped (noisy labels). */
  swapLabels?: boolean;
}

/** Losses of the previous iteration, for schedules that react to them (monitored training). */
export interface ScheduleFeedback {
  discriminatorLoss?: number;
  generatorLoss?: number;
}

/**
 * Decides, iteration by iteration, which network trains. Separate from the steps (TF-GAN's
 * GANTrainSteps idea): a schedule owns no tensors, and its state is plain JSON so a checkpoint
 * resumes it exactly.
 */
export interface Schedule<State = unknown> {
  readonly name: string;
  /** JSON of the settings, recorded in checkpoints and compared on load. */
  readonly config?: unknown;
  /** True when `next` needs the previous iteration's losses (a GPU sync every iteration). */
  readonly needsFeedback?: boolean;
  next(feedback?: ScheduleFeedback): ScheduleDecision;
  getState(): State;
  setState(state: State): void;
}

export interface IterationState {
  iteration: number;
}

/**
 * A schedule whose only state is the iteration count: `decide` maps the 1-based iteration to
 * what trains in it.
 */
export function iterationSchedule(
  name: string,
  decide: (iteration: number) => ScheduleDecision,
  config?: unknown,
): Schedule<IterationState> {
  let iteration = 0;
  return {
    name,
    config,
    next: () => decide(++iteration),
    getState: () => ({ iteration }),
    setState(state) {
      iteration = nonNegativeInteger(`${name}.setState`, 'state.iteration', state?.iteration);
    },
  };
}
