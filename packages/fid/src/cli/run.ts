import { readFile, stat, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { imageFolder } from '@gan/data/node';
import { DEFAULT_BATCH_SIZE, extractFeatures } from '../extract';
import { type FeatureExtractor, scoreLabel } from '../extractor';
import { FeatureStats } from '../feature-stats';
import { frechetDistance, type GaussianStats } from '../frechet';
import { kernelInceptionDistance } from '../kid';
import { readNpzStats, writeNpzStats } from '../npz';
import { precisionRecall, precisionRecallLabel } from '../precision-recall';

/** What one side of a comparison is: images in a folder, or saved statistics. */
export interface Side {
  path: string;
  stats: FeatureStats | GaussianStats;
  /** Feature rows (folders only): KID and precision/recall need them. */
  features?: { values: Float32Array; dim: number };
  /** The extractor and resize policy the statistics came from, when known. */
  meta: Record<string, unknown>;
}

export interface FidRunOptions {
  extractor: FeatureExtractor;
  /** Images per folder (default all). */
  samples?: number;
  /** Images per forward pass. Default 16 (`DEFAULT_BATCH_SIZE`). */
  batchSize?: number;
  kid?: boolean;
  /** Improved precision and recall (k = 3) on the same features. */
  precisionRecall?: boolean;
  /** Saves the first input's statistics (.npz: pytorch-fid's mu/sigma; else @gan/fid's format). */
  saveStats?: string;
  log?: (line: string) => void;
  /** Progress for a folder: (path, done, total). */
  onProgress?: (path: string, done: number, total: number | undefined) => void;
}

export interface FidRunResult {
  fid: number;
  /** "FID" or "FID-like (…; not comparable to published FID)". */
  label: string;
  kid?: { mean: number; std: number; label: string };
  /** The first input as the real set, the second as the generated one. */
  precisionRecall?: { precision: number; recall: number; k: number; label: string };
  extractor: string;
  resize: string;
  counts: (number | undefined)[];
}

/** How folder images reach the extractor: decoded to 8 bits, then Pillow-style bicubic. */
export function folderResizePolicy(extractor: FeatureExtractor): string {
  const [h, w] = extractor.inputSize;
  return `8-bit images, alpha on white, stretched to ${w}×${h} by Pillow-equivalent bicubic (@gan/data; clean-fid's resizer)`;
}

async function loadSide(path: string, options: FidRunOptions): Promise<Side> {
  const info = await stat(path).catch(() => {
    throw new Error(`gan-fid: ${path} does not exist`);
  });
  if (info.isFile()) {
    const bytes = new Uint8Array(await readFile(path));
    if (extname(path).toLowerCase() === '.npz') {
      // pytorch-fid statistics carry no record of their network: assume the standard one.
      return { path, stats: readNpzStats(bytes), meta: { source: 'pytorch-fid .npz' } };
    }
    const stats = FeatureStats.load(bytes);
    return { path, stats, meta: stats.meta };
  }
  const { extractor } = options;
  const [size] = extractor.inputSize;
  const images = await imageFolder(path, {
    resolution: size,
    fit: 'fill',
    method: 'bicubic',
    background: 'white',
    cache: false,
  });
  if (images.report.skipped.length > 0)
    options.log?.(`${path}: skipped ${images.report.skipped.length} unreadable files`);
  const total = Math.min(images.length, options.samples ?? Number.POSITIVE_INFINITY);
  const result = await extractFeatures(
    images.batches(options.batchSize ?? DEFAULT_BATCH_SIZE, { dropRemainder: false }),
    extractor,
    {
      samples: total,
      keepFeatures: options.kid || options.precisionRecall,
      onProgress: (done) => options.onProgress?.(path, done, total),
    },
  );
  result.stats.meta = { ...result.stats.meta, resize: folderResizePolicy(extractor), source: path };
  return { path, stats: result.stats, features: result.features, meta: result.stats.meta };
}

/** Compares two folders or statistics files, as the `gan-fid` command does. */
export async function runFid(a: string, b: string, options: FidRunOptions): Promise<FidRunResult> {
  const sides = [await loadSide(a, options), await loadSide(b, options)];
  const names = sides.map((s) => String(s.meta.extractor ?? 'standard InceptionV3 (pytorch-fid)'));
  const ours = options.extractor.name;
  // Folders use the chosen extractor; statistics must have come from the same one.
  for (const [i, side] of sides.entries()) {
    if (side.stats instanceof FeatureStats && names[i] !== ours)
      throw new Error(
        `gan-fid: ${side.path} holds features from "${names[i]}", not from "${ours}": they cannot be compared`,
      );
    if (!(side.stats instanceof FeatureStats) && !options.extractor.standard)
      throw new Error(
        `gan-fid: ${side.path} is pytorch-fid statistics (standard InceptionV3): compare it with --extractor inception=<weights>, not ${ours}`,
      );
  }
  if (options.saveStats) {
    const first = sides[0].stats;
    const bytes =
      extname(options.saveStats).toLowerCase() === '.npz'
        ? writeNpzStats(
            first instanceof FeatureStats
              ? { mean: first.mean(), covariance: first.covariance() }
              : first,
          )
        : first instanceof FeatureStats
          ? first.save()
          : null;
    if (!bytes) throw new Error('gan-fid: --save-stats of .npz input: give a .npz output path');
    await writeFile(options.saveStats, bytes);
    options.log?.(`saved the statistics of ${a} to ${options.saveStats}`);
  }
  const fid = frechetDistance(sides[0].stats, sides[1].stats, {
    onWarning: (message) => options.log?.(`warning: ${message}`),
  });
  const result: FidRunResult = {
    fid,
    label: scoreLabel(options.extractor),
    extractor: ours,
    resize: String(sides.find((s) => s.meta.resize)?.meta.resize ?? 'unknown'),
    counts: sides.map((s) => s.stats.count),
  };
  if (options.kid) {
    const [fa, fb] = sides.map((s) => s.features);
    if (!fa || !fb)
      throw new Error('gan-fid: --kid needs two image folders (statistics files hold no features)');
    const n = Math.min(fa.values.length / fa.dim, fb.values.length / fb.dim);
    const kid = kernelInceptionDistance(fa, fb, { subsets: 100, subsetSize: Math.min(1000, n) });
    result.kid = { mean: kid.mean, std: kid.std, label: scoreLabel(options.extractor, 'KID') };
  }
  if (options.precisionRecall) {
    const [real, fake] = sides.map((s) => s.features);
    if (!real || !fake)
      throw new Error(
        'gan-fid: --precision-recall needs two image folders (statistics files hold no features)',
      );
    const { precision, recall, k } = precisionRecall(real, fake);
    const label = precisionRecallLabel(options.extractor, k);
    result.precisionRecall = { precision, recall, k, label };
  }
  return result;
}
