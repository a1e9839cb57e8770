import { assertArg, integerArg } from '@gan/core';

/** How a resolution is reached: `start`×`start` after the dense layer, then `upsamplings` × 2. */
export interface StagePlan {
  start: number;
  upsamplings: number;
}

/**
 * Splits a resolution into start · 2^k with the start in 3…7 and k ≥ 1 as large as possible:
 * 64 = 4·2⁴, 28 = 7·2², 96 = 3·2⁵, 48 = 3·2⁴.
 */
export function stagePlan(resolution: number): StagePlan {
  return planStages('stagePlan', resolution);
}

/** {@link stagePlan} with the errors under the caller's name (`dcganGenerator`, `pokemonGan`, …). */
export function planStages(fn: string, resolution: unknown, arg = 'resolution'): StagePlan {
  integerArg(fn, arg, resolution, { min: 6 });
  let start = resolution as number;
  let upsamplings = 0;
  while (start % 2 === 0 && start / 2 >= 3) {
    start /= 2;
    upsamplings++;
  }
  assertArg(
    upsamplings > 0 && start <= 7,
    fn,
    () => `${arg} ${resolution} is not s·2^k with s in 3…7 (e.g. 16, 28, 32, 48, 64, 96, 128, 256)`,
    arg,
  );
  return { start, upsamplings };
}
