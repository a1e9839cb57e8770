import { expectArgError } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { epochPermutation, SeedStream } from './seed';

describe('SeedStream', () => {
  it('is reproducible from a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const s = new SeedStream(seed);
      return Array.from({ length: 5 }, () => s.nextUint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('continues the exact sequence after a JSON round trip of its state', () => {
    const a = new SeedStream(1);
    for (let i = 0; i < 10; i++) a.uniform();
    const saved = JSON.parse(JSON.stringify(a.getState()));
    const expected = Array.from({ length: 5 }, () => a.nextUint32());
    const b = new SeedStream(saved);
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(expected);
    const c = new SeedStream(99);
    c.setState(saved);
    expect(c.nextUint32()).toBe(expected[0]);
  });

  it('draws uniforms in [0, 1) with the right mean and normals with unit variance', () => {
    const s = new SeedStream(3);
    const n = 20000;
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = s.uniform();
      sum += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 2);
    let sq = 0;
    for (let i = 0; i < n; i++) sq += s.normal() ** 2;
    expect(sq / n).toBeGreaterThan(0.95);
    expect(sq / n).toBeLessThan(1.05);
  });

  it('makes tfjs random ops reproducible on the active backend', () => {
    const sample = (seed: number) => {
      const s = new SeedStream(seed);
      return tf.tidy(() => tf.randomNormal([4, 3], 0, 1, 'float32', s.nextSeed()).arraySync());
    };
    expect(sample(5)).toEqual(sample(5));
    expect(sample(5)).not.toEqual(sample(6));
  });

  it('forks independent child streams deterministically', () => {
    const a = new SeedStream(8).fork();
    const b = new SeedStream(8).fork();
    expect(a.nextUint32()).toBe(b.nextUint32());
    const parent = new SeedStream(8);
    const child = parent.fork();
    expect(child.nextUint32()).not.toBe(parent.nextUint32());
  });

  it('rejects bad seeds and states with a clear error', () => {
    expectArgError(
      () => new SeedStream(-1),
      'SeedStream',
      'seed',
      /integer in \[0, 2\^32\) or a SeedStreamState .*, got -1/,
    );
    expectArgError(() => new SeedStream(1.5), 'SeedStream', 'seed', /got 1.5/);
    expectArgError(() => new SeedStream(undefined as never), 'SeedStream', 'seed', /got undefined/);
    expectArgError(
      () => new SeedStream({ s: [1, 2, 3] } as never),
      'SeedStream',
      'state',
      /4 unsigned/,
    );
    expectArgError(
      () => new SeedStream(1).setState(7 as never),
      'SeedStream.setState',
      'state',
      /got 7/,
    );
    expectArgError(() => epochPermutation(-1, 0, 0), 'epochPermutation', 'n', /got -1/);
    expectArgError(() => epochPermutation(4, 1.5, 0), 'epochPermutation', 'seed', /got 1.5/);
  });
});

describe('epochPermutation', () => {
  it('is a permutation, the same for the same (seed, epoch), different across epochs and seeds', () => {
    const order = epochPermutation(40, 3, 0);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(epochPermutation(40, 3, 0)).toEqual(order);
    expect(epochPermutation(40, 3, 1)).not.toEqual(order);
    expect(epochPermutation(40, 4, 0)).not.toEqual(order);
  });
});
