import { type IterationState, iterationSchedule, type Schedule } from './schedule';

/** One discriminator update, then one generator update, every iteration (Goodfellow et al. 2014, k = 1). */
export function classic(): Schedule<IterationState> {
  return iterationSchedule('classic', () => ({ trainDiscriminator: true, trainGenerator: true }));
}
