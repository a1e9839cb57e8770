import {
  aliasArg,
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
  /**
   * P(k in the top band): the discriminator trains with swapped labels (the decision's
   * `swapLabels: true`). Default 0.07 (k ≥ 0.93).
   */
  swapLabelsProbability?: number;
  /** @deprecated Renamed `swapLabelsProbability`; this name still works until the next minor. */
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
  const opts = optionsArg('boosted', options);
  const { generatorBoost = 1e-4, discriminatorBoost = 9e-4, boostLength = 100, seed = 0 } = opts;
  const swapLabelsProbability =
    aliasArg('boosted', opts, 'swapLabelsProbability', 'swapLabels') ?? 0.07;
  const swapName = opts.swapLabels !== undefined ? 'swapLabels' : 'swapLabelsProbability';
  probability('boosted', 'generatorBoost', generatorBoost);
  probability('boosted', 'discriminatorBoost', discriminatorBoost);
  probability('boosted', swapName, swapLabelsProbability);
  assertArg(
    generatorBoost + discriminatorBoost + swapLabelsProbability <= 1,
    'boosted',
    `generatorBoost + discriminatorBoost + ${swapName} must not exceed 1`,
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
    // Checkpoints written before the rename record `swapLabels`: their setup is read through
    // checkpoint/setup.ts's renamed keys.
    config: { generatorBoost, discriminatorBoost, swapLabelsProbability, boostLength, seed },
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
      return {
        trainDiscriminator: true,
        trainGenerator: true,
        swapLabels: k >= 1 - swapLabelsProbability,
      };
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
