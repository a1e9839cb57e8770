import {
  checkGradients,
  expectArgError,
  expectClose,
  expectNoLeaks,
  testBackend,
} from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AdaptiveAugmentation,
  type AdaptiveAugmentationOptions,
  type AdaTransform,
  adaptiveAugmentation,
} from './ada';

// cpu and wasm compute the 0/1 resampling matrices exactly; WebGL's float shaders may not.
const exact = testBackend() !== 'webgl';

const made: AdaptiveAugmentation[] = [];
/** An adaptive augmentation disposed after the test. */
function ada(options: AdaptiveAugmentationOptions = {}): AdaptiveAugmentation {
  const a = adaptiveAugmentation(options);
  made.push(a);
  return a;
}
afterEach(() => {
  for (const a of made.splice(0)) a.dispose();
});

/** One group at p = 1. */
const only = (group: AdaTransform) => ada({ transforms: [group], initialP: 1 });

/** `apply` on a copy of `image` ([h, w, c] values) repeated n times, as n arrays of h·w·c. */
function applyEach(
  augmentation: AdaptiveAugmentation,
  image: number[],
  shape: [number, number, number],
  n: number,
  seed: number,
): Float32Array[] {
  const x = tf.tidy(() => tf.tile(tf.tensor4d(image, [1, ...shape]), [n, 1, 1, 1]));
  const out = augmentation.apply(x, seed);
  const values = out.dataSync() as Float32Array;
  tf.dispose([x, out]);
  const size = shape[0] * shape[1] * shape[2];
  return Array.from({ length: n }, (_, i) => values.slice(i * size, (i + 1) * size));
}

/** Distinct values 0…h·w−1 of one channel, as a flat [h, w, 1] image. */
const ramp = (h: number, w: number) => Array.from({ length: h * w }, (_, i) => i);

/** out[y][x] = image[map(y, x)] for an [h, w] single-channel image. */
function remap(image: number[], h: number, w: number, map: (y: number, x: number) => number[]) {
  const out: number[] = [];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [sy, sx] = map(y, x);
      out.push(image[sy * w + sx]);
    }
  return out;
}

/** Index of the candidate `values` equals (within `tol`), or −1. */
function whichOf(values: Float32Array, candidates: number[][]): number {
  return candidates.findIndex((c) =>
    c.every((v, i) => Math.abs(values[i] - v) <= (exact ? 0 : 1e-5)),
  );
}

describe(`adaptiveAugmentation [${testBackend()}]`, () => {
  it('p = 0 returns the images unchanged, exactly, for every seed', () => {
    const augmentation = ada();
    const x = tf.randomUniform([6, 8, 8, 3], -1, 1, 'float32', 3);
    for (const seed of [1, 2, 3]) {
      const out = augmentation.apply(x, seed);
      expect(out.shape).toEqual(x.shape);
      expect(Array.from(out.dataSync())).toEqual(Array.from(x.dataSync()));
      out.dispose();
    }
    x.dispose();
  });

  it('is reproducible per seed and leak-free (apply, observe, metrics, state)', async () => {
    const augmentation = ada({ initialP: 0.5 });
    const x = tf.randomUniform([4, 8, 8, 3], -1, 1, 'float32', 4);
    const [a, b, c] = expectNoLeaks(() => [
      augmentation.apply(x, 9),
      augmentation.apply(x, 9),
      augmentation.apply(x, 10),
    ]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
    const logits = tf.ones([4, 1]);
    for (let i = 0; i < 9; i++) expectNoLeaks(() => augmentation.observe(logits));
    const { augmentP } = expectNoLeaks(() => augmentation.metrics());
    const state = await augmentation.getState();
    expectNoLeaks(() => augmentation.setState(state));
    tf.dispose([x, a, b, c, logits, augmentP]);
    // Made and disposed, it leaves nothing behind (its variables, its copy of the validation set).
    const validation = tf.zeros([2, 8, 8, 3]);
    expectNoLeaks(() => {
      adaptiveAugmentation().dispose();
      adaptiveAugmentation({ heuristic: 'rv', validation }).dispose();
    });
    validation.dispose();
  });

  it('flip mirrors left–right (p/2 of the images: stylegan2-ada flips with a coin once gated)', () => {
    const [h, w] = [3, 4];
    const image = ramp(h, w);
    const mirrored = remap(image, h, w, (y, x) => [y, w - 1 - x]);
    const outs = applyEach(only('flip'), image, [h, w, 1], 64, 5);
    const kinds = outs.map((o) => whichOf(o, [image, mirrored]));
    expect(kinds).not.toContain(-1);
    expect(kinds.filter((k) => k === 1).length).toBeGreaterThan(16);
    expect(kinds.filter((k) => k === 0).length).toBeGreaterThan(16);
  });

  it('rotation90 rotates by 0, 90, 180 or 270° (a known 3×3 image)', () => {
    const image = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    // Counter-clockwise quarter turns of [[0,1,2],[3,4,5],[6,7,8]].
    const rotations = [image, [2, 5, 8, 1, 4, 7, 0, 3, 6], [8, 7, 6, 5, 4, 3, 2, 1, 0]];
    rotations.push([6, 3, 0, 7, 4, 1, 8, 5, 2]);
    const kinds = applyEach(only('rotation90'), image, [3, 3, 1], 64, 6).map((o) =>
      whichOf(o, rotations),
    );
    expect(kinds).not.toContain(-1);
    for (const k of [0, 1, 2, 3]) expect(kinds.filter((v) => v === k).length).toBeGreaterThan(5);
  });

  it('translation moves pixels by an integer (up to 1/8 of the size), reflecting at the borders', () => {
    const [h, w] = [16, 16];
    const image = ramp(h, w);
    const reflect = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
    const shifts: number[][] = [];
    const candidates: number[][] = [];
    for (let dy = -2; dy <= 2; dy++)
      for (let dx = -2; dx <= 2; dx++) {
        shifts.push([dx, dy]);
        candidates.push(remap(image, h, w, (y, x) => [reflect(y - dy, h), reflect(x - dx, w)]));
      }
    const kinds = applyEach(only('translation'), image, [h, w, 1], 48, 7).map((o) =>
      whichOf(o, candidates),
    );
    expect(kinds).not.toContain(-1);
    const moved = kinds.filter((k) => shifts[k][0] !== 0 || shifts[k][1] !== 0);
    expect(moved.length).toBeGreaterThan(24);
    expect(new Set(kinds).size).toBeGreaterThan(8);
  });

  it('scale resamples: constant images stay constant, values stay in range, images change', () => {
    const augmentation = only('scale');
    const constant = applyEach(augmentation, new Array(64).fill(0.25), [8, 8, 1], 16, 8);
    for (const o of constant) expectClose(o, new Array(64).fill(0.25), { rtol: 1e-5 });
    const image = ramp(8, 8);
    const outs = applyEach(augmentation, image, [8, 8, 1], 16, 8);
    for (const o of outs) {
      expect(Math.min(...o)).toBeGreaterThanOrEqual(-1e-6);
      expect(Math.max(...o)).toBeLessThanOrEqual(Math.max(...image) + 1e-6);
    }
    const changed = outs.filter((o) => o.some((v, i) => Math.abs(v - image[i]) > 1e-3));
    expect(changed.length).toBeGreaterThan(12);
  });

  it('color: grey stays grey, each pixel’s grey level and chroma move by one affine map per image', () => {
    // Pixels: two greys and three colours.
    const pixels = [
      [0.2, 0.2, 0.2],
      [-0.5, -0.5, -0.5],
      [0.5, -0.2, 0.1],
      [-0.3, 0.4, 0.6],
      [0.1, 0.7, -0.6],
    ];
    const outs = applyEach(only('color'), pixels.flat(), [1, 5, 3], 32, 9);
    const mean = (p: ArrayLike<number>) => (p[0] + p[1] + p[2]) / 3;
    const chroma = (p: ArrayLike<number>) => Math.hypot(...Array.from(p, (v) => v - mean(p)));
    let recoloured = 0;
    for (const o of outs) {
      const px = [0, 1, 2, 3, 4].map((i) => o.slice(3 * i, 3 * i + 3));
      // Grey pixels keep r = g = b.
      for (const g of [px[0], px[1]]) expect(chroma(g)).toBeLessThan(1e-5);
      // Grey level: out = c · (in + b), the same (c, b) for every pixel of the image.
      const slope = (mean(px[0]) - mean(px[1])) / (0.2 - -0.5);
      const greyLevels = pixels.map((p) => mean(px[1]) + slope * (mean(p) + 0.5));
      expectClose(px.map(mean), greyLevels, { rtol: 1e-4 });
      // Chroma: scaled by one factor c · s (a rotation about the grey axis keeps its length).
      const factor = chroma(px[2]) / chroma(pixels[2]);
      expectClose(
        [3, 4].map((i) => chroma(px[i])),
        [3, 4].map((i) => factor * chroma(pixels[i])),
        { rtol: 1e-4 },
      );
      // The hue turned: the colour is not a multiple of the original one.
      const d = px[2].map((v) => v - mean(px[2]));
      const e = pixels[2].map((v) => v - mean(pixels[2]));
      const cos = d.reduce((s, v, k) => s + v * e[k], 0) / (chroma(px[2]) * chroma(pixels[2]));
      if (Math.abs(cos) < 0.99) recoloured++;
    }
    expect(recoloured).toBeGreaterThan(24);
  });

  it('cutout zeroes one square (half the size, clipped at the borders) and keeps the rest', () => {
    const [h, w] = [8, 8];
    for (const o of applyEach(only('cutout'), new Array(h * w).fill(1), [h, w, 1], 32, 10)) {
      const zeros = [...o.keys()].filter((i) => o[i] === 0);
      expect(o.every((v) => v === 0 || v === 1)).toBe(true);
      const ys = zeros.map((i) => Math.floor(i / w));
      const xs = zeros.map((i) => i % w);
      const height = Math.max(...ys) - Math.min(...ys) + 1;
      const width = Math.max(...xs) - Math.min(...xs) + 1;
      expect(zeros.length).toBe(height * width); // a full rectangle
      for (const side of [height, width]) {
        expect(side).toBeGreaterThanOrEqual(2);
        expect(side).toBeLessThanOrEqual(4);
      }
      // Only a square clipped by a border is narrower than 4.
      if (height < 4) expect(Math.min(...ys) === 0 || Math.max(...ys) === h - 1).toBe(true);
      if (width < 4) expect(Math.min(...xs) === 0 || Math.max(...xs) === w - 1).toBe(true);
    }
  });

  it('gates each image independently with probability p', () => {
    const augmentation = ada({ transforms: ['cutout'], initialP: 0.3 });
    const ones = tf.ones([1000, 4, 4, 1]);
    let cut = 0;
    for (const seed of [11, 12]) {
      const out = augmentation.apply(ones, seed);
      const values = out.dataSync();
      for (let i = 0; i < 1000; i++) if (values.subarray(i * 16, i * 16 + 16).includes(0)) cut++;
      out.dispose();
    }
    // 2,000 draws: the binomial's standard deviation is 0.01.
    expect(cut / 2000).toBeGreaterThan(0.26);
    expect(cut / 2000).toBeLessThan(0.34);
    ones.dispose();
  });

  it('lets the gradient reach the generator through every transform (finite, non-zero)', () => {
    const [n, h, w, c] = [4, 4, 4, 3];
    const z = tf.randomNormal([n, 3], 0, 1, 'float32', 13);
    const weights = tf.variable(tf.randomNormal([3, h * w * c], 0, 1, 'float32', 14));
    const r = tf.randomNormal([n, h, w, c], 0, 1, 'float32', 15);
    for (const group of [
      'flip',
      'rotation90',
      'translation',
      'scale',
      'color',
      'cutout',
    ] as const) {
      const augmentation = only(group);
      const { value, grads } = tf.variableGrads(
        () =>
          tf.sum(
            tf.mul(
              augmentation.apply(tf.reshape(tf.tanh(tf.matMul(z, weights)), [n, h, w, c]), 16),
              r,
            ),
          ) as tf.Scalar,
        [weights],
      );
      const g = Array.from(grads[weights.name].dataSync());
      expect(g.every(Number.isFinite), group).toBe(true);
      expect(Math.max(...g.map(Math.abs)), group).toBeGreaterThan(0);
      tf.dispose([value, grads[weights.name]]);
    }
    tf.dispose([z, weights, r]);
  });

  it('its gradient with respect to the images matches finite differences (all groups, p = 0.7)', () => {
    const augmentation = ada({ initialP: 0.7 });
    const x = tf.randomUniform([3, 4, 4, 3], -1, 1, 'float32', 17);
    const r = tf.randomNormal([3, 4, 4, 3], 0, 1, 'float32', 18);
    checkGradients(
      (xi: tf.Tensor) => tf.sum(tf.mul(augmentation.apply(xi, 19), r)) as tf.Scalar,
      [x],
    );
    tf.dispose([x, r]);
  });

  it('raises p when D is sure of the real images, lowers it otherwise, within [0, maxP]', async () => {
    // interval 3 steps of 5 images, speed 100: each update moves p by 15/100.
    const augmentation = ada({ interval: 3, speed: 100, maxP: 0.4 });
    const p = async () => (await augmentation.getState()).p;
    const positive = tf.fill([5, 1], 2);
    const negative = tf.fill([5, 1], -0.1);
    augmentation.observe(positive);
    augmentation.observe(positive);
    expect(await p()).toBe(0); // not before `interval` steps
    expect(await augmentation.getState()).toMatchObject({ signSum: 10, outputs: 10, steps: 2 });
    augmentation.observe(positive);
    expect(await p()).toBe(Math.fround(0.15));
    expect(await augmentation.getState()).toMatchObject({ signSum: 0, steps: 0, updates: 1 });
    for (let i = 0; i < 9; i++) augmentation.observe(positive);
    expect(await p()).toBe(Math.fround(0.4)); // clamped at maxP
    for (let i = 0; i < 3; i++) augmentation.observe(negative);
    expect(await p()).toBeCloseTo(0.25, 6);
    for (let i = 0; i < 12; i++) augmentation.observe(negative);
    expect(await p()).toBe(0); // clamped at 0
    tf.dispose([positive, negative]);
  });

  it('steers by r_t over all outputs of the interval against the target', async () => {
    const augmentation = ada({ interval: 2, speed: 40, target: 0.6 });
    const p = async () => (await augmentation.getState()).p;
    // 8 outputs with 7 positive: r_t = 6/8 = 0.75 > 0.6 → p += 8/40 (batch 4, 2 steps).
    const a = tf.tensor2d([1, 1, 1, 1], [4, 1]);
    const b = tf.tensor2d([1, 1, 1, -1], [4, 1]);
    augmentation.observe(a);
    augmentation.observe(b);
    expect(await p()).toBe(Math.fround(0.2));
    // 3 of 4 positive in each step: r_t = 0.5 < 0.6 → p −= 0.2.
    augmentation.observe(b);
    augmentation.observe(b);
    expect(await p()).toBe(0);
    // A [n, 2] output (patches): images count rows, the mean runs over every output.
    const patches = tf.ones([3, 2]);
    augmentation.observe(patches);
    augmentation.observe(patches);
    expect(await p()).toBe(Math.fround(6 / 40));
    tf.dispose([a, b, patches]);
  });

  it('reports p as augmentP, restores its state exactly, and continues identically', async () => {
    const one = ada({ interval: 3, speed: 70, initialP: 0.5 });
    // Signs sum to 1 of 5: r_t = 0.2 < 0.6, so each update lowers p by 15/70 (float32 steps).
    const logits = tf.tensor2d([0.5, -1, 2, 3, -0.2], [5, 1]);
    for (let i = 0; i < 7; i++) one.observe(logits);
    const state = await one.getState();
    const step = Math.fround(15 / 70);
    expect(state).toEqual({
      p: Math.fround(Math.fround(0.5 - step) - step),
      r: Math.fround(0.2),
      signSum: 1,
      realSum: 0,
      fakeSum: 0,
      outputs: 5,
      fakeOutputs: 0,
      images: 5,
      steps: 1,
      updates: 2,
    });
    const { augmentP, augmentR } = one.metrics();
    expect(augmentP.dataSync()[0]).toBe(state.p);
    expect(augmentR.dataSync()[0]).toBe(state.r);
    tf.dispose([augmentP, augmentR]);
    const other = ada({ interval: 3, speed: 70 });
    other.setState(JSON.parse(JSON.stringify(state)));
    expect(await other.getState()).toEqual(state);
    for (const a of [one, other]) for (let i = 0; i < 5; i++) a.observe(logits);
    expect(await other.getState()).toEqual(await one.getState());
    const x = tf.randomUniform([4, 8, 8, 3], -1, 1, 'float32', 20);
    const [y1, y2] = [one.apply(x, 21), other.apply(x, 21)];
    expect(Array.from(y2.dataSync())).toEqual(Array.from(y1.dataSync()));
    tf.dispose([logits, x, y1, y2]);
  });

  describe("heuristic 'rv' (held-out reals: for critics without a fixed offset)", () => {
    /**
     * A fake D that scores every validation image `val` (the step's outputs are given), and
     * counts its calls.
     */
    function critic(val: number) {
      const calls: number[][] = [];
      return {
        calls,
        discriminate: (images: tf.Tensor) => {
          calls.push(images.shape);
          return tf.fill([images.shape[0], 1], val);
        },
      };
    }

    it('steers p by (E[D(train)] − E[D(val)]) / (E[D(train)] − E[D(gen)]), whatever D’s offset', async () => {
      const validation = tf.zeros([3, 4, 4, 3]);
      for (const offset of [0, -100, 1e3]) {
        const augmentation = ada({ heuristic: 'rv', validation, interval: 2, speed: 40 });
        const state = () => augmentation.getState();
        const real = tf.fill([4, 1], offset + 2);
        const fake = tf.fill([4, 1], offset);
        // Validation scored like generated images: r = (2 − 0) / (2 − 0) = 1 > 0.6 → p up 8/40.
        const memorised = critic(offset);
        augmentation.observe(real, { fakeOutput: fake, ...memorised });
        expect(memorised.calls).toEqual([]); // only at the update
        augmentation.observe(real, { fakeOutput: fake, ...memorised });
        expect(memorised.calls).toEqual([[3, 4, 4, 3]]);
        const first = await state();
        expect(first).toMatchObject({ p: Math.fround(0.2), realSum: 0, updates: 1 });
        // Exact on cpu and wasm; WebGL's shaders divide sums near 1e3 to float32 rounding.
        if (exact) expect(first.r).toBe(1);
        else expectClose(first.r, 1, { atol: 1e-4 });
        // Validation scored like training images: r = 0 → p down.
        const general = critic(offset + 2);
        augmentation.observe(real, { fakeOutput: fake, ...general });
        augmentation.observe(real, { fakeOutput: fake, ...general });
        const second = await state();
        expect(second.p).toBe(0);
        if (exact) expect(second.r).toBe(0);
        else expectClose(second.r, 0, { atol: 1e-4 });
        // Halfway (validation at offset + 0.8): r = 0.6 is not above the target.
        const half = critic(offset + 0.8);
        augmentation.observe(real, { fakeOutput: fake, ...half });
        augmentation.observe(real, { fakeOutput: fake, ...half });
        expectClose((await state()).r, 0.6, { atol: 1e-3 }); // float32 sums near 1e3
        tf.dispose([real, fake]);
      }
      validation.dispose();
    });

    it('reads no overfitting (r = 0) from a critic that cannot tell generated from real', async () => {
      const validation = tf.zeros([2, 4, 4, 3]);
      const augmentation = ada({ heuristic: 'rv', validation, interval: 1, initialP: 0.5 });
      const same = tf.fill([4, 1], 1.5);
      const worse = tf.fill([4, 1], 3);
      augmentation.observe(same, { fakeOutput: same, ...critic(-7) });
      expect(await augmentation.getState()).toMatchObject({ r: 0 });
      augmentation.observe(same, { fakeOutput: worse, ...critic(-7) }); // fakes scored higher
      const { p, r } = await augmentation.getState();
      expect(r).toBe(0);
      expect(p).toBeLessThan(0.5);
      tf.dispose([validation, same, worse]);
    });

    it('augments the validation images at the current p, seeded by the update (exact resume)', async () => {
      const validation = tf.randomUniform([2, 8, 8, 3], -1, 1, 'float32', 3);
      const options = { heuristic: 'rv', validation, interval: 1, initialP: 0.7 } as const;
      const [one, other] = [ada(options), ada(options)];
      validation.dispose(); // copied by the augmentation
      const real = tf.fill([4, 1], 2);
      const fake = tf.zeros([4, 1]);
      const seen: number[][] = [];
      const d = (images: tf.Tensor) => {
        seen.push(Array.from(images.dataSync()));
        return tf.mean(images, [1, 2, 3]);
      };
      one.observe(real, { fakeOutput: fake, discriminate: d });
      other.setState(JSON.parse(JSON.stringify(await one.getState())));
      one.observe(real, { fakeOutput: fake, discriminate: d });
      other.observe(real, { fakeOutput: fake, discriminate: d });
      expect(seen[1]).not.toEqual(seen[0]); // a new draw at every update
      expect(seen[2]).toEqual(seen[1]); // the resumed copy draws the same
      expect(await other.getState()).toEqual(await one.getState());
      expectNoLeaks(() => one.observe(real, { fakeOutput: fake, discriminate: d }));
      tf.dispose([real, fake]);
    });

    it('names what is missing', () => {
      const fn = 'adaptiveAugmentation';
      expectArgError(() => adaptiveAugmentation({ heuristic: 'rv' }), fn, 'validation', /held-out/);
      expectArgError(
        () => adaptiveAugmentation({ heuristic: 'rx' as never }),
        fn,
        'heuristic',
        /got 'rx'/,
      );
      const images = tf.zeros([2, 4, 4, 3]);
      expectArgError(
        () => adaptiveAugmentation({ validation: images }),
        fn,
        'validation',
        /heuristic 'rv' only/,
      );
      const flat = tf.zeros([2, 4]);
      expectArgError(
        () => adaptiveAugmentation({ heuristic: 'rv', validation: flat }),
        fn,
        'validation',
        /rank 4/,
      );
      const augmentation = ada({ heuristic: 'rv', validation: images });
      const out = tf.ones([4, 1]);
      expectArgError(
        () => augmentation.observe(out),
        `${fn}.observe`,
        'step.fakeOutput',
        /missing/,
      );
      expectArgError(
        () => augmentation.observe(out, { fakeOutput: out }),
        `${fn}.observe`,
        'step.discriminate',
      );
      tf.dispose([images, flat, out]);
    });
  });

  it('names the argument of every misuse', () => {
    const fn = 'adaptiveAugmentation';
    expectArgError(() => adaptiveAugmentation({ target: 2 }), fn, 'target', /got 2/);
    expectArgError(() => adaptiveAugmentation({ interval: 0 }), fn, 'interval', /got 0/);
    expectArgError(() => adaptiveAugmentation({ speed: -1 }), fn, 'speed', /got -1/);
    expectArgError(() => adaptiveAugmentation({ maxP: 1.5 }), fn, 'maxP', /got 1.5/);
    expectArgError(
      () => adaptiveAugmentation({ initialP: 0.9, maxP: 0.8 }),
      fn,
      'initialP',
      /at most maxP/,
    );
    expectArgError(() => adaptiveAugmentation({ transforms: [] }), fn, 'transforms', /non-empty/);
    expectArgError(
      () => adaptiveAugmentation({ transforms: ['blur' as AdaTransform] }),
      fn,
      'transforms[0]',
      /got 'blur'/,
    );
    expectArgError(
      () => adaptiveAugmentation({ transforms: ['flip', 'flip'] }),
      fn,
      'transforms',
      /twice/,
    );
    expectArgError(() => adaptiveAugmentation(5 as never), fn, 'options');
    const augmentation = ada();
    const wide = tf.zeros([2, 4, 8, 3]);
    expectArgError(() => augmentation.apply(wide, 1), fn, 'transforms', /square.*4×8/);
    const flat = tf.zeros([4, 8, 3]);
    expectArgError(() => augmentation.apply(flat, 1), `${fn}.apply`, 'images', /rank 4/);
    expectArgError(() => augmentation.apply(wide, -1), `${fn}.apply`, 'seed', /got -1/);
    expectArgError(() => augmentation.observe([1, 2] as never), `${fn}.observe`, 'realOutput');
    expectArgError(
      () => augmentation.setState({ p: 2 }),
      `${fn}.setState`,
      'state.p',
      /probability/,
    );
    expectArgError(() => augmentation.setState(null), `${fn}.setState`, 'state');
    // Non-square images are fine without rotations.
    const noRotation = ada({ transforms: ['flip', 'translation', 'scale', 'color', 'cutout'] });
    tf.dispose(noRotation.apply(wide, 1));
    const gone = adaptiveAugmentation();
    gone.dispose();
    expect(() => gone.apply(wide, 1)).toThrow(/apply: used after dispose/);
    tf.dispose([wide, flat]);
  });
});
