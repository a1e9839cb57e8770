import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  ArgumentError,
  argError,
  booleanArg,
  nonNegativeInteger,
  optionsArg,
  positiveInteger,
  SeedStream,
  sampleLatents,
  seedArg,
  tensorArg,
} from '@gan/core';
import { writeFileAtomic } from '@gan/core/node';
import {
  encodePng,
  GifStream,
  imageGrid,
  type RgbaImage,
  scaleToWidth,
  upscaleNearest,
} from '@gan/data';
import { decodeImage } from '@gan/data/node';
import { dispose, type Tensor, tidy, tile } from '@tensorflow/tfjs-core';
import type { TrainerCallback } from '../../callbacks/callback';
import { type Every, everyArg } from '../../callbacks/every';
import type { StepMetrics, Trainer } from '../../trainer/types';

export interface SampleGridOptions {
  /** The folder the PNGs (and the GIF) go to; created if missing. */
  dir: string;
  /** Default `{ epochs: 1 }`. */
  every?: number | Every;
  /** Samples per grid, from fixed latents. Default 64 (a class-conditional grid: classes × cols). */
  count?: number;
  /**
   * For a class-conditional trainer: one row per class, `cols` samples each, the same latent
   * down each column (so a column shows one z as every class). Default true; false samples
   * `count` images with the classes in turn.
   */
  byClass?: boolean;
  /** Images per row. Default 8. */
  cols?: number;
  /** Pixels between images. Default 1. */
  padding?: number;
  /** Seed of the fixed latents (drawn through `SeedStream`). Default 0. */
  seed?: number;
  /** The fixed latents themselves, `[count, latentDim]`, instead of drawing them (the caller keeps and disposes them). */
  latents?: Tensor;
  /** The progress GIF's file name in `dir` (every grid a frame); `false` for none. Default 'progress.gif'. */
  gif?: string | false;
  /** Milliseconds a GIF frame shows. Default 300. */
  gifDelay?: number;
  /** Also a grid when `fit` ends (`samples-final.png`). Default true. */
  final?: boolean;
  /**
   * Grids narrower than this many pixels are written enlarged to at least this width (nearest
   * neighbour, by a whole factor), with the 1:1 grid beside as `….raw.png`; the GIF at the same
   * scale. 0 writes 1:1 grids only. Default 512: a 137-pixel grid of 64 16-pixel samples is a
   * postage stamp in an image viewer.
   */
  minWidth?: number;
}

const label = (every: Every, m: Pick<StepMetrics, 'epoch' | 'iteration'>) =>
  'epochs' in every
    ? `samples-epoch-${String(m.epoch).padStart(3, '0')}.png`
    : `samples-iteration-${String(m.iteration).padStart(7, '0')}.png`;

/** The grids this callback writes: `samples-epoch-NNN.png`, `samples-iteration-NNNNNNN.png` (and `.raw.png`). */
const GRID = /^samples-(epoch|iteration)-(\d+)(\.raw)?\.png$/;
const rawName = (name: string) => name.replace(/\.png$/, '.raw.png');

/**
 * A grid PNG of the sampler's images (the EMA generator when enabled) on fixed latents at
 * `every`, and a progress GIF of all grids. A run from iteration 0 replaces the folder's earlier
 * grids; a resumed run keeps those up to where it resumed, and they open the GIF.
 */
export function sampleGrid(options: SampleGridOptions): TrainerCallback {
  const fn = 'sampleGrid';
  optionsArg(fn, options, { required: true });
  if (typeof options.dir !== 'string' || options.dir === '')
    argError(fn, 'dir', 'a folder path', options.dir);
  const every = everyArg(fn, 'every', options.every ?? { epochs: 1 });
  const count = positiveInteger(fn, 'count', options.count ?? 64);
  const cols = positiveInteger(fn, 'cols', options.cols ?? 8);
  const padding = nonNegativeInteger(fn, 'padding', options.padding ?? 1);
  const seed = seedArg(fn, 'seed', options.seed ?? 0);
  const fixedLatents =
    options.latents == null
      ? undefined
      : tensorArg(fn, 'latents', options.latents, {
          rank: 2,
          shape: [count, null],
          layout: '[count, latentDim]',
        });
  const gif = options.gif ?? 'progress.gif';
  if (gif !== false && (typeof gif !== 'string' || gif === ''))
    argError(fn, 'gif', 'a file name or false', gif);
  const delay = positiveInteger(fn, 'gifDelay', options.gifDelay ?? 300);
  const final = booleanArg(fn, 'final', options.final ?? true);
  const byClass = booleanArg(fn, 'byClass', options.byClass ?? true);
  const minWidth = nonNegativeInteger(fn, 'minWidth', options.minWidth ?? 512);
  const scaleOf = (width: number) => scaleToWidth(width, minWidth);
  let latents: Tensor | undefined;
  // Each grid is encoded into the GIF once (re-encoding all frames per grid was quadratic).
  let frames: GifStream | undefined;
  /** Appends a frame; frames of another size (an earlier run's) cannot share a GIF: it restarts. */
  const addFrame = (grid: RgbaImage) => {
    const size = frames?.frameSize;
    if (!frames || size?.width !== grid.width || size?.height !== grid.height)
      frames = new GifStream({ delay, scale: scaleOf(grid.width) });
    frames.add(grid);
    return frames;
  };

  /** The latents (and a conditional grid's labels) of every grid, fixed at the first. */
  function fixedInputs(trainer: Trainer): { z: Tensor; labels?: number[] } {
    const k = trainer.context.numClasses;
    if (k === undefined || !byClass) {
      latents ??=
        fixedLatents ?? sampleLatents(count, trainer.context.latentDim, new SeedStream(seed));
      return { z: latents };
    }
    const labels = Array.from({ length: k * cols }, (_, i) => Math.floor(i / cols));
    if (fixedLatents && fixedLatents.shape[0] !== k * cols)
      throw new ArgumentError(
        fn,
        'latents',
        `a class-conditional grid has ${k} classes × ${cols} columns = ${k * cols} samples; latents has ${fixedLatents.shape[0]} (pass count: ${k * cols} with them, or byClass: false)`,
      );
    latents ??=
      fixedLatents ??
      tidy(() =>
        tile(sampleLatents(cols, trainer.context.latentDim, new SeedStream(seed)), [k, 1]),
      );
    return { z: latents, labels };
  }

  async function write(trainer: Trainer, name: string): Promise<void> {
    const { z, labels } = fixedInputs(trainer);
    const images = tidy(() => trainer.generate(z, labels ? { labels } : {}));
    try {
      const grid = await imageGrid(images, { cols, padding });
      const scale = scaleOf(grid.width);
      await writeFileAtomic(join(options.dir, name), encodePng(upscaleNearest(grid, scale)));
      if (scale > 1) await writeFileAtomic(join(options.dir, rawName(name)), encodePng(grid));
      if (gif) await writeFileAtomic(join(options.dir, gif), addFrame(grid).bytes());
    } finally {
      images.dispose();
    }
  }

  return {
    name: fn,
    every,
    async onTrainBegin(_, plan) {
      mkdirSync(options.dir, { recursive: true });
      // The GIF restarts from the grids on disk (a resumed run's earlier ones, never the final).
      frames = undefined;
      const grids = readdirSync(options.dir)
        .map((file) => ({ file, at: GRID.exec(file) }))
        .filter((g): g is { file: string; at: RegExpExecArray } => g.at !== null)
        .sort((a, b) => a.file.localeCompare(b.file));
      for (const { file, at } of grids) {
        const position = Number(at[2]);
        const before = at[1] === 'epoch' ? plan.startEpoch : plan.startIteration;
        // A fresh run replaces the folder's grids; a resumed one keeps those up to where it resumed.
        if (plan.startIteration === 0 || position > before) {
          rmSync(join(options.dir, file), { force: true });
          continue;
        }
        // The GIF's frames are the 1:1 grids: the .raw.png beside an enlarged one.
        if (!gif || at[3] !== undefined) continue;
        const raw = join(options.dir, rawName(file));
        try {
          const source = existsSync(raw) ? raw : join(options.dir, file);
          const { width, height, data } = await decodeImage(readFileSync(source));
          addFrame({ width, height, data });
        } catch {
          // Unreadable (or no decoder): the GIF starts from this run's grids.
        }
      }
    },
    onStep: (trainer, metrics) => write(trainer, label(every, metrics)),
    async onTrainEnd(trainer) {
      if (final) await write(trainer, 'samples-final.png');
    },
    dispose() {
      if (latents !== fixedLatents) dispose(latents);
      latents = undefined;
    },
  };
}
