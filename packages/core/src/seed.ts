import { argError, nonNegativeInteger, seedArg } from './args';

/** JSON-serialisable state of a {@link SeedStream}: restore it to continue the exact same sequence. */
export interface SeedStreamState {
  /** xoshiro128** state words (unsigned 32-bit). */
  s: [number, number, number, number];
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/**
 * A deterministic stream of random numbers and of seeds for tfjs random ops (xoshiro128**,
 * seeded through splitmix32). One stream per run makes a run reproducible: draw a fresh op seed
 * with `nextSeed()` for every `tf.randomNormal(..., seed)` call, host-side decisions (schedules,
 * label flips) with `uniform()`, and give components their own stream with `fork()`.
 */
export class SeedStream {
  private readonly s: Uint32Array;

  constructor(seed: number | SeedStreamState, fn = 'SeedStream') {
    this.s = new Uint32Array(4);
    if (typeof (seed as SeedStreamState)?.s === 'object') {
      const words = (seed as SeedStreamState).s;
      const uint32 = (w: unknown) =>
        Number.isInteger(w) && (w as number) >= 0 && (w as number) < 2 ** 32;
      if (!Array.isArray(words) || words.length !== 4 || !words.every(uint32))
        argError(fn, 'state', '{ s: [4 unsigned 32-bit integers] }', seed);
      this.s.set(words);
    } else {
      const next = splitmix32(
        seedArg(fn, 'seed', seed, 'or a SeedStreamState { s: [4 unsigned 32-bit integers] }'),
      );
      for (let i = 0; i < 4; i++) this.s[i] = next();
    }
    // xoshiro's all-zero state is a fixed point.
    if (this.s.every((w) => w === 0)) this.s[0] = 1;
  }

  /** The next unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A seed for a tfjs random op (`tf.randomNormal(shape, 0, 1, 'float32', stream.nextSeed())`). */
  nextSeed(): number {
    // Never 0: tfjs's random ops take a falsy seed for none and draw from Math.random.
    return this.nextUint32() || 1;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextUint32() / 0x100000000;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.uniform(); // (0, 1]: log stays finite
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** An independent child stream; advances this stream by one draw. */
  fork(): SeedStream {
    return new SeedStream(this.nextUint32());
  }

  getState(): SeedStreamState {
    return { s: [this.s[0], this.s[1], this.s[2], this.s[3]] };
  }

  setState(state: SeedStreamState): void {
    if (typeof state?.s !== 'object')
      argError('SeedStream.setState', 'state', '{ s: [4 unsigned 32-bit integers] }', state);
    this.s.set(new SeedStream(state, 'SeedStream.setState').s);
  }
}

/**
 * The seeded permutation of 0…n−1 for one epoch (Fisher–Yates on a SeedStream derived from
 * (seed, epoch)): each epoch gets its own order, and replaying an epoch — a resumed run —
 * replays it exactly.
 */
export function epochPermutation(n: number, seed: number, epoch: number): number[] {
  nonNegativeInteger('epochPermutation', 'n', n);
  seedArg('epochPermutation', 'seed', seed);
  nonNegativeInteger('epochPermutation', 'epoch', epoch);
  const stream = new SeedStream((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(stream.uniform() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
