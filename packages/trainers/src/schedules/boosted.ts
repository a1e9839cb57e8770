import {
  assertArg,
  nonNegativeInteger,
  oneOf,
  optionsArg,
  positiveInteger,
  probability,
  SeedStream,
  type SeedStreamState,
  seedArg,
} from '@gan/core';
import type { Schedule } from './schedule';

export interface BoostedOptions {
  /** P(k < p): only the generator trains for the next `boostLength` iterations. Default 1e-4. */
  generatorBoost?: number;
  /** P(next band of k): only the discriminator trains (true labels) for `boostLength` iterations. Default 9e-4 (so k < 1e-3). */
  discriminatorBoost?: number;
  /** P(k in the top band): the discriminator trains with swapped labels. Default 0.07 (k ≥ 0.93). */
  swapLabels?: number;
  /** Iterations a boost lasts, the drawing one included. Default 100. */
  boostLength?: number;
  /** Seed of the draws of k. Default 0. */
  seed?: number;
}

export interface BoostedState {
  iteration: number;
  boost: { network: 'generator' | 'discriminator'; remaining: number } | null;
  rng: SeedStreamState;
}

/**
 * The Pokémon write-up's "boost + noisy label" training, exactly: each iteration outside a boost
 * draws k ~ U(0, 1);
 * - k < 1e-4: only G trains, this iteration and the next 99 (a generator boost);
 * - 1e-4 ≤ k < 1e-3: only D trains, with true labels, for 100 iterations (a discriminator boost);
 * - 1e-3 ≤ k < 0.93: D trains with true labels, and G trains;
 * - k ≥ 0.93: D trains with swapped labels (noisy labels), and G trains.
 * No k is drawn during a boost. Band widths and boost length are options.
 */
export function boosted(options: BoostedOptions = {}): Schedule<BoostedState> {
  const {
    generatorBoost = 1e-4,
    discriminatorBoost = 9e-4,
    swapLabels = 0.07,
    boostLength = 100,
    seed = 0,
  } = optionsArg('boosted', options);
  for (const [name, p] of Object.entries({ generatorBoost, discriminatorBoost, swapLabels }))
    probability('boosted', name, p);
  assertArg(
    generatorBoost + discriminatorBoost + swapLabels <= 1,
    'boosted',
    'generatorBoost + discriminatorBoost + swapLabels must not exceed 1',
  );
  positiveInteger('boosted', 'boostLength', boostLength);
  const rng = new SeedStream(seedArg('boosted', 'seed', seed));
  let iteration = 0;
  let boost: BoostedState['boost'] = null;
  const only = (network: 'generator' | 'discriminator') => ({
    trainDiscriminator: network === 'discriminator',
    trainGenerator: network === 'generator',
  });
  return {
    name: 'boosted',
    config: { generatorBoost, discriminatorBoost, swapLabels, boostLength, seed },
    next() {
      iteration++;
      if (boost) {
        const { network } = boost;
        boost = boost.remaining > 1 ? { network, remaining: boost.remaining - 1 } : null;
        return only(network);
      }
      const k = rng.uniform();
      if (k < generatorBoost + discriminatorBoost) {
        const network = k < generatorBoost ? 'generator' : 'discriminator';
        boost = boostLength > 1 ? { network, remaining: boostLength - 1 } : null;
        return only(network);
      }
      return { trainDiscriminator: true, trainGenerator: true, swapLabels: k >= 1 - swapLabels };
    },
    getState: () => ({ iteration, boost: boost && { ...boost }, rng: rng.getState() }),
    setState(state) {
      nonNegativeInteger('boosted.setState', 'state.iteration', state?.iteration);
      if (state.boost) {
        oneOf('boosted.setState', 'state.boost.network', state.boost.network, [
          'generator',
          'discriminator',
        ]);
        positiveInteger('boosted.setState', 'state.boost.remaining', state.boost.remaining);
      }
      iteration = state.iteration;
      boost = state.boost && { ...state.boost };
      rng.setState(state.rng);
    },
  };
}
