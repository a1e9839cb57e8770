import { SeedStream } from '@gan/core';
import { expectArgError } from '@gan/test-utils';
import { describe, expect, it } from 'vitest';
import { boosted } from './boosted';
import { classic } from './classic';
import { critic } from './critic';
import { monitored } from './monitored';
import type { Schedule, ScheduleDecision, ScheduleFeedback } from './schedule';

const code = (d: ScheduleDecision) =>
  `${d.trainDiscriminator ? (d.swapLabels ? 'S' : 'D') : '-'}${d.trainGenerator ? 'G' : '-'}`;

const run = (schedule: Schedule, n: number) =>
  Array.from({ length: n }, () => code(schedule.next())).join(' ');

describe('schedules', () => {
  it('classic trains both networks every iteration', () => {
    expect(run(classic(), 3)).toBe('DG DG DG');
  });

  it('critic(5) trains G after every fifth critic update', () => {
    expect(run(critic(), 10)).toBe('D- D- D- D- DG D- D- D- D- DG');
    expect(run(critic({ nCritic: 3 }), 6)).toBe('D- D- DG D- D- DG');
    expect(run(critic({ nCritic: 1 }), 2)).toBe('DG DG');
  });

  it('monitored trains D only while L_D > 0.8 · L_G (the latest losses), G always', () => {
    const schedule = monitored();
    expect(schedule.needsFeedback).toBe(true);
    const steps: [ScheduleFeedback | undefined, string][] = [
      [undefined, 'DG'], // nothing known yet
      [{ discriminatorLoss: 1.0, generatorLoss: 1.0 }, 'DG'], // 1.0 > 0.8
      [{ discriminatorLoss: 0.7, generatorLoss: 1.0 }, '-G'], // 0.7 ≤ 0.8
      [{ generatorLoss: 0.8 }, 'DG'], // D did not train: its last loss 0.7 > 0.64
      [{ discriminatorLoss: 0.8, generatorLoss: 1.0 }, '-G'], // equality: not strictly greater
    ];
    for (const [feedback, expected] of steps) expect(code(schedule.next(feedback))).toBe(expected);
    expect(code(monitored({ ratio: 0.5 }).next({ discriminatorLoss: 0.6, generatorLoss: 1 }))).toBe(
      'DG',
    );
  });

  it('boosted follows the written rule draw for draw (independent re-implementation)', () => {
    // Wider bands than the defaults so boosts happen in a short test; same rule.
    const options = {
      generatorBoost: 0.01,
      discriminatorBoost: 0.02,
      swapLabelsProbability: 0.2,
      boostLength: 7,
      seed: 42,
    };
    const schedule = boosted(options);
    const k = new SeedStream(42);
    const expected: string[] = [];
    let boost: { code: string; left: number } | null = null;
    const counts = { G: 0, D: 0 };
    while (expected.length < 20000) {
      if (boost) {
        expected.push(boost.code);
        if (--boost.left === 0) boost = null;
        continue;
      }
      const u = k.uniform();
      if (u < 0.01) {
        boost = { code: '-G', left: 6 };
        expected.push('-G');
        counts.G++;
      } else if (u < 0.03) {
        boost = { code: 'D-', left: 6 };
        expected.push('D-');
        counts.D++;
      } else expected.push(u >= 0.8 ? 'SG' : 'DG');
    }
    expect(run(schedule, expected.length)).toBe(expected.join(' '));
    expect(counts.G).toBeGreaterThan(10);
    expect(counts.D).toBeGreaterThan(20);
  });

  it('boosted with the write-up’s defaults: ~7% noisy iterations, rare boosts of 100', () => {
    const schedule = boosted({ seed: 1 });
    const decisions = Array.from({ length: 100000 }, () => code(schedule.next()));
    const swapped = decisions.filter((d) => d === 'SG').length / decisions.length;
    expect(swapped).toBeGreaterThan(0.06);
    expect(swapped).toBeLessThan(0.08);
    // Boosts come in runs of exactly 100 (runs may abut, so count run lengths modulo 100).
    const runs = decisions.join(' ').match(/(D- )+|(-G )+/g) ?? [];
    expect(runs.length).toBeGreaterThan(0);
    for (const r of runs) expect((r.length / 3) % 100).toBe(0);
  });

  it('boosted: the deprecated swapLabels is swapLabelsProbability, never both', () => {
    const bands = { generatorBoost: 0.01, discriminatorBoost: 0.02, boostLength: 3, seed: 5 };
    const byNew = boosted({ ...bands, swapLabelsProbability: 0.3 });
    const byOld = boosted({ ...bands, swapLabels: 0.3 });
    expect(run(byOld, 2000)).toBe(run(byNew, 2000));
    expect(run(byNew, 2000)).toContain('SG');
    // Recorded (and compared on load) under the new name.
    expect(byOld.config).toEqual(byNew.config);
    expect(byNew.config).toEqual({ ...bands, swapLabelsProbability: 0.3 });
    expectArgError(
      () => boosted({ swapLabelsProbability: 0.3, swapLabels: 0.3 }),
      'boosted',
      'swapLabels',
      /^boosted: swapLabels: deprecated alias of swapLabelsProbability; pass only swapLabelsProbability$/,
    );
    // A misuse names the option the caller wrote.
    expectArgError(
      () => boosted({ swapLabels: 2 }),
      'boosted',
      'swapLabels',
      /swapLabels must be a probability/,
    );
  });

  it('resume exactly from a JSON state (boost phase and RNG included)', () => {
    for (const make of [
      () => critic({ nCritic: 3 }),
      () => boosted({ generatorBoost: 0.05, discriminatorBoost: 0.05, boostLength: 4, seed: 9 }),
      () => monitored(),
    ] as (() => Schedule)[]) {
      const a = make();
      run(a, 37);
      const b = make();
      b.setState(JSON.parse(JSON.stringify(a.getState())));
      expect(run(b, 200)).toBe(run(a, 200));
    }
  });

  it('reject bad options and states', () => {
    expect(() => critic({ nCritic: 0 })).toThrow(/nCritic must be a positive integer, got 0/);
    expect(() => classic().setState({ iteration: -1 })).toThrow(
      /^classic.setState: state.iteration must be an integer ≥ 0, got -1$/,
    );
    expect(() => monitored({ ratio: -1 })).toThrow(/ratio must be a finite number ≥ 0/);
    expect(() => boosted({ swapLabelsProbability: 2 })).toThrow(
      /swapLabelsProbability must be a probability/,
    );
    expect(() =>
      boosted({ generatorBoost: 0.5, discriminatorBoost: 0.4, swapLabelsProbability: 0.2 }),
    ).toThrow(/must not exceed 1/);
    expect(() => boosted({ boostLength: 0 })).toThrow(/boostLength must be a positive integer/);
  });
});
