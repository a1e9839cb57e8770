import {
  checkGradients,
  expectArgError,
  expectClose,
  expectNoLeaks,
  rawCritic,
  testBackend,
} from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/losses.json';
import { draganPenalty, gradientPenalty, r1Penalty, r2Penalty } from './gradient-penalty';

const { params, penalties } = fixture.critic;
const WEIGHT_NAMES = ['w1', 'b1', 'w2', 'b2', 'wd', 'bd'] as const;
type Name = (typeof WEIGHT_NAMES)[number];

const fromFixture = (name: keyof typeof params) =>
  tf.tensor(params[name].values, params[name].shape);
/** PyTorch conv weights [out, in, kh, kw] → tfjs [kh, kw, in, out]. */
const convWeight = (name: 'w1' | 'w2') =>
  tf.tidy(() => tf.transpose(fromFixture(name), [2, 3, 1, 0]));
const tfjsWeights = (): Record<Name, tf.Tensor> => ({
  w1: convWeight('w1'),
  b1: fromFixture('b1'),
  w2: convWeight('w2'),
  b2: fromFixture('b2'),
  wd: fromFixture('wd'),
  bd: fromFixture('bd'),
});
/** Gradients w.r.t. tfjs conv weights, back in PyTorch's layout for comparison. */
const toTorchLayout = (name: Name, g: tf.Tensor) =>
  name === 'w1' || name === 'w2' ? tf.transpose(g, [3, 2, 0, 1]) : g;

// The fixture's critic: conv 3×3 s1 p1 → leakyRelu → conv 4×4 s2 p1 → leakyRelu → dense.
const critic = rawCritic([
  { stride: 1, pad: 1 },
  { stride: 2, pad: 1 },
]);

function penalty(
  name: string,
  criticFn: (x: tf.Tensor) => tf.Tensor,
  options: Record<string, unknown>,
  alpha: tf.Tensor,
): tf.Scalar {
  const [real, fake] = [fromFixture('real'), fromFixture('fake')];
  const result =
    name === 'r1Penalty'
      ? r1Penalty(criticFn, real, options)
      : gradientPenalty(criticFn, real, fake, { ...options, alpha });
  tf.dispose([real, fake]);
  return result;
}

function layersCritic(weights: Record<Name, tf.Tensor>): tfl.LayersModel {
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [4, 4, 2], filters: 3, kernelSize: 3, padding: 'same' }),
      tfl.layers.leakyReLU({ alpha: 0.2 }),
      // TF 'same' pads 4×4 input, 4×4 kernel, stride 2 by 1 on each side, like PyTorch's padding=1.
      tfl.layers.conv2d({ filters: 4, kernelSize: 4, strides: 2, padding: 'same' }),
      tfl.layers.leakyReLU({ alpha: 0.2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 1 }),
    ],
  });
  model.setWeights(WEIGHT_NAMES.map((n) => weights[n]));
  return model;
}

describe(`penalties match PyTorch double backprop (float64) [${testBackend()}]`, () => {
  for (const c of penalties) {
    const used = WEIGHT_NAMES.filter((n) => !c.unused.includes(n));

    it(`${c.name}: value and critic-weight gradients, critic as a function`, () => {
      const weights = tfjsWeights();
      const alpha = fromFixture('alpha');
      const grads = expectNoLeaks(() =>
        tf.tidy(() => {
          const f = (...w: tf.Tensor[]) => {
            const all = { ...weights, ...Object.fromEntries(used.map((n, i) => [n, w[i]])) };
            return penalty(
              c.fn,
              (x) =>
                critic.apply(
                  x,
                  WEIGHT_NAMES.map((n) => all[n]),
                ),
              c.options,
              alpha,
            );
          };
          const value = f(...used.map((n) => weights[n]));
          expectClose(value, c.value, { rtol: 1e-5, label: 'value' });
          return tf
            .grads(f)(used.map((n) => weights[n]))
            .map((g, i) => toTorchLayout(used[i], g));
        }),
      );
      grads.forEach((g, i) => {
        expectClose(g, (c.grads as Record<string, unknown>)[used[i]] as number[], {
          rtol: 1e-5,
          label: `∂/∂${used[i]}`,
        });
      });
      tf.dispose([...grads, alpha, ...Object.values(weights)]);
    });

    it(`${c.name}: the same through a tfjs-layers critic`, () => {
      const weights = tfjsWeights();
      const model = layersCritic(weights);
      const alpha = fromFixture('alpha');
      const { value, grads } = expectNoLeaks(() =>
        tf.variableGrads(
          () =>
            penalty(c.fn, (x) => model.apply(x, { training: true }) as tf.Tensor, c.options, alpha),
          used.map(
            (n) => (model.weights[WEIGHT_NAMES.indexOf(n)] as unknown as { val: tf.Variable }).val,
          ),
        ),
      );
      expectClose(value, c.value, { rtol: 1e-5, label: 'value' });
      used.forEach((n) => {
        const torchLayout = toTorchLayout(n, grads[model.weights[WEIGHT_NAMES.indexOf(n)].name]);
        expectClose(torchLayout, (c.grads as Record<string, unknown>)[n] as number[], {
          rtol: 1e-5,
          label: `∂/∂${n}`,
        });
        torchLayout.dispose();
      });
      tf.dispose([value, ...Object.values(grads), alpha, ...Object.values(weights)]);
      model.dispose();
    });
  }

  it('finite differences agree with the double-backprop weight gradient (sign patterns frozen)', () => {
    const weights = tfjsWeights();
    const list = WEIGHT_NAMES.map((n) => weights[n]);
    const [real, fake, alpha] = [fromFixture('real'), fromFixture('fake'), fromFixture('alpha')];
    const a = tf.reshape(alpha, [2, 1, 1, 1]);
    const interpolated = tf.add(tf.mul(a, real), tf.mul(tf.sub(1, a), fake));
    const masks = critic.signPattern(interpolated, list);
    // With the sign patterns fixed, ∇ₓD is a product of the conv and dense kernels: the biases
    // do not reach it (in the real critic only through the masks, where their gradient is 0).
    const trainable = [weights.w1, weights.w2, weights.wd];
    const gp = (frozen: boolean) => (w1: tf.Tensor, w2: tf.Tensor, wd: tf.Tensor) =>
      gradientPenalty(
        (x) =>
          critic.apply(
            x,
            [w1, weights.b1, w2, weights.b2, wd, weights.bd],
            frozen ? masks : undefined,
          ),
        real,
        fake,
        { alpha },
      );
    const result = expectNoLeaks(() =>
      checkGradients(gp(true) as (...w: tf.Tensor[]) => tf.Scalar, trainable, { directions: 4 }),
    );
    expect(Math.max(...result.numeric.map(Math.abs))).toBeGreaterThan(1);
    const gradients = (frozen: boolean) =>
      tf.tidy(() =>
        tf
          .grads(gp(frozen) as (...w: tf.Tensor[]) => tf.Scalar)(trainable)
          .map((g) => g.dataSync().slice()),
      );
    const smooth = gradients(true);
    gradients(false).forEach((g, i) => {
      expectClose(g, smooth[i], { rtol: 1e-5, label: ['w1', 'w2', 'wd'][i] });
    });
    tf.dispose([...list, real, fake, alpha, a, interpolated, ...masks]);
  });
});

describe(`penalty options and errors [${testBackend()}]`, () => {
  const linear = (x: tf.Tensor) => tf.sum(tf.mul(x, 3), [1, 2, 3]); // ‖∇D‖ = 3·√(H·W·C)

  it('gradientPenalty uses weight, target and one α per sample', () => {
    const [real, fake] = [tf.ones([4, 2, 2, 1]), tf.zeros([4, 2, 2, 1])];
    // A linear critic has the same gradient everywhere: (‖g‖ − target)² = (6 − 5)² for any α.
    expectClose(gradientPenalty(linear, real, fake, { weight: 2, target: 5, seed: 1 }), 2);
    expectClose(gradientPenalty(linear, real, fake, { target: 7, oneSided: true, seed: 1 }), 0);
    tf.dispose([real, fake]);
  });

  it('R1 and R2 are γ/2 · mean ‖∇D‖² on real and on fake samples', () => {
    const x = tf.zeros([3, 2, 2, 1]);
    expectClose(r1Penalty(linear, x, { weight: 4 }), 2 * 36);
    expectClose(
      r2Penalty((t) => tf.sum(tf.square(t), [1, 2, 3]), tf.fill([3, 2, 2, 1], 0.5)),
      5 * 4,
    );
    x.dispose();
  });

  it('weight is the R1/R2 coefficient; the deprecated gamma still gives the same value', () => {
    const x = tf.fill([3, 2, 2, 1], 0.5);
    const quadratic = (t: tf.Tensor) => tf.sum(tf.square(t), [1, 2, 3]);
    for (const [name, penalty] of [
      ['r1Penalty', r1Penalty],
      ['r2Penalty', r2Penalty],
    ] as const) {
      const byWeight = penalty(quadratic, x, { weight: 3 }).dataSync()[0];
      expect(byWeight).toBeCloseTo((3 / 2) * 4, 5);
      expect(penalty(quadratic, x, { gamma: 3 }).dataSync()[0]).toBe(byWeight);
      expectArgError(
        () => penalty(quadratic, x, { weight: 3, gamma: 3 }),
        name,
        'gamma',
        new RegExp(`^${name}: gamma: deprecated alias of weight; pass only weight$`),
      );
      expectArgError(() => penalty(quadratic, x, { gamma: -1 }), name, 'gamma', /gamma must be/);
    }
    x.dispose();
  });

  it('gives a finite gradient when the critic is flat (ε inside the norm)', () => {
    const [real, fake, w] = [tf.ones([2, 2, 2, 1]), tf.zeros([2, 2, 2, 1]), tf.scalar(0)];
    const g = tf.grad((wi: tf.Tensor) =>
      gradientPenalty((x) => tf.sum(tf.mul(x, wi), [1, 2, 3]), real, fake, { seed: 2 }),
    )(w);
    expect(Number.isFinite(g.dataSync()[0])).toBe(true);
    tf.dispose([real, fake, w, g]);
  });

  it('draganPenalty perturbs around the real data reproducibly', () => {
    const real = tf.randomNormal([4, 3, 3, 1], 0, 1, 'float32', 3);
    const quadratic = (x: tf.Tensor) => tf.sum(tf.square(x), [1, 2, 3]);
    const a = draganPenalty(quadratic, real, { seed: 5 }).dataSync()[0];
    expect(draganPenalty(quadratic, real, { seed: 5 }).dataSync()[0]).toBe(a);
    expect(a).toBeGreaterThan(0);
    expectNoLeaks(() => draganPenalty(quadratic, real, { seed: 6 }).dispose());
    real.dispose();
  });

  it('name bad arguments', () => {
    const [a, b] = [tf.zeros([2, 2, 2, 1]), tf.zeros([3, 2, 2, 1])];
    expect(() => gradientPenalty(linear, a, b)).toThrow(
      /real and fake must have the same shape, got \[2,2,2,1\] and \[3,2,2,1\]/,
    );
    expect(() => gradientPenalty(linear, a, a, { alpha: tf.ones([3]) })).toThrow(
      /alpha must have shape \[2\], got \[3\]/,
    );
    expect(() => gradientPenalty(linear, a, a, { weight: -1 })).toThrow(
      /weight must be a finite number ≥ 0, got -1/,
    );
    expect(() => r1Penalty(linear, tf.zeros([2]))).toThrow(
      /real must have a batch dimension and features/,
    );
    expect(() => gradientPenalty(() => [a] as never, a, a)).toThrow(
      /critic must return a single tf.Tensor/,
    );
    tf.dispose([a, b]);
  });
});

describe(`penalties refuse batch-coupled critics [${testBackend()}]`, () => {
  it('refuses batch norm in training (not in inference), unless allowed', () => {
    const critic = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [3], units: 4 }),
        tfl.layers.batchNormalization(),
        tfl.layers.dense({ units: 1 }),
      ],
    });
    const nested = tfl.sequential({ layers: [critic] }); // found inside nested models too
    const x = tf.randomNormal([4, 3], 0, 1, 'float32', 1);
    const y = tf.randomNormal([4, 3], 0, 1, 'float32', 2);
    for (const model of [critic, nested]) {
      expect(() => gradientPenalty(model, x, y)).toThrow(
        /gradientPenalty: the critic has BatchNormalization layers, which mix the samples/,
      );
      expect(() => r1Penalty(model, x)).toThrow(/r1Penalty: .*BatchNormalization/);
      expect(() => draganPenalty(model, x)).toThrow(/draganPenalty: .*allowBatchCoupling/);
    }
    const inference = gradientPenalty(critic, x, y, { training: false, seed: 1 });
    const allowed = gradientPenalty(critic, x, y, { allowBatchCoupling: true, seed: 1 });
    expect(Number.isFinite(inference.dataSync()[0])).toBe(true);
    expect(Number.isFinite(allowed.dataSync()[0])).toBe(true);
    tf.dispose([x, y, inference, allowed]);
    nested.dispose();
  });
});
