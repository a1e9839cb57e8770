import { optionsArg, positiveInteger } from '@gan/core';
import { type IterationState, iterationSchedule, type Schedule } from './schedule';

export interface CriticScheduleOptions {
  /** Critic updates per generator update. Default 5 (Arjovsky et al. 2017; the Pokémon WGAN uses 3). */
  nCritic?: number;
}

/**
 * The WGAN schedule: the critic trains every iteration and the generator after every `nCritic`-th
 * critic update, so each generator step sees a critic trained `nCritic` times since the last one.
 */
export function critic(options: CriticScheduleOptions = {}): Schedule<IterationState> {
  const nCritic = positiveInteger('critic', 'nCritic', optionsArg('critic', options).nCritic ?? 5);
  return iterationSchedule(
    `critic(${nCritic})`,
    (iteration) => ({ trainDiscriminator: true, trainGenerator: iteration % nCritic === 0 }),
    { nCritic },
  );
}
