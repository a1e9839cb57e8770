import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/npz/npz.json';
import { readNpy, readNpzStats, writeNpy, writeNpzStats } from './npz';

const file = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/npz/${name}`, import.meta.url)));
const fromBase64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

describe('pytorch-fid .npz statistics', () => {
  it('reads what np.savez writes (float64), np.savez_compressed (float32) and Fortran order', () => {
    const f8 = readNpzStats(file('stats-f8.npz'));
    expect(Array.from(f8.mean)).toEqual(fixture.mu);
    expect(Array.from(f8.covariance)).toEqual(fixture.sigma.flat());
    const f4 = readNpzStats(file('stats-f4-compressed.npz'));
    Array.from(f4.covariance).forEach((v, i) => {
      expect(v).toBe(Math.fround(fixture.sigma.flat()[i]));
    });
    // A non-symmetric sigma stored column-major: a missed transposition would show.
    expect(Array.from(readNpzStats(file('stats-fortran.npz')).covariance)).toEqual(
      fixture.asym.flat(),
    );
  });

  it('writes .npy byte for byte as np.save does', () => {
    expect(writeNpy(fixture.mu, [4])).toEqual(fromBase64(fixture.npyMu));
    expect(writeNpy(fixture.sigma.flat(), [4, 4])).toEqual(fromBase64(fixture.npySigma));
    expect(readNpy(fromBase64(fixture.npySigma)).shape).toEqual([4, 4]);
  });

  it('round-trips mu and sigma through writeNpzStats → readNpzStats exactly', () => {
    const stats = { mean: fixture.mu, covariance: fixture.sigma.flat() };
    const back = readNpzStats(writeNpzStats(stats));
    expect(Array.from(back.mean)).toEqual(fixture.mu);
    expect(Array.from(back.covariance)).toEqual(fixture.sigma.flat());
  });

  it('explains what is wrong with a bad file', () => {
    expect(() => readNpzStats(new Uint8Array([1, 2, 3]))).toThrow(/not an .npz/);
    expect(() => writeNpzStats({ mean: [1, 2], covariance: [1] })).toThrow(/not 2²/);
    expect(() => readNpy(new Uint8Array(16))).toThrow(/not a .npy file/);
  });
});
