import { expectArgError, expectNoLeaks, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as losses from './index';

// Tiny tensors shared by every case (made once the backend is ready); no check reads their data.
let x: tf.Tensor; // [n] logits, n = 2
let images: tf.Tensor;
let empty: tf.Tensor;
let column: tf.Tensor;
let intAlpha: tf.Tensor;
let threeAlpha: tf.Tensor;
beforeAll(() => {
  x = tf.tensor1d([0.5, -1]);
  images = tf.zeros([2, 2, 2, 1]);
  empty = tf.zeros([0, 2, 2, 1]);
  column = tf.zeros([2, 1]);
  intAlpha = tf.tensor1d([0, 1], 'int32');
  threeAlpha = tf.ones([3]);
});
afterAll(() => tf.dispose([x, images, empty, column, intAlpha, threeAlpha]));
const linear = (v: tf.Tensor) => tf.sum(v, [1, 2, 3]);

/** [name, call, fn, arg, tail]: one row of the audit each (#n), or a wording kept in line. */
const cases: [string, () => unknown, string, string, RegExp][] = [
  // #10 / #53 (H1, H2): bceWithLogits checked nothing; [n, 1] logits and [n] targets broadcast to [n, n].
  [
    '#10 targets of another shape',
    () => losses.bceWithLogits(column, x),
    'bceWithLogits',
    'targets',
    /targets must be a number in \[0, 1\], a scalar tf.Tensor or a tf.Tensor of logits' shape \[2,1\], got a float32 tf.Tensor of shape \[2\]$/,
  ],
  [
    '#10 a target outside [0, 1]',
    () => losses.bceWithLogits(x, 1.5),
    'bceWithLogits',
    'targets',
    /got 1.5$/,
  ],
  [
    '#53 logits undefined',
    () => losses.bceWithLogits(undefined as never, 1),
    'bceWithLogits',
    'logits',
    /logits must be a tf.Tensor, got undefined$/,
  ],
  // #11 (H1): an empty batch gave NaN.
  [
    '#11 gradientPenalty empty batch',
    () => losses.gradientPenalty(linear, empty, empty),
    'gradientPenalty',
    'real',
    /real is empty \(shape \[0,2,2,1\]\)$/,
  ],
  [
    '#11 r1Penalty empty batch',
    () => losses.r1Penalty(linear, empty),
    'r1Penalty',
    'real',
    /real is empty/,
  ],
  [
    '#11 r2Penalty empty batch',
    () => losses.r2Penalty(linear, empty),
    'r2Penalty',
    'fake',
    /fake is empty/,
  ],
  [
    '#11 draganPenalty empty batch',
    () => losses.draganPenalty(linear, empty),
    'draganPenalty',
    'real',
    /real is empty/,
  ],
  // #12 (H1): a scalar (or another batch size) from the critic scaled the norms by 1/n silently.
  [
    '#12 gradientPenalty scalar critic output',
    () => losses.gradientPenalty((v) => tf.mean(v), images, images),
    'gradientPenalty',
    'critic',
    /critic must return one score per sample \(\[2\] or \[2, 1\]\), got shape \[\]$/,
  ],
  [
    '#12 r1Penalty critic output of another batch size',
    () => losses.r1Penalty((v) => tf.sum(v, [0, 1, 2]), images),
    'r1Penalty',
    'critic',
    /got shape \[1\]$/,
  ],
  [
    '#12 draganPenalty scalar critic output',
    () => losses.draganPenalty((v) => tf.sum(v), images, { seed: 1 }),
    'draganPenalty',
    'critic',
    /one score per sample/,
  ],
  // #51 (H2): the critic itself.
  [
    '#51 critic undefined',
    () => losses.gradientPenalty(undefined as never, images, images),
    'gradientPenalty',
    'critic',
    /critic must be a function of images or a tfjs-layers model \(with apply\), got undefined$/,
  ],
  [
    '#51 critic a number',
    () => losses.r2Penalty(3 as never, images),
    'r2Penalty',
    'critic',
    /got 3$/,
  ],
  // #102 (H3): the critic's non-tensor output named no function.
  [
    '#102 critic returns an array',
    () => losses.gradientPenalty(() => [images] as never, images, images),
    'gradientPenalty',
    'critic',
    /critic must return a single tf.Tensor, got an array of 1$/,
  ],
  // #52 / #103 (H2, H3): alpha.
  [
    '#52 alpha a number',
    () => losses.gradientPenalty(linear, images, images, { alpha: 0.5 as never }),
    'gradientPenalty',
    'alpha',
    /alpha must be a tf.Tensor, got 0.5$/,
  ],
  [
    '#52 alpha int32',
    () => losses.gradientPenalty(linear, images, images, { alpha: intAlpha }),
    'gradientPenalty',
    'alpha',
    /alpha must be float32, got int32$/,
  ],
  [
    '#52 alpha of another length',
    () => losses.draganPenalty(linear, images, { alpha: threeAlpha }),
    'draganPenalty',
    'alpha',
    /alpha must have shape \[2\], got \[3\]$/,
  ],
  // #54 (H2): weightClipping's weights.
  [
    '#54 weights undefined',
    () => losses.weightClipping(undefined as never, 0.01),
    'weightClipping',
    'weights',
    /weights must be an array of tf.Variables \/ layer weights or a model or layer with trainableWeights, got undefined$/,
  ],
  [
    '#54 a weight without read/write',
    () => losses.weightClipping([x] as never, 0.01),
    'weightClipping',
    'weights[0]',
    /weights\[0\] must be a tf.Variable or a layer weight \(read\/write\), got a float32 tf.Tensor of shape \[2\]$/,
  ],
  // L: one message for c.
  [
    'L weightClipping c 0',
    () => losses.weightClipping([], 0),
    'weightClipping',
    'c',
    /c must be a finite number > 0, got 0$/,
  ],
  // #134 (M): options null.
  [
    '#134 a generator loss with options null',
    () => losses.wassersteinGeneratorLoss(x, null as never),
    'wassersteinGeneratorLoss',
    'options',
    /options must be an object, got null$/,
  ],
  [
    '#134 a discriminator loss with options null',
    () => losses.hingeDiscriminatorLoss(x, x, null as never),
    'hingeDiscriminatorLoss',
    'options',
    /got null$/,
  ],
  [
    '#134 minimaxDiscriminatorLoss options null',
    () => losses.minimaxDiscriminatorLoss(x, x, null as never),
    'minimaxDiscriminatorLoss',
    'options',
    /got null$/,
  ],
  [
    '#134 leastSquaresGeneratorLoss options null',
    () => losses.leastSquaresGeneratorLoss(x, null as never),
    'leastSquaresGeneratorLoss',
    'options',
    /got null$/,
  ],
  [
    '#134 gradientPenalty options null',
    () => losses.gradientPenalty(linear, images, images, null as never),
    'gradientPenalty',
    'options',
    /got null$/,
  ],
  [
    '#134 r1Penalty options a number',
    () => losses.r1Penalty(linear, images, 10 as never),
    'r1Penalty',
    'options',
    /options must be an object, got 10$/,
  ],
  // §6: the enum format and quoted strings; oneOf refuses prototype keys.
  [
    'reduction a typo',
    () => losses.hingeGeneratorLoss(x, { reduction: 'avg' as never }),
    'hingeGeneratorLoss',
    'reduction',
    /reduction must be 'mean' \| 'sum' \| 'none', got 'avg'$/,
  ],
  [
    'reduction a prototype key',
    () => losses.relativisticAverageDiscriminatorLoss(x, x, { reduction: 'toString' as never }),
    'relativisticAverageDiscriminatorLoss',
    'reduction',
    /got 'toString'$/,
  ],
  // L: seeds reached tfjs unchecked (a string seed concatenated in draganPenalty).
  [
    'L minimaxDiscriminatorLoss seed',
    () => losses.minimaxDiscriminatorLoss(x, x, { flipProbability: 0.1, seed: -1 }),
    'minimaxDiscriminatorLoss',
    'seed',
    /seed must be an integer in \[0, 2\^32\), got -1$/,
  ],
  [
    'L draganPenalty seed a string',
    () => losses.draganPenalty(linear, images, { seed: '7' as never }),
    'draganPenalty',
    'seed',
    /got '7'$/,
  ],
  [
    'L gradientPenalty seed 1.5',
    () => losses.gradientPenalty(linear, images, images, { seed: 1.5 }),
    'gradientPenalty',
    'seed',
    /got 1.5$/,
  ],
  // L: flags and "got" on the non-tensor images.
  [
    'L gradientPenalty training not a boolean',
    () => losses.gradientPenalty(linear, images, images, { training: 'yes' as never }),
    'gradientPenalty',
    'training',
    /training must be true or false, got 'yes'$/,
  ],
  [
    'L gradientPenalty oneSided not a boolean',
    () => losses.gradientPenalty(linear, images, images, { oneSided: 1 as never }),
    'gradientPenalty',
    'oneSided',
    /got 1$/,
  ],
  [
    'L r1Penalty real not a tensor',
    () => losses.r1Penalty(linear, [1, 2] as never),
    'r1Penalty',
    'real',
    /real must be a tf.Tensor, got an array of 2$/,
  ],
  [
    'L gradientPenalty fake disposed',
    () => {
      const gone = tf.zeros([2, 2, 2, 1]);
      gone.dispose();
      return losses.gradientPenalty(linear, images, gone);
    },
    'gradientPenalty',
    'fake',
    /fake is a disposed tf.Tensor$/,
  ],
  [
    'L draganPenalty perturbation checked before any work',
    () => losses.draganPenalty(linear, images, { perturbation: -1 }),
    'draganPenalty',
    'perturbation',
    /perturbation must be a finite number ≥ 0, got -1$/,
  ],
  [
    'L draganPenalty weight named by draganPenalty',
    () => losses.draganPenalty(linear, images, { weight: Number.NaN }),
    'draganPenalty',
    'weight',
    /weight must be a finite number ≥ 0, got NaN$/,
  ],
];

describe(`losses: every misuse throws an ArgumentError naming the function and argument [${testBackend()}]`, () => {
  it.each(cases)('%s', (_name, call, fn, arg, tail) => {
    expectNoLeaks(() => expectArgError(call, fn, arg, tail));
  });
});

describe(`losses: correct calls the new checks accept [${testBackend()}]`, () => {
  it('bceWithLogits takes numbers in [0, 1], scalar tensors and tensors of the logits shape', () => {
    const y = tf.tensor1d([1, 0]);
    const half = tf.scalar(0.5);
    const values = expectNoLeaks(() =>
      tf.tidy(() => [
        losses.bceWithLogits(x, 0),
        losses.bceWithLogits(x, 1),
        losses.bceWithLogits(x, y),
        losses.bceWithLogits(x, half),
      ]),
    );
    expect(values.map((v) => v.shape)).toEqual([[2], [2], [2], [2]]);
    tf.dispose([y, half, ...values]);
  });

  it('penalties take critics scoring [n], [n, 1] or [n, …] (a patch critic)', () => {
    const critics = [
      linear,
      (v: tf.Tensor) => tf.reshape(linear(v), [2, 1]),
      (v: tf.Tensor) => tf.sum(v, [3], true), // [n, h, w, 1]
    ];
    for (const critic of critics) {
      const values = expectNoLeaks(() => [
        losses.gradientPenalty(critic, images, images, { seed: 1 }),
        losses.r1Penalty(critic, images),
        losses.draganPenalty(critic, images, { seed: 2 }),
      ]);
      for (const v of values) expect(Number.isFinite(v.dataSync()[0])).toBe(true);
      tf.dispose(values);
    }
  });

  it('weightClipping takes variables, layer weights and a model', () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 1 })] });
    const v = tf.variable(tf.tensor1d([1, -1]));
    expect(losses.weightClipping([v], 0.5)).toBe(1);
    expect(losses.weightClipping(model.trainableWeights as never, 0.5)).toBe(2);
    expect(losses.weightClipping(model, 0.5)).toBe(2);
    v.dispose();
    model.dispose();
  });
});
