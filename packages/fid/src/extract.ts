import {
  add,
  image,
  mul,
  slice,
  type Tensor,
  type Tensor4D,
  tensor1d,
  tidy,
  tile,
} from '@tensorflow/tfjs-core';
import type { FeatureExtractor } from './extractor';
import { FeatureStats } from './feature-stats';

/**
 * Images for feature extraction, all [n, h, w, c] with c = 3 (RGB) or 1 (grey, repeated):
 * - a tensor (not disposed; sliced into batches),
 * - batches from an iterable or async iterable — a `@gan/data` dataset, an async generator —
 *   each disposed after use,
 * - a function `(n, index) => batch` called until `samples` images were seen (a generator
 *   network: `(n) => tidy(() => G.predict(noise(n)))`), each batch disposed after use.
 */
export type ImageSource =
  | Tensor4D
  | Iterable<Tensor4D>
  | AsyncIterable<Tensor4D>
  | ((n: number, index: number) => Tensor4D | Promise<Tensor4D>);

/** How images reach the extractor's size; stated with every score (the resizer moves FID by whole points). */
export type ResizeMethod = 'bilinear' | 'nearest';

const POLICIES: Record<ResizeMethod, string> = {
  bilinear: 'bilinear, half-pixel centres, no antialiasing (tfjs resizeBilinear; as pytorch-fid)',
  nearest: 'nearest neighbour, half-pixel centres (tfjs resizeNearestNeighbor)',
};

/** The default policy's description (bilinear, as pytorch-fid). */
export const RESIZE_POLICY = POLICIES.bilinear;

export interface ExtractOptions {
  /** Images per forward pass. Default 32. */
  batchSize?: number;
  /** Value range of the inputs, mapped to the [0, 1] extractors take. Default [−1, 1] (tanh). */
  range?: readonly [number, number];
  /** Resizing to the extractor's input size, when images differ from it. Default 'bilinear'. */
  resize?: ResizeMethod;
  /** Stop after this many images; required when the source is a function. */
  samples?: number;
  /** Also return every feature row (KID needs them; FID needs only the statistics). */
  keepFeatures?: boolean;
  onProgress?: (done: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

export interface ExtractResult {
  /** float64 mean and covariance; `meta` names the extractor, resize policy and range. */
  stats: FeatureStats;
  /** With `keepFeatures`: the rows, in the form `kernelInceptionDistance` takes. */
  features?: { values: Float32Array; dim: number };
}

/**
 * Streams images through `extractor` batch by batch into float64 statistics; no more than one
 * batch of images and features is alive at a time. Images are mapped from `range` to [0, 1],
 * grey is repeated to RGB, and sizes other than the extractor's are resized by `resize` (bilinear by default, as pytorch-fid).
 */
export async function extractFeatures(
  images: ImageSource,
  extractor: FeatureExtractor,
  options: ExtractOptions = {},
): Promise<ExtractResult> {
  const {
    batchSize = 32,
    range = [-1, 1],
    resize = 'bilinear',
    samples,
    keepFeatures = false,
    onProgress,
    signal,
  } = options;
  if (!(resize in POLICIES))
    throw new Error(`extractFeatures: resize must be 'bilinear' or 'nearest', got ${resize}`);
  if (!(Number.isInteger(batchSize) && batchSize > 0))
    throw new Error(`extractFeatures: batchSize must be a positive integer, got ${batchSize}`);
  if (samples !== undefined && !(Number.isInteger(samples) && samples > 0))
    throw new Error(`extractFeatures: samples must be a positive integer, got ${samples}`);
  if (!(range[1] > range[0]))
    throw new Error(`extractFeatures: range [${range}] must be increasing`);
  const stats = new FeatureStats(extractor.dim);
  stats.meta = {
    extractor: extractor.name,
    standard: extractor.standard,
    resize: POLICIES[resize],
  };
  const kept: Float32Array[] = [];
  const total = samples ?? (isTensor(images) ? images.shape[0] : undefined);
  let done = 0;

  const consume = async (batch: Tensor4D) => {
    const take = total === undefined ? batch.shape[0] : Math.min(batch.shape[0], total - done);
    const features = tidy(() => {
      const x = take < batch.shape[0] ? slice(batch, 0, take) : batch;
      return extractor.extract(prepare(x, extractor, range, resize));
    });
    try {
      if (features.rank !== 2 || features.shape[1] !== extractor.dim)
        throw new Error(
          `extractFeatures: ${extractor.name} returned shape [${features.shape}], expected [n, ${extractor.dim}]`,
        );
      const values = (await features.data()) as Float32Array;
      stats.add(values);
      if (keepFeatures) kept.push(values);
    } finally {
      features.dispose();
    }
    done += take;
    onProgress?.(done, total);
  };
  const finished = () => (total !== undefined && done >= total) || signal?.aborted === true;

  if (isTensor(images)) {
    for (let start = 0; start < images.shape[0] && !finished(); start += batchSize) {
      const batch = slice(images, start, Math.min(batchSize, images.shape[0] - start));
      try {
        await consume(batch as Tensor4D);
      } finally {
        batch.dispose();
      }
    }
  } else if (typeof images === 'function') {
    if (samples === undefined)
      throw new Error('extractFeatures: give `samples` when images come from a function');
    for (let index = 0; !finished(); index++) {
      const batch = await images(Math.min(batchSize, samples - done), index);
      try {
        await consume(batch);
      } finally {
        batch.dispose();
      }
    }
  } else {
    for await (const batch of images as AsyncIterable<Tensor4D>) {
      try {
        if (!finished()) await consume(batch);
      } finally {
        batch.dispose();
      }
      if (finished()) break;
    }
  }
  if (signal?.aborted) throw signal.reason ?? new Error('extractFeatures: aborted');
  if (done === 0) throw new Error('extractFeatures: the source yielded no images');
  if (!keepFeatures) return { stats };
  const values = new Float32Array(done * extractor.dim);
  let offset = 0;
  for (const part of kept) {
    values.set(part, offset);
    offset += part.length;
  }
  return { stats, features: { values, dim: extractor.dim } };
}

function isTensor(x: unknown): x is Tensor4D {
  return typeof x === 'object' && x !== null && 'shape' in x && 'dataId' in x;
}

/** [n, h, w, c] in `range` → [n, H, W, 3] in [0, 1] at the extractor's input size. */
function prepare(
  x: Tensor,
  extractor: FeatureExtractor,
  range: readonly [number, number],
  resize: ResizeMethod,
): Tensor4D {
  if (x.rank !== 4 || (x.shape[3] !== 3 && x.shape[3] !== 1))
    throw new Error(
      `extractFeatures: images must be [n, h, w, 3] or [n, h, w, 1], got [${x.shape}]`,
    );
  const scale = 1 / (range[1] - range[0]);
  let y = add(mul(x, tensor1d([scale])), tensor1d([-range[0] * scale])) as Tensor4D;
  if (y.shape[3] === 1) y = tile(y, [1, 1, 1, 3]);
  const [h, w] = extractor.inputSize;
  if (y.shape[1] !== h || y.shape[2] !== w)
    y =
      resize === 'bilinear'
        ? image.resizeBilinear(y, [h, w], false, true)
        : image.resizeNearestNeighbor(y, [h, w], false, true);
  return y;
}
