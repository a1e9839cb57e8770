import {
  ArgumentError,
  argError,
  assertArg,
  integerArg,
  nonNegativeInteger,
  numberArg,
  oneOf,
  optionsArg,
  positiveInteger,
  positiveNumber,
  probability,
  SeedStream,
  seedArg,
  tensorArg,
} from '@gan/core';
import {
  abs,
  add,
  cast,
  clipByValue,
  clone,
  div,
  floor,
  greater,
  less,
  matMul,
  mean,
  mul,
  ones,
  range,
  relu,
  reshape,
  type Scalar,
  scalar,
  sign,
  sub,
  sum,
  type Tensor,
  tensor1d,
  tensor2d,
  tensor3d,
  tidy,
  transpose,
  unstack,
  type Variable,
  variable,
  where,
} from '@tensorflow/tfjs-core';

/** The transform groups of {@link adaptiveAugmentation}, in the order the pipeline applies them. */
const TRANSFORMS = ['flip', 'rotation90', 'translation', 'scale', 'color', 'cutout'] as const;

/**
 * A transform group of {@link adaptiveAugmentation}: x-flips, 90° rotations, integer translation,
 * isotropic scaling, colour (brightness, contrast, hue, saturation), cut-out.
 */
export type AdaTransform = (typeof TRANSFORMS)[number];

// The strengths of stylegan2-ada's AugmentPipe (its 'bgc' pipeline and cut-out).
/** Largest integer translation, as a fraction of the size. */
const TRANSLATION_MAX = 0.125;
/** log2 standard deviations of the isotropic scale, the contrast and the saturation. */
const SCALE_STD = 0.2;
const CONTRAST_STD = 0.5;
const SATURATION_STD = 1;
/** Standard deviation of the brightness offset (images in [−1, 1]). */
const BRIGHTNESS_STD = 0.2;
/** Side of the cut-out square, as a fraction of the size. */
const CUTOUT_SIZE = 0.5;

/**
 * The overfitting heuristic p follows (Karras et al. 2020, §3): both are 0 for a discriminator
 * that does not overfit and 1 for one that has memorised the training set.
 * - 'rt': r_t = E[sign(D(x_train))], the paper's choice, free: it reads only the step's outputs.
 *   It assumes D's outputs are centred on 0 (logits of the non-saturating, hinge and least-squares
 *   losses); a Wasserstein critic's outputs drift by any constant, so r_t says nothing there.
 * - 'rv': r_v = (E[D(x_train)] − E[D(x_validation)]) / (E[D(x_train)] − E[D(x_generated)]), on
 *   held-out real images (`validation`): invariant to D's offset and scale, so it works for
 *   WGAN critics too; costs one D pass over the validation images per update of p.
 */
export type AdaHeuristic = 'rt' | 'rv';

export interface AdaptiveAugmentationOptions {
  /** Which overfitting heuristic steers p. Default 'rt'. */
  heuristic?: AdaHeuristic;
  /**
   * Held-out real images [m, h, w, c] in [−1, 1] that training never sees: required by
   * heuristic 'rv' (a few dozen suffice; D runs on all of them, augmented, at every update of p).
   * Copied; the caller keeps ownership of the tensor it passes.
   */
  validation?: Tensor;
  /**
   * The heuristic's target: p rises while r is above it, falls while below. Default 0.6
   * (stylegan2-ada's value for r_t; r_v is on the same 0…1 scale).
   */
  target?: number;
  /** Discriminator steps between updates of p. Default 4. */
  interval?: number;
  /**
   * Real images it takes p to go from 0 to 1 when every update moves it the same way
   * (stylegan2-ada's `ada_kimg · 1000`). Default 500,000.
   */
  speed?: number;
  /** p at the start of training. Default 0. */
  initialP?: number;
  /** p never rises above this (0.8 keeps every transform of the paper non-leaking). Default 1. */
  maxP?: number;
  /** The groups applied, each with probability p. Default all. */
  transforms?: AdaTransform[];
}

/** The settings checkpoints record and compare (`initialP` has no effect on a resumed run). */
export interface AdaptiveAugmentationConfig {
  heuristic: AdaHeuristic;
  /** Held-out images (heuristic 'rv'); 0 for 'rt'. */
  validationImages: number;
  target: number;
  interval: number;
  speed: number;
  maxP: number;
  /** In pipeline order. */
  transforms: AdaTransform[];
}

/** What checkpoints keep of an adaptive augmentation: p and the statistics since its last update. */
export interface AdaptiveAugmentationState {
  p: number;
  /** The heuristic's value at the last update of p (0 before the first). */
  r: number;
  /** Σ sign(D(real)) since the last update of p (heuristic 'rt'; 0 for 'rv'). */
  signSum: number;
  /** Σ D(real) and Σ D(generated) since the last update of p (heuristic 'rv'; 0 for 'rt'). */
  realSum: number;
  fakeSum: number;
  /** Discriminator outputs (real, generated), real images and discriminator steps since the last update. */
  outputs: number;
  fakeOutputs: number;
  images: number;
  steps: number;
  /** Updates of p so far. */
  updates: number;
}

/**
 * ADA: an augmentation whose strength adapts to the discriminator's overfitting — a trainer's
 * `augment` (any loss, schedule or preset). See {@link adaptiveAugmentation}.
 */
export interface AdaptiveAugmentation {
  readonly name: 'ada';
  readonly config: Readonly<AdaptiveAugmentationConfig>;
  /** Each transform group applied to each image independently with probability p; differentiable. */
  apply(images: Tensor, seed: number): Tensor;
  /**
   * The discriminator's outputs on a real batch (and, for 'rv', on the generated batch, and D
   * itself to score the validation images): accumulated on the device, p updated every
   * `interval` calls. A trainer's discriminator steps call it.
   */
  observe(realOutput: Tensor, step?: AdaObservedStep): void;
  /**
   * `{ augmentP, augmentR }`: p and the heuristic's last value, new scalars the caller disposes
   * (trainers read them with their metrics).
   */
  metrics(): { augmentP: Scalar; augmentR: Scalar };
  /** p and the statistics (a read from the device). */
  getState(): Promise<AdaptiveAugmentationState>;
  /** Restores a {@link AdaptiveAugmentationState} exactly (p above `maxP` is lowered to it). */
  setState(state: unknown): void;
  /** Frees its two variables; it cannot be used afterwards. A trainer never disposes it. */
  dispose(): void;
}

/** What heuristic 'rv' needs from a discriminator step (a trainer's steps pass it). */
export interface AdaObservedStep {
  /** D's outputs on the step's generated batch. */
  fakeOutput?: Tensor;
  /** D on other images: a new tensor. */
  discriminate?(images: Tensor): Tensor;
}

/** The options checked under `adaptiveAugmentation`, defaults filled in. */
function adaConfig(fn: string, options: AdaptiveAugmentationOptions) {
  optionsArg(fn, options);
  const {
    heuristic = 'rt',
    validation,
    target = 0.6,
    interval = 4,
    speed = 500_000,
    initialP = 0,
    maxP = 1,
    transforms = [...TRANSFORMS],
  } = options;
  oneOf(fn, 'heuristic', heuristic, ['rt', 'rv'] as const);
  if (heuristic === 'rv') {
    if (validation === undefined)
      throw new ArgumentError(
        fn,
        'validation',
        "heuristic 'rv' needs validation: held-out real images [m, h, w, c] that training never sees",
      );
    tensorArg(fn, 'validation', validation, {
      rank: 4,
      layout: '[m, h, w, c]',
      dtype: 'float32',
      nonEmpty: true,
    });
  } else
    assertArg(
      validation === undefined,
      fn,
      () => "validation is used by heuristic 'rv' only (pass heuristic: 'rv')",
      'validation',
    );
  numberArg(fn, 'target', target, { min: 0, max: 1 });
  positiveInteger(fn, 'interval', interval);
  positiveNumber(fn, 'speed', speed);
  probability(fn, 'maxP', maxP);
  probability(fn, 'initialP', initialP);
  assertArg(
    initialP <= maxP,
    fn,
    () => `initialP must be at most maxP (${maxP}), got ${initialP}`,
    'initialP',
  );
  const expected = `a non-empty array of ${TRANSFORMS.map((t) => `'${t}'`).join(' | ')}`;
  if (!Array.isArray(transforms) || transforms.length === 0)
    argError(fn, 'transforms', expected, transforms);
  for (const [i, t] of transforms.entries()) oneOf(fn, `transforms[${i}]`, t, TRANSFORMS);
  assertArg(
    new Set(transforms).size === transforms.length,
    fn,
    () => `transforms lists a group twice: [${transforms.join(', ')}]`,
    'transforms',
  );
  const config: AdaptiveAugmentationConfig = {
    heuristic,
    validationImages: heuristic === 'rv' ? (validation as Tensor).shape[0] : 0,
    target,
    interval,
    speed,
    maxP,
    transforms: TRANSFORMS.filter((t) => transforms.includes(t)),
  };
  return { config, initialP, validation: heuristic === 'rv' ? validation : undefined };
}

/**
 * The per-sample parameters, each with the gate that switches it (stylegan2-ada gates the
 * brightness, contrast, hue and saturation of the colour group one by one) and the value that
 * leaves the image as it is. Ungated ones (null) pass through.
 */
const PARAMS = {
  flipSign: { gate: 'flip', neutral: 1 },
  rotationA: { gate: 'rotation90', neutral: 1 },
  rotationB: { gate: 'rotation90', neutral: 1 },
  rotationSwap: { gate: 'rotation90', neutral: 0 },
  translationX: { gate: 'translation', neutral: 0 },
  translationY: { gate: 'translation', neutral: 0 },
  inverseScale: { gate: 'scale', neutral: 1 },
  brightness: { gate: 'brightness', neutral: 0 },
  contrast: { gate: 'contrast', neutral: 1 },
  hueCos: { gate: 'hue', neutral: 1 },
  hueSin: { gate: 'hue', neutral: 0 },
  saturation: { gate: 'saturation', neutral: 1 },
  /** Half the cut-out's side (as a fraction of the size); 0 cuts nothing. */
  cutoutHalf: { gate: 'cutout', neutral: 0 },
  cutoutX: { gate: null, neutral: 0 },
  cutoutY: { gate: null, neutral: 0 },
} as const;
type Param = keyof typeof PARAMS;
const NAMES = Object.keys(PARAMS) as Param[];
type Gate = NonNullable<(typeof PARAMS)[Param]['gate']>;
const GATES: readonly Gate[] = [
  'flip',
  'rotation90',
  'translation',
  'scale',
  'brightness',
  'contrast',
  'hue',
  'saturation',
  'cutout',
];
/** The transform group each gate belongs to. */
const GROUP: Record<Gate, AdaTransform> = {
  flip: 'flip',
  rotation90: 'rotation90',
  translation: 'translation',
  scale: 'scale',
  brightness: 'color',
  contrast: 'color',
  hue: 'color',
  saturation: 'color',
  cutout: 'cutout',
};

/**
 * The 90° rotation by k as a pull-back from output to input coordinates (x right, y down, both
 * centred): input = swap ? (a·y, b·x) : (a·x, b·y) — stylegan2-ada's rotate2d_inv(−π/2·k).
 */
const ROTATIONS = [
  { a: 1, b: 1, swap: 0 },
  { a: -1, b: 1, swap: 1 },
  { a: -1, b: -1, swap: 0 },
  { a: 1, b: -1, swap: 1 },
];

/**
 * Draws every parameter of n samples from `seed`, in a fixed order whatever the enabled groups,
 * as two [params, n] arrays: the values, and for each its gate's uniform, which opens the gate
 * when below p (24-bit uniforms: exact in float32 and < 1). Disabled groups' gates never open
 * (2), ungated parameters always do (−1).
 */
function drawParams(n: number, h: number, w: number, seed: number, enabled: Set<AdaTransform>) {
  const stream = new SeedStream(seed);
  const uniform = () => (stream.nextUint32() >>> 8) / 2 ** 24;
  const values = new Float32Array(NAMES.length * n);
  const gates = new Float32Array(NAMES.length * n);
  for (let i = 0; i < n; i++) {
    const u = Object.fromEntries(
      GATES.map((g) => {
        const drawn = uniform(); // drawn either way: the other groups' draws stay the same
        return [g, enabled.has(GROUP[g]) ? drawn : 2];
      }),
    );
    const flip = Math.floor(uniform() * 2);
    const rotation = ROTATIONS[Math.floor(uniform() * 4)];
    const theta = (uniform() * 2 - 1) * Math.PI;
    const drawn: Record<Param, number> = {
      flipSign: 1 - 2 * flip,
      rotationA: rotation.a,
      rotationB: rotation.b,
      rotationSwap: rotation.swap,
      translationX: Math.round((uniform() * 2 - 1) * TRANSLATION_MAX * w),
      translationY: Math.round((uniform() * 2 - 1) * TRANSLATION_MAX * h),
      inverseScale: 2 ** (-SCALE_STD * stream.normal()),
      brightness: BRIGHTNESS_STD * stream.normal(),
      contrast: 2 ** (CONTRAST_STD * stream.normal()),
      hueCos: Math.cos(theta),
      hueSin: Math.sin(theta),
      saturation: 2 ** (SATURATION_STD * stream.normal()),
      cutoutHalf: CUTOUT_SIZE / 2,
      cutoutX: uniform(),
      cutoutY: uniform(),
    };
    NAMES.forEach((name, k) => {
      const { gate } = PARAMS[name];
      values[k * n + i] = drawn[name];
      gates[k * n + i] = gate === null ? -1 : u[gate];
    });
  }
  return { values, gates };
}

/**
 * [n, L, L] bilinear resampling matrices of one axis: output index u reads the source coordinate
 * sign·((u + ½ − L/2)·inverseScale − shift) + L/2 − ½, reflected at the borders (stylegan2-ada
 * pads by reflection), as the tent weights max(0, 1 − |source − j|). Integer coordinates give
 * exact 0/1 matrices. Built on the device from the per-sample parameters ([n]).
 */
function axisMatrices(
  n: number,
  length: number,
  sign: Tensor,
  inverseScale: Tensor,
  shift: Tensor,
): Tensor {
  const column = (t: Tensor) => reshape(t, [n, 1, 1]);
  const centred = reshape(tensor1d(Array.from({ length }, (_, u) => u + 0.5 - length / 2)), [
    1,
    length,
    1,
  ]);
  let source = add(
    mul(column(sign), sub(mul(centred, column(inverseScale)), column(shift))),
    length / 2 - 0.5,
  );
  if (length > 1) {
    // Reflection without repeating the edge: period 2(L − 1), folded into [0, L − 1].
    const period = 2 * (length - 1);
    const m = sub(source, mul(floor(div(source, period)), period));
    source = sub(length - 1, abs(sub(m, length - 1)));
  }
  const j = reshape(range(0, length, 1, 'float32'), [1, 1, length]);
  return relu(sub(1, abs(sub(source, j))));
}

/** Resamples [n, h, w, c] images along both axes: rows[n] (h×h) · image · cols[n]ᵀ (w×w). */
function resample(columnsFirst: Tensor, rows: Tensor, cols: Tensor): Tensor {
  // `columnsFirst` is [n, w, h, c]: the columns' axis leads, so one batched product mixes it.
  const [n, w, h, c] = columnsFirst.shape;
  const mixed = reshape(matMul(cols, reshape(columnsFirst, [n, w, h * c])), [n, w, h, c]);
  const byRows = reshape(transpose(mixed, [0, 2, 1, 3]), [n, h, w * c]);
  return reshape(matMul(rows, byRows), [n, h, w, c]);
}

/** The grey axis's projector J/3 and cross-product matrix [v]× (v = (1, 1, 1)/√3), as [1, 3, 3]. */
function colourBasis() {
  const k = 1 / Math.sqrt(3);
  return {
    identity: tensor3d([1, 0, 0, 0, 1, 0, 0, 0, 1], [1, 3, 3]),
    grey: tensor3d(new Array(9).fill(1 / 3), [1, 3, 3]),
    cross: tensor3d([0, -k, k, k, 0, -k, -k, k, 0], [1, 3, 3]),
  };
}

/**
 * Adaptive discriminator augmentation (ADA; Karras et al. 2020, "Training Generative Adversarial
 * Networks with Limited Data", NVlabs/stylegan2-ada): every image the discriminator sees, real or
 * generated, goes through x-flips, 90° rotations, integer translation, isotropic scaling,
 * brightness, contrast, hue and saturation, and cut-out, each applied to each image independently
 * with probability p; p follows the discriminator's overfitting. After every `interval`
 * discriminator steps, with r the overfitting heuristic over those steps ({@link AdaHeuristic}:
 * r_t = E[sign(D(real))], or r_v from held-out reals for Wasserstein critics),
 *
 *   p ← clip(p + sign(r − target) · images / speed, 0, maxP)
 *
 * (images: the real images of those steps, batch · interval). p, r and the running sums live on
 * the device as tf.Variables, so training never waits for a read; `getState` reads them for
 * checkpoints, which restore them exactly. Every op has its gradient on cpu, wasm, webgl and
 * webgpu (no gather), so the generator's gradient flows through; p = 0 returns the images
 * unchanged, exactly. Images [n, h, w, c] in [−1, 1]; 'rotation90' needs h = w; hue and
 * saturation apply to RGB (c = 3) only.
 *
 * `createTrainer({ augment: adaptiveAugmentation() })` calls `observe` after each discriminator
 * step and reports p and r as `augmentP` and `augmentR` in its metrics; `dispose()` it when done
 * (it holds variables).
 */
export function adaptiveAugmentation(
  options: AdaptiveAugmentationOptions = {},
): AdaptiveAugmentation {
  const fn = 'adaptiveAugmentation';
  const { config, initialP, validation: given } = adaConfig(fn, options);
  const { heuristic, target, interval, speed, maxP } = config;
  const enabled = new Set<AdaTransform>(config.transforms);
  /** A non-trainable scalar variable (the scalar it starts from is freed). */
  const scalarVariable = (value: number): Variable => tidy(() => variable(scalar(value), false));
  const p = scalarVariable(initialP);
  const r = scalarVariable(0);
  /** Σ sign(D(real)) ('rt'), Σ D(real) and Σ D(generated) ('rv') since the last update. */
  const sums = { sign: scalarVariable(0), real: scalarVariable(0), fake: scalarVariable(0) };
  const validation = given ? clone(given) : undefined;
  const counts = { outputs: 0, fakeOutputs: 0, images: 0, steps: 0, updates: 0 };
  let disposed = false;
  const alive = (method: string) => {
    if (disposed) throw new Error(`${fn}.${method}: used after dispose()`);
  };

  function apply(images: Tensor, seed: number): Tensor {
    const name = `${fn}.apply`;
    alive('apply');
    tensorArg(name, 'images', images, {
      rank: 4,
      layout: '[n, h, w, c]',
      dtype: 'float32',
      nonEmpty: true,
    });
    seedArg(name, 'seed', seed);
    const [n, h, w, c] = images.shape;
    if (enabled.has('rotation90') && h !== w)
      throw new ArgumentError(
        fn,
        'transforms',
        `'rotation90' needs square images, these are ${h}×${w} (leave it out of transforms)`,
      );
    const { values, gates } = drawParams(n, h, w, seed, enabled);
    return tidy(() => {
      // Every parameter gated at once: its value where its gate's uniform is below p, its
      // neutral value elsewhere. Gated-off images thus meet identity parameters (sign 1, shift
      // 0, scale 1, the identity colour matrix, an empty cut-out), whose 0/1 weights reproduce
      // them exactly: no per-image select.
      const neutral = tensor2d(
        NAMES.map((name) => PARAMS[name].neutral),
        [NAMES.length, 1],
      );
      const open = less(tensor2d(gates, [NAMES.length, n]), p);
      const rows = unstack(where(open, tensor2d(values, [NAMES.length, n]), neutral));
      const param = (name: Param) => rows[NAMES.indexOf(name)];
      /**
       * Per-image values ([n]) spread over `shape` ([n, …]). A product with ones: cheaper than a
       * broadcasting binary op on the cpu backend, and exact (1 · v).
       */
      const spread = (v: Tensor, shape: number[]) =>
        reshape(
          matMul(reshape(v, [n, 1, 1]), ones([1, 1, shape.slice(1).reduce((a, b) => a * b)])),
          shape,
        );
      let x = images;

      // Geometry: one bilinear resampling per axis (pull-back x_in = D4 · (x_out / s − t)).
      if (TRANSFORMS.slice(0, 4).some((t) => enabled.has(t))) {
        const a = mul(param('flipSign'), param('rotationA'));
        const b = param('rotationB');
        const swap = param('rotationSwap');
        const inverseScale = param('inverseScale');
        // After a swap (odd rotations) the source is the transposed image, whose rows are the
        // output's columns: the signs trade places (a + swap · (b − a), exact for 0/1 swaps).
        const colSign = add(a, mul(swap, sub(b, a)));
        const rowSign = add(b, mul(swap, sub(a, b)));
        const cols = axisMatrices(n, w, colSign, inverseScale, param('translationX'));
        const rowsMatrix = axisMatrices(n, h, rowSign, inverseScale, param('translationY'));
        // resample() wants the columns' axis first: the transposed image, or x itself for a swap.
        let columnsFirst = transpose(x, [0, 2, 1, 3]);
        if (enabled.has('rotation90')) {
          const m = spread(swap, x.shape);
          columnsFirst = add(mul(x, m), mul(columnsFirst, sub(1, m)));
        }
        x = resample(columnsFirst, rowsMatrix, cols);
      }

      if (enabled.has('color')) {
        const contrast = param('contrast');
        let y: Tensor;
        if (c === 3) {
          // x → contrast · (S·R·x) + contrast · brightness: R the hue rotation about the grey
          // axis v, S the saturation (v vᵀ + s·(I − v vᵀ)); S·R = α·I + (1 − α)·J/3 + β·[v]×
          // with α = s·cos θ, β = s·sin θ (exactly I for α = 1, β = 0).
          const s = param('saturation');
          const alpha = mul(s, param('hueCos'));
          const beta = mul(s, param('hueSin'));
          const basis = colourBasis();
          const m = (t: Tensor) => reshape(t, [n, 1, 1]);
          const linear = mul(
            m(contrast),
            add(
              add(mul(m(alpha), basis.identity), mul(m(sub(1, alpha)), basis.grey)),
              mul(m(beta), basis.cross),
            ),
          );
          y = reshape(matMul(reshape(x, [n, h * w, 3]), linear, false, true), x.shape);
        } else y = mul(x, spread(contrast, x.shape));
        x = add(y, spread(mul(contrast, param('brightness')), x.shape));
      }

      if (enabled.has('cutout')) {
        // Zero the pixels whose centres lie within the half side of a uniform centre on both
        // axes: an outer product of the two axes' 0/1 masks (half side 0 when gated off).
        const inside = (size: number, centre: Param) => {
          const coords = tensor1d(Array.from({ length: size }, (_, i) => (i + 0.5) / size));
          const d = abs(sub(reshape(coords, [1, size]), reshape(param(centre), [n, 1])));
          return cast(less(d, reshape(param('cutoutHalf'), [n, 1])), 'float32'); // [n, size]
        };
        const square = matMul(
          reshape(inside(h, 'cutoutY'), [n, h, 1]),
          reshape(inside(w, 'cutoutX'), [n, 1, w]),
        );
        const cut = reshape(matMul(reshape(square, [n, h * w, 1]), ones([1, 1, c])), x.shape);
        x = mul(x, sub(1, cut));
      }
      return x; // a new tensor: `transforms` is never empty
    });
  }

  /** r from the sums since the last update (and, for 'rv', D on the validation images). */
  function heuristicValue(discriminate?: (images: Tensor) => Tensor): Scalar {
    if (heuristic === 'rt') return div(sums.sign, counts.outputs) as Scalar;
    const images = validation as Tensor;
    // The validation images augmented as training images are (seeded by the update's number,
    // so a resumed run draws the same): D compares like with like.
    const augmented = apply(images, new SeedStream(counts.updates).nextSeed());
    const valMean = mean((discriminate as (x: Tensor) => Tensor)(augmented));
    const realMean = div(sums.real, counts.outputs);
    const gap = sub(realMean, div(sums.fake, counts.fakeOutputs));
    // A critic that cannot tell generated from training images shows no overfitting: r = 0.
    const positive = greater(gap, 0);
    return where(positive, div(sub(realMean, valMean), where(positive, gap, 1)), 0) as Scalar;
  }

  /** p ← clip(p + sign(r − target) · images / speed, 0, maxP); the statistics restart. */
  function update(discriminate?: (images: Tensor) => Tensor): void {
    const step = counts.images / speed;
    tidy(() => {
      const value = heuristicValue(discriminate);
      r.assign(value);
      p.assign(clipByValue(add(p, mul(sign(sub(value, target)), step)), 0, maxP) as Scalar);
      for (const v of Object.values(sums)) v.assign(scalar(0));
    });
    Object.assign(counts, {
      outputs: 0,
      fakeOutputs: 0,
      images: 0,
      steps: 0,
      updates: counts.updates + 1,
    });
  }

  function observe(realOutput: Tensor, step: AdaObservedStep = {}): void {
    const name = `${fn}.observe`;
    alive('observe');
    tensorArg(name, 'realOutput', realOutput, { minRank: 1, dtype: 'float32', nonEmpty: true });
    if (heuristic === 'rv') {
      optionsArg(name, step, { arg: 'step' });
      const hint = "heuristic 'rv' needs it (a trainer's discriminator steps pass it)";
      if (step.fakeOutput === undefined)
        throw new ArgumentError(name, 'step.fakeOutput', `step.fakeOutput is missing: ${hint}`);
      tensorArg(name, 'step.fakeOutput', step.fakeOutput, {
        minRank: 1,
        dtype: 'float32',
        nonEmpty: true,
      });
      if (typeof step.discriminate !== 'function')
        argError(
          name,
          'step.discriminate',
          `a function images => D(images) (${hint})`,
          step.discriminate,
        );
    }
    const fakeOutput = step.fakeOutput as Tensor;
    tidy(() => {
      if (heuristic === 'rt') sums.sign.assign(add(sums.sign, sum(sign(realOutput))) as Scalar);
      else {
        sums.real.assign(add(sums.real, sum(realOutput)) as Scalar);
        sums.fake.assign(add(sums.fake, sum(fakeOutput)) as Scalar);
      }
    });
    counts.outputs += realOutput.size;
    if (heuristic === 'rv') counts.fakeOutputs += fakeOutput.size;
    counts.images += realOutput.shape[0];
    counts.steps++;
    if (counts.steps >= interval) update(step.discriminate?.bind(step));
  }

  async function getState(): Promise<AdaptiveAugmentationState> {
    alive('getState');
    const [pValue, rValue, signSum, realSum, fakeSum] = await Promise.all(
      [p, r, sums.sign, sums.real, sums.fake].map(async (v) => (await v.data())[0]),
    );
    const { outputs, fakeOutputs, images, steps, updates } = counts;
    return {
      p: pValue,
      r: rValue,
      signSum,
      realSum,
      fakeSum,
      outputs,
      fakeOutputs,
      images,
      steps,
      updates,
    };
  }

  function setState(state: unknown): void {
    const name = `${fn}.setState`;
    alive('setState');
    const s = optionsArg(name, state as AdaptiveAugmentationState, {
      arg: 'state',
      required: true,
    });
    const pValue = probability(name, 'state.p', s.p);
    // States written before the 'rv' heuristic lack r, realSum, fakeSum and fakeOutputs: 0.
    const rValue = numberArg(name, 'state.r', s.r ?? 0);
    const signSum = integerArg(name, 'state.signSum', s.signSum);
    const realSum = numberArg(name, 'state.realSum', s.realSum ?? 0);
    const fakeSum = numberArg(name, 'state.fakeSum', s.fakeSum ?? 0);
    const restored = {
      outputs: nonNegativeInteger(name, 'state.outputs', s.outputs),
      fakeOutputs: nonNegativeInteger(name, 'state.fakeOutputs', s.fakeOutputs ?? 0),
      images: nonNegativeInteger(name, 'state.images', s.images),
      steps: nonNegativeInteger(name, 'state.steps', s.steps),
      updates: nonNegativeInteger(name, 'state.updates', s.updates),
    };
    assertArg(
      Math.abs(signSum) <= restored.outputs,
      name,
      () => `state.signSum (${signSum}) cannot exceed state.outputs (${restored.outputs})`,
      'state.signSum',
    );
    tidy(() => {
      p.assign(scalar(Math.min(pValue, maxP)));
      r.assign(scalar(rValue));
      sums.sign.assign(scalar(signSum));
      sums.real.assign(scalar(realSum));
      sums.fake.assign(scalar(fakeSum));
    });
    Object.assign(counts, restored);
  }

  return {
    name: 'ada',
    config,
    apply,
    observe,
    metrics: () => {
      alive('metrics');
      return { augmentP: clone(p) as Scalar, augmentR: clone(r) as Scalar };
    },
    getState,
    setState,
    dispose() {
      if (disposed) return;
      disposed = true;
      p.dispose();
      r.dispose();
      for (const v of Object.values(sums)) v.dispose();
      validation?.dispose();
    },
  };
}
