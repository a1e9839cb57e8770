import { nonNegativeInteger, numberArg, optionsArg } from '@gan/core';
import type { Schedule } from './schedule';

export interface MonitoredOptions {
  /** The discriminator trains only while L_D > ratio · L_G. Default 0.8 (the Pokémon write-up). */
  ratio?: number;
}

export interface MonitoredState {
  iteration: number;
  discriminatorLoss: number | null;
  generatorLoss: number | null;
}

/**
 * The Pokémon write-up's monitored training: the generator trains every iteration, the
 * discriminator only when L_D > ratio · L_G, so it cannot run away from the generator. The
 * losses compared are the latest known (the previous iteration's); the first iteration, with
 * none known, trains both. Needs the losses every iteration.
 */
export function monitored(options: MonitoredOptions = {}): Schedule<MonitoredState> {
  const ratio = numberArg('monitored', 'ratio', optionsArg('monitored', options).ratio ?? 0.8, {
    min: 0,
  });
  let state: MonitoredState = { iteration: 0, discriminatorLoss: null, generatorLoss: null };
  return {
    name: `monitored(${ratio})`,
    config: { ratio },
    needsFeedback: true,
    next(feedback) {
      state.iteration++;
      if (feedback?.discriminatorLoss != null) state.discriminatorLoss = feedback.discriminatorLoss;
      if (feedback?.generatorLoss != null) state.generatorLoss = feedback.generatorLoss;
      const { discriminatorLoss: d, generatorLoss: g } = state;
      return { trainDiscriminator: d == null || g == null || d > ratio * g, trainGenerator: true };
    },
    getState: () => ({ ...state }),
    setState(next) {
      nonNegativeInteger('monitored.setState', 'state.iteration', next?.iteration);
      for (const key of ['discriminatorLoss', 'generatorLoss'] as const)
        if (next[key] !== null) numberArg('monitored.setState', `state.${key}`, next[key]);
      state = { ...next };
    },
  };
}
