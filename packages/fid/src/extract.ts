import {
  ArgumentError,
  argError,
  describe,
  oneOf,
  optionsArg,
  positiveInteger,
  tensorArg,
} from '@gan/core';
import {
  add,
  image,
  mul,
  slice,
  Tensor,
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

/**
 * How images are resized to the extractor's input size; stated with every score (the resizer
 * moves FID by whole points). Not `@gan/data`'s `ResizeMethod`, which resamples images.
 */
export type FeatureResize = 'bilinear' | 'nearest';

/**
 * @deprecated Renamed `FeatureResize` (`@gan/data`'s `ResizeMethod` is another type, image
 * resampling); this name still works until the next minor.
 */
export type ResizeMethod = FeatureResize;

/** Images per forward pass when none is given: `extractFeatures`, `fidEvaluator` and `gan-fid --batch`. */
export const DEFAULT_BATCH_SIZE = 16;

const POLICIES: Record<FeatureResize, string> = {
  bilinear: 'bilinear, half-pixel centres, no antialiasing (tfjs resizeBilinear; as pytorch-fid)',
  nearest: 'nearest neighbour, half-pixel centres (tfjs resizeNearestNeighbor)',
};

const FN = 'extractFeatures';
const RESIZE_METHODS = Object.keys(POLICIES) as FeatureResize[];
const DEFAULT_RANGE = [-1, 1] as const;

/** The default policy's description (bilinear, as pytorch-fid). */
export const RESIZE_POLICY = POLICIES.bilinear;

export interface ExtractOptions {
  /**
   * Images per forward pass, for a tensor or a function source (batches from an iterable are
   * taken as they come). Default 16 ({@link DEFAULT_BATCH_SIZE}).
   */
  batchSize?: number;
  /**
   * Value range of the inputs, mapped to the [0, 1] extractors take. Default [−1, 1] (tanh), for
   * float32 images only: other dtypes (int32 0…255 pixels) must give it.
   */
  range?: readonly [number, number];
  /** Resizing to the extractor's input size, when images differ from it. Default 'bilinear'. */
  resize?: FeatureResize;
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
    batchSize = DEFAULT_BATCH_SIZE,
    range,
    resize = 'bilinear',
    samples,
    keepFeatures = false,
    onProgress,
    signal,
  } = optionsArg(FN, options);
  const source = sourceKind(images);
  checkExtractor(extractor);
  oneOf(FN, 'resize', resize, RESIZE_METHODS);
  positiveInteger(FN, 'batchSize', batchSize);
  if (samples !== undefined) positiveInteger(FN, 'samples', samples);
  if (range !== undefined) checkRange(range);
  if (typeof keepFeatures !== 'boolean')
    argError(FN, 'keepFeatures', 'true or false', keepFeatures);
  if (onProgress !== undefined && typeof onProgress !== 'function')
    argError(FN, 'onProgress', 'a function (done, total) => void', onProgress);
  if (signal !== undefined && typeof (signal as { aborted?: unknown })?.aborted !== 'boolean')
    argError(FN, 'signal', 'an AbortSignal', signal);
  if (source === 'function' && samples === undefined)
    throw new ArgumentError(
      FN,
      'samples',
      'samples is required when images is a function: give `samples`, the number of images to draw',
    );
  if (source === 'tensor') checkBatch('images', images as Tensor4D, range);
  const lohi = range ?? DEFAULT_RANGE;
  const stats = new FeatureStats(extractor.dim);
  stats.meta = {
    extractor: extractor.name,
    standard: extractor.standard,
    resize: POLICIES[resize],
  };
  const kept: Float32Array[] = [];
  const total = samples ?? (source === 'tensor' ? (images as Tensor4D).shape[0] : undefined);
  let done = 0;

  const consume = async (batch: Tensor4D) => {
    const take = total === undefined ? batch.shape[0] : Math.min(batch.shape[0], total - done);
    const features = tidy(() => {
      const x = take < batch.shape[0] ? slice(batch, 0, take) : batch;
      return extractor.extract(prepare(x, extractor, lohi, resize));
    });
    try {
      if (
        !(features instanceof Tensor) ||
        features.rank !== 2 ||
        features.shape[0] !== take ||
        features.shape[1] !== extractor.dim
      )
        throw new ArgumentError(
          FN,
          'extractor',
          `extractor ${extractor.name} returned ${
            features instanceof Tensor ? `shape [${features.shape}]` : describe(features)
          } for ${take} images, expected [${take}, ${extractor.dim}]`,
        );
      const values = (await features.data()) as Float32Array;
      stats.add(values);
      if (keepFeatures) kept.push(values);
    } finally {
      if (features instanceof Tensor) features.dispose();
    }
    done += take;
    onProgress?.(done, total);
  };
  const finished = () => (total !== undefined && done >= total) || signal?.aborted === true;

  if (source === 'tensor') {
    const all = images as Tensor4D;
    for (let start = 0; start < all.shape[0] && !finished(); start += batchSize) {
      const batch = slice(all, start, Math.min(batchSize, all.shape[0] - start));
      try {
        await consume(batch as Tensor4D);
      } finally {
        batch.dispose();
      }
    }
  } else if (source === 'function') {
    const draw = images as (n: number, index: number) => Tensor4D | Promise<Tensor4D>;
    for (let index = 0; !finished(); index++) {
      const n = Math.min(batchSize, (samples as number) - done);
      const batch = await draw(n, index);
      try {
        checkBatch(`images(${n}, ${index})`, batch, range);
        // An empty batch would ask again for ever.
        if (batch.shape[0] === 0)
          throw new ArgumentError(
            FN,
            'images',
            `images(${n}, ${index}) returned 0 images; a function source must return the n images asked for`,
          );
        await consume(batch);
      } finally {
        if (batch instanceof Tensor) batch.dispose();
      }
    }
  } else {
    let index = 0;
    for await (const batch of images as AsyncIterable<Tensor4D>) {
      try {
        checkBatch(`images batch ${index++}`, batch, range);
        if (!finished()) await consume(batch);
      } finally {
        if (batch instanceof Tensor) batch.dispose();
      }
      if (finished()) break;
    }
  }
  if (signal?.aborted) throw signal.reason ?? new Error('extractFeatures: aborted');
  if (done === 0) throw new ArgumentError(FN, 'images', 'images (the source) yielded no images');
  if (!keepFeatures) return { stats };
  const values = new Float32Array(done * extractor.dim);
  let offset = 0;
  for (const part of kept) {
    values.set(part, offset);
    offset += part.length;
  }
  return { stats, features: { values, dim: extractor.dim } };
}

/** What kind of source `images` is; anything else is an error naming what it got. */
function sourceKind(images: unknown): 'tensor' | 'function' | 'iterable' {
  if (images instanceof Tensor) return 'tensor';
  if (typeof images === 'function') return 'function';
  const it = images as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown } | null;
  if (
    typeof it === 'object' &&
    it !== null &&
    (typeof it[Symbol.iterator] === 'function' || typeof it[Symbol.asyncIterator] === 'function')
  )
    return 'iterable';
  return argError(
    FN,
    'images',
    'a tf.Tensor [n, h, w, c], an iterable or async iterable of such batches, or a function (n, index) => batch',
    images,
  );
}

function checkRange(range: unknown): void {
  if (
    !Array.isArray(range) ||
    range.length !== 2 ||
    !range.every((v) => typeof v === 'number' && Number.isFinite(v)) ||
    !(range[1] > range[0])
  )
    throw new ArgumentError(
      FN,
      'range',
      `range must be an increasing pair of finite numbers [lo, hi], got ${
        Array.isArray(range) ? `[${range.map((v) => describe(v)).join(', ')}]` : describe(range)
      }`,
    );
}

function checkExtractor(extractor: unknown): asserts extractor is FeatureExtractor {
  const e = extractor as Partial<Record<keyof FeatureExtractor, unknown>> | null;
  if (typeof e !== 'object' || e === null || typeof e.extract !== 'function')
    argError(
      FN,
      'extractor',
      'a FeatureExtractor { name, dim, inputSize, extract }',
      extractor,
      'randomConvExtractor(), nsfwjsInceptionV3() or loadInceptionV3() make one',
    );
  positiveInteger(FN, 'extractor.dim', e.dim);
  const size = e.inputSize as unknown[];
  if (
    !Array.isArray(size) ||
    size.length !== 2 ||
    !size.every((v) => Number.isInteger(v) && (v as number) > 0)
  )
    argError(FN, 'extractor.inputSize', '[height, width] (positive integers)', size);
}

/**
 * One batch (or the whole tensor source): [n, h, w, 3 | 1]; a non-float32 batch needs an
 * explicit `range`, since the default [−1, 1] is for tanh outputs, not 0…255 pixel values.
 */
function checkBatch(what: string, batch: unknown, range: unknown): void {
  const raw = batch as { width?: unknown; height?: unknown; data?: unknown } | null;
  const isRawImage =
    typeof raw === 'object' && raw !== null && 'width' in raw && 'height' in raw && 'data' in raw;
  if (!(batch instanceof Tensor))
    argError(
      FN,
      what,
      'a tf.Tensor [n, h, w, c]',
      batch,
      isRawImage ? 'make tensors of RawImages with imagesToTensor() (@gan/data)' : undefined,
    );
  const t = tensorArg(FN, what, batch);
  if (t.rank !== 4 || (t.shape[3] !== 3 && t.shape[3] !== 1))
    throw new ArgumentError(
      FN,
      what,
      `${what} must have shape [n, h, w, 3] or [n, h, w, 1], got [${t.shape}]`,
    );
  if (t.dtype !== 'float32' && range === undefined)
    throw new ArgumentError(
      FN,
      what,
      `${what} are ${t.dtype}: give range (e.g. [0, 255]); the default [-1, 1] is for float32 tanh images`,
    );
}

/** [n, h, w, c] in `range` → [n, H, W, 3] in [0, 1] at the extractor's input size. */
function prepare(
  x: Tensor,
  extractor: FeatureExtractor,
  range: readonly [number, number],
  resize: FeatureResize,
): Tensor4D {
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
