import { describe, expect, it } from 'vitest';
import { classic } from './classic';
import { critic } from './critic';
import type { Schedule } from './schedule';

const run = (schedule: Schedule, n: number) =>
  Array.from({ length: n }, () => {
    const d = schedule.next();
    return `${d.trainDiscriminator ? 'D' : '-'}${d.trainGenerator ? 'G' : '-'}`;
  }).join(' ');

describe('schedules', () => {
  it('classic trains both networks every iteration', () => {
    expect(run(classic(), 3)).toBe('DG DG DG');
  });

  it('critic(5) trains G after every fifth critic update', () => {
    expect(run(critic(), 10)).toBe('D- D- D- D- DG D- D- D- D- DG');
    expect(run(critic({ nCritic: 3 }), 6)).toBe('D- D- DG D- D- DG');
    expect(run(critic({ nCritic: 1 }), 2)).toBe('DG DG');
  });

  it('resume exactly from a JSON state', () => {
    const a = critic({ nCritic: 3 });
    run(a, 4);
    const b = critic({ nCritic: 3 });
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    expect(run(b, 5)).toBe(run(a, 5));
  });

  it('reject bad options and states', () => {
    expect(() => critic({ nCritic: 0 })).toThrow(/nCritic must be a positive integer, got 0/);
    expect(() => classic().setState({ iteration: -1 })).toThrow(
      /state.iteration must be a non-negative integer/,
    );
  });
});
