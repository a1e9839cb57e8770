/**
 * Rebuilds the inputs of tools/fixtures/frechet.py: MINSTD integers are exact in float64 in both
 * languages, so the fixture stores only seeds and sizes.
 */
const M = 2147483647;

export function minstd(seed: number, count: number): Float64Array {
  const out = new Float64Array(count);
  let s = seed;
  for (let i = 0; i < count; i++) {
    s = (s * 48271) % M;
    out[i] = s / M - 0.5;
  }
  return out;
}

/** n × d features: column j scaled by 1 + (j mod 7)/3 and shifted by shift · (j mod 5). */
export function fixtureSamples(seed: number, n: number, d: number, shift: number): Float64Array {
  const x = minstd(seed, n * d);
  for (let r = 0; r < n; r++)
    for (let j = 0; j < d; j++) x[r * d + j] = x[r * d + j] * (1 + (j % 7) / 3) + shift * (j % 5);
  return x;
}

/** diag(diag) + U Uᵀ / k with U d × k from the generator. */
export function fixtureLowRank(seed: number, d: number, k: number, diag: number): Float64Array {
  const u = minstd(seed, d * k);
  const s = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let dot = 0;
      for (let c = 0; c < k; c++) dot += u[i * k + c] * u[j * k + c];
      s[i * d + j] = dot / k;
      s[j * d + i] = dot / k;
    }
    s[i * d + i] += diag;
  }
  return s;
}

/** The inputs of tools/fixtures/precision_recall.py's `points`. */
export interface PointsSpec {
  seed: number;
  n: number;
  d: number;
  scale?: number;
  shift?: number;
  spread?: number;
  clusters?: number[];
}

/**
 * n × d features (u · scale + shift) + spread · s, u from the generator; s = ±1 puts row r in the
 * corner of cluster clusters[r mod length] (bit j mod 2 of the cluster's number per coordinate j).
 */
export function fixturePoints(spec: PointsSpec): { values: Float64Array; dim: number } {
  const { seed, n, d, scale = 1, shift = 0, spread = 0, clusters = [0] } = spec;
  const x = minstd(seed, n * d);
  for (let r = 0; r < n; r++) {
    const c = clusters[r % clusters.length];
    for (let j = 0; j < d; j++) {
      const s = ((c >> (j % 2)) & 1) * 2 - 1;
      x[r * d + j] = x[r * d + j] * scale + shift + spread * s;
    }
  }
  return { values: x, dim: d };
}
