import {
  ArgumentError,
  argError,
  assertArg,
  describe,
  nonNegativeInteger,
  numbersArg,
  positiveInteger,
  tensorArg,
} from '@gan/core';
import { Tensor, type Tensor2D } from '@tensorflow/tfjs-core';

const STATS_MAGIC = 'GANSTATS';
const STATS_FORMAT = 'gan-fid-stats';

/**
 * Streaming mean and covariance of feature vectors in float64, the statistics FID compares.
 * Batches are merged with the pairwise update of Chan, Golub & LeVeque (1979):
 *   μ = μ_a + δ·n_b/n,  M2 = M2_a + M2_b + δδᵀ·n_a·n_b/n,  δ = μ_b − μ_a,
 * with each batch's M2 from its own centred rows, so a large common offset (typical of
 * post-ReLU features) costs no precision. Only the upper triangle of M2 is accumulated.
 */
export class FeatureStats {
  readonly dim: number;
  /**
   * What produced these features (extractor, resize policy, source…): saved with the statistics
   * and shown with every score computed from them, since scores from different extractors or
   * resizers are not comparable.
   */
  meta: Record<string, unknown> = {};
  private n = 0;
  private readonly mu: Float64Array;
  private readonly m2: Float64Array;

  constructor(dim: number) {
    this.dim = positiveInteger('FeatureStats', 'dim', dim);
    this.mu = new Float64Array(dim);
    this.m2 = new Float64Array(dim * dim);
  }

  /** Number of feature vectors seen. */
  get count(): number {
    return this.n;
  }

  /** Adds `rows.length / dim` feature vectors given row-major. */
  add(rows: ArrayLike<number>): this {
    const d = this.dim;
    checkRows('FeatureStats.add', rows, d);
    if (rows.length === 0) return this;
    const nb = rows.length / d;
    const mean = new Float64Array(d);
    for (let r = 0; r < nb; r++) for (let i = 0; i < d; i++) mean[i] += rows[r * d + i];
    for (let i = 0; i < d; i++) {
      mean[i] /= nb;
      if (!Number.isFinite(mean[i]))
        throw new ArgumentError(
          'FeatureStats.add',
          'rows',
          `rows hold non-finite values: feature ${i} is not finite`,
        );
    }
    const m2 = new Float64Array(d * d);
    const centred = new Float64Array(d);
    for (let r = 0; r < nb; r++) {
      for (let i = 0; i < d; i++) centred[i] = rows[r * d + i] - mean[i];
      for (let i = 0; i < d; i++) {
        const ci = centred[i];
        const row = i * d;
        for (let j = i; j < d; j++) m2[row + j] += ci * centred[j];
      }
    }
    this.combine(nb, mean, m2);
    return this;
  }

  /** Adds the rows of a [n, dim] tensor (read asynchronously, so WebGL/WebGPU never block). */
  async addTensor(features: Tensor2D): Promise<this> {
    const fn = 'FeatureStats.addTensor';
    tensorArg(fn, 'features', features, { hint: 'use add() for arrays and typed arrays' });
    if (features.rank !== 2 || features.shape[1] !== this.dim)
      throw new ArgumentError(
        fn,
        'features',
        `features must have shape [n, ${this.dim}], got [${features.shape}]`,
      );
    return this.add(await features.data());
  }

  /** Folds another accumulator of the same dimension into this one. */
  merge(other: FeatureStats): this {
    const fn = 'FeatureStats.merge';
    if (!isFeatureStats(other))
      argError(
        fn,
        'other',
        'a FeatureStats',
        other,
        isGaussianLike(other) ? 'a { mean, covariance } summary cannot be merged' : undefined,
      );
    assertArg(
      other.dim === this.dim,
      fn,
      () => `other must be ${this.dim}-d like this one, got ${other.dim}-d (dimensions differ)`,
      'other',
    );
    if (other.n > 0) this.combine(other.n, other.mu, other.m2);
    return this;
  }

  /** The mean vector (a copy). */
  mean(): Float64Array {
    return this.mu.slice();
  }

  /** The unbiased (n − 1) covariance, dim × dim row-major. */
  covariance(): Float64Array {
    if (this.n < 2)
      throw new Error(`FeatureStats.covariance: needs at least 2 samples, has ${this.n}`);
    const d = this.dim;
    const cov = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        const v = this.m2[i * d + j] / (this.n - 1);
        cov[i * d + j] = v;
        cov[j * d + i] = v;
      }
    }
    return cov;
  }

  /**
   * The exact accumulator state as bytes: "GANSTATS", a little-endian uint32 header length, a JSON
   * header `{ format, version, dim, count, meta }` padded to 8 bytes, then float64 LE: the mean and
   * the upper triangle of the centred sum of squares (so a loaded accumulator keeps merging).
   */
  save(): Uint8Array {
    const d = this.dim;
    const json = JSON.stringify({
      format: STATS_FORMAT,
      version: 1,
      dim: d,
      count: this.n,
      meta: this.meta,
    });
    let header = new TextEncoder().encode(json);
    const pad = (8 - ((12 + header.length) % 8)) % 8;
    if (pad) header = new TextEncoder().encode(json + ' '.repeat(pad));
    const start = 12 + header.length;
    const out = new Uint8Array(start + 8 * (d + (d * (d + 1)) / 2));
    out.set(new TextEncoder().encode(STATS_MAGIC), 0);
    const view = new DataView(out.buffer);
    view.setUint32(8, header.length, true);
    out.set(header, 12);
    let o = start;
    for (let i = 0; i < d; i++, o += 8) view.setFloat64(o, this.mu[i], true);
    for (let i = 0; i < d; i++)
      for (let j = i; j < d; j++, o += 8) view.setFloat64(o, this.m2[i * d + j], true);
    return out;
  }

  /** Restores what `save` wrote; a wrong magic, version or length is an error, not garbage stats. */
  static load(bytes: Uint8Array): FeatureStats {
    const fn = 'FeatureStats.load';
    bytesArg(fn, bytes);
    const magic = new TextDecoder().decode(bytes.subarray(0, 8));
    if (magic !== STATS_MAGIC || bytes.byteLength < 12)
      throw new ArgumentError(
        fn,
        'bytes',
        'bytes is not a statistics file (expected the GANSTATS magic)',
      );
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const length = view.getUint32(8, true);
    let header: {
      format?: unknown;
      version?: unknown;
      dim?: unknown;
      count?: unknown;
      meta?: unknown;
    };
    try {
      header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length)));
    } catch (error) {
      throw new ArgumentError(
        fn,
        'bytes',
        `bytes has a corrupt header (${(error as Error).message}; truncated file?)`,
      );
    }
    if (typeof header !== 'object' || header === null)
      throw new ArgumentError(fn, 'bytes', `bytes has a corrupt header (${describe(header)})`);
    if (header.format !== STATS_FORMAT || header.version !== 1)
      throw new ArgumentError(
        fn,
        'bytes',
        `bytes holds an unsupported format ${header.format} v${header.version}`,
      );
    const d = positiveInteger(fn, 'header.dim', header.dim);
    const count = nonNegativeInteger(fn, 'header.count', header.count);
    const expected = 12 + length + 8 * (d + (d * (d + 1)) / 2);
    if (bytes.byteLength !== expected)
      throw new ArgumentError(
        fn,
        'bytes',
        `bytes holds ${bytes.byteLength} bytes, expected ${expected} for ${d}-d statistics (truncated file?)`,
      );
    const stats = new FeatureStats(d);
    stats.n = count;
    stats.meta =
      typeof header.meta === 'object' && header.meta !== null
        ? (header.meta as Record<string, unknown>)
        : {};
    let o = 12 + length;
    for (let i = 0; i < d; i++, o += 8) stats.mu[i] = view.getFloat64(o, true);
    for (let i = 0; i < d; i++)
      for (let j = i; j < d; j++, o += 8) stats.m2[i * d + j] = view.getFloat64(o, true);
    return stats;
  }

  private combine(nb: number, meanB: Float64Array, m2B: Float64Array): void {
    const d = this.dim;
    const na = this.n;
    const n = na + nb;
    const delta = new Float64Array(d);
    for (let i = 0; i < d; i++) delta[i] = meanB[i] - this.mu[i];
    const weight = (na * nb) / n;
    for (let i = 0; i < d; i++) {
      const row = i * d;
      const di = delta[i] * weight;
      for (let j = i; j < d; j++) this.m2[row + j] += m2B[row + j] + di * delta[j];
    }
    for (let i = 0; i < d; i++) this.mu[i] += (delta[i] * nb) / n;
    this.n = n;
  }
}

/**
 * A FeatureStats, also one from another copy of this package (its ESM and CJS builds each hold
 * the class): `instanceof` first, then the shape of one.
 */
export function isFeatureStats(value: unknown): value is FeatureStats {
  if (value instanceof FeatureStats) return true;
  const v = value as Record<string, unknown> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.dim === 'number' &&
    typeof v.count === 'number' &&
    typeof v.mean === 'function' &&
    typeof v.covariance === 'function' &&
    typeof v.addTensor === 'function'
  );
}

/** `{ mean, covariance }` with array-like members (a GaussianStats, unchecked). */
function isGaussianLike(value: unknown): boolean {
  const v = value as { mean?: unknown; covariance?: unknown } | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.mean === 'object' &&
    typeof v.covariance === 'object'
  );
}

/** Flat row-major numbers, a whole number of `d`-d rows; names what was given instead. */
function checkRows(fn: string, rows: unknown, d: number): asserts rows is ArrayLike<number> {
  if (rows instanceof Tensor)
    argError(
      fn,
      'rows',
      'an array or typed array of numbers',
      rows,
      'add() takes numbers; use await addTensor(features) for a tf.Tensor',
    );
  if (Array.isArray(rows) && rows.length > 0 && typeof rows[0] === 'object' && rows[0] !== null)
    throw new ArgumentError(
      fn,
      'rows',
      `rows must be flat row-major numbers (n·${d} of them), got an array of ${rows.length} ${
        Array.isArray(rows[0]) || ArrayBuffer.isView(rows[0]) ? 'arrays' : 'objects'
      }; flatten it or use addTensor(tf.tensor2d(rows))`,
    );
  const { length } = numbersArg(fn, 'rows', rows, {
    hint: 'add() takes numbers; use addTensor() for a tf.Tensor',
  });
  if (length % d !== 0)
    throw new ArgumentError(
      fn,
      'rows',
      `rows must be n·${d} flat row-major numbers: ${length} values are not a whole number of ${d}-d rows`,
    );
}

/** `bytes` must be a Uint8Array (a Node Buffer is one); an ArrayBuffer gets a hint. */
export function bytesArg(fn: string, bytes: unknown): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array))
    argError(
      fn,
      'bytes',
      'a Uint8Array',
      bytes,
      bytes instanceof ArrayBuffer ? 'wrap it: new Uint8Array(buffer)' : undefined,
    );
}
