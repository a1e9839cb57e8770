import { checkGradients, expectNoLeaks, gradientNormSquared, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeedStream } from '../seed';
import { installGradientFixes, uninstallGradientFixes } from './install';

/** Values with |v| in [0.5, 1.5] and random sign: products stay ≥ 0.25 away from kinks at 0. */
function awayFromZero(shape: number[], stream: SeedStream): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from(
    { length: size },
    () => (stream.uniform() < 0.5 ? -1 : 1) * (0.5 + stream.uniform()),
  );
  return tf.tensor(values, shape);
}

type Case = {
  name: string;
  /** Shapes of x and of the weights. */
  shapes: number[][];
  /** g(x, ...weights) before the random projection c. */
  g: (x: tf.Tensor, ...w: tf.Tensor[]) => tf.Tensor;
  /** Use tighter steps for piecewise ops (relu family). */
  h?: number;
};

/** z = x ⊙ w: an elementwise weight in front of the op under test. */
const z = (x: tf.Tensor, w: tf.Tensor) => tf.mul(x, w);
const positive = (x: tf.Tensor, w: tf.Tensor) => tf.add(tf.square(z(x, w)), 0.5);
const elementwise = (name: string, op: (t: tf.Tensor) => tf.Tensor, pre = z, h?: number): Case => ({
  name,
  shapes: [
    [3, 4],
    [3, 4],
  ],
  g: (x, w) => op(pre(x, w)),
  h,
});
// Linear ops: square the result so that ∇ₓ depends on x and on the weights.
const linear = (
  name: string,
  shapes: number[][],
  op: (x: tf.Tensor, ...w: tf.Tensor[]) => tf.Tensor,
): Case => ({
  name,
  shapes,
  g: (x, ...w) => tf.square(op(x, ...w)),
});
const img = [2, 5, 5, 2];
const RESIZE_MODES: [boolean, boolean, [number, number]][] = [
  [false, true, [7, 7]],
  [false, true, [3, 5]],
  [true, false, [7, 3]],
  [false, false, [6, 6]],
];
const resizeName = (alignCorners: boolean, halfPixelCenters: boolean, size: number[]) =>
  `${size.join('×')}${alignCorners ? ' alignCorners' : ''}${halfPixelCenters ? ' halfPixelCenters' : ''}`;

const CASES: Case[] = [
  elementwise('leakyRelu', (t) => tf.leakyRelu(t, 0.2), z, 2e-3),
  elementwise('relu', tf.relu, z, 2e-3),
  elementwise('elu', tf.elu, z, 2e-3),
  elementwise('selu', tf.selu, z, 2e-3),
  elementwise('tanh', tf.tanh),
  elementwise('sigmoid', tf.sigmoid),
  elementwise('exp', tf.exp),
  elementwise('log', tf.log, positive),
  elementwise('softplus', tf.softplus),
  elementwise('sqrt', tf.sqrt, positive),
  elementwise('rsqrt', tf.rsqrt, positive),
  {
    name: 'moments (mean/variance normalisation)',
    shapes: [
      [4, 3],
      [4, 3],
    ],
    g: (x, w) => {
      const { mean, variance } = tf.moments(z(x, w), [0], true);
      return tf.div(tf.sub(z(x, w), mean), tf.sqrt(tf.add(variance, 1e-3)));
    },
  },
  {
    name: 'batchNorm (training statistics)',
    // The offset does not reach ∇ₓ, so it is a constant here (tfjs refuses unconnected inputs).
    shapes: [[4, 3], [4, 3], [3]],
    g: (x, w, scale) => {
      const { mean, variance } = tf.moments(z(x, w), [0]);
      return tf.batchNorm(z(x, w), mean, variance, tf.fill([3], 0.3), scale, 1e-3);
    },
  },
  linear('conv2d', [img, [3, 3, 2, 3]], (x, f) =>
    tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 2, 'same'),
  ),
  linear('conv2d valid stride 1', [img, [2, 2, 2, 3]], (x, f) =>
    tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'valid'),
  ),
  linear('fused conv2d + bias', [img, [3, 3, 2, 3], [3]], (x, f, b) =>
    tf.fused.conv2d({
      x: x as tf.Tensor4D,
      filter: f as tf.Tensor4D,
      strides: 2,
      pad: 'same',
      bias: b,
    }),
  ),
  linear(
    'conv2dTranspose',
    [
      [2, 3, 3, 3],
      [3, 3, 2, 3],
    ],
    (x, f) => tf.conv2dTranspose(x as tf.Tensor4D, f as tf.Tensor4D, [2, 6, 6, 2], 2, 'same'),
  ),
  linear(
    'matMul',
    [
      [3, 4],
      [4, 2],
    ],
    (x, w) => tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
  ),
  linear('fused matMul + bias (dense)', [[3, 4], [4, 2], [2]], (x, w, b) =>
    tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b }),
  ),
  linear('pad', [img, img], (x, w) =>
    tf.pad(z(x, w), [
      [0, 0],
      [1, 2],
      [2, 1],
      [0, 0],
    ]),
  ),
  linear('slice', [img, img], (x, w) => tf.slice(z(x, w), [0, 1, 1, 0], [2, 3, 2, 2])),
  linear('concat', [img, img], (x, w) => tf.concat([z(x, w), tf.mul(x, 3)], 3)),
  linear('reshape', [img, img], (x, w) => tf.reshape(z(x, w), [10, 10])),
  linear('avgPool', [img, img], (x, w) => tf.avgPool(z(x, w) as tf.Tensor4D, 3, 2, 'valid')),
  ...RESIZE_MODES.map(([alignCorners, halfPixelCenters, size]) =>
    linear(
      `resizeBilinear ${resizeName(alignCorners, halfPixelCenters, size)}`,
      [
        [2, 4, 4, 2],
        [2, 4, 4, 2],
      ],
      (x, w) =>
        tf.image.resizeBilinear(z(x, w) as tf.Tensor4D, size, alignCorners, halfPixelCenters),
    ),
  ),
];

describe(`second-order gradients with the fixes [${testBackend()}]`, () => {
  beforeAll(() => {
    installGradientFixes();
  });

  for (const c of CASES) {
    it(`∂/∂(x, w) ‖∇ₓ g‖² matches finite differences: ${c.name}`, () => {
      const stream = new SeedStream(11);
      const inputs = c.shapes.map((s) => awayFromZero(s, stream));
      const projection = tf.tidy(() => c.g(...(inputs as [tf.Tensor, ...tf.Tensor[]])));
      const coefficients = tf.randomNormal(projection.shape, 0, 1, 'float32', stream.nextSeed());
      projection.dispose();
      const g = (x: tf.Tensor, ...w: tf.Tensor[]) =>
        tf.sum(tf.mul(coefficients, c.g(x, ...w))) as tf.Scalar;
      const result = expectNoLeaks(() =>
        checkGradients(gradientNormSquared(g), inputs, { h: c.h ?? 1e-2 }),
      );
      // The penalty must actually depend on x and on the weights, or the check proves nothing.
      expect(Math.max(...result.numeric.map(Math.abs))).toBeGreaterThan(1e-3);
      tf.dispose([...inputs, coefficients]);
    });
  }
});

describe(`first-order resizeBilinear gradient [${testBackend()}]`, () => {
  beforeAll(() => {
    installGradientFixes();
  });
  for (const [alignCorners, halfPixelCenters, size] of RESIZE_MODES) {
    it(`matches finite differences: ${resizeName(alignCorners, halfPixelCenters, size)}`, () => {
      const stream = new SeedStream(5);
      const x = awayFromZero([2, 4, 4, 3], stream);
      const c = tf.randomNormal([2, ...size, 3], 0, 1, 'float32', stream.nextSeed());
      const f = (xi: tf.Tensor) =>
        tf.sum(
          tf.mul(
            c,
            tf.image.resizeBilinear(xi as tf.Tensor4D, size, alignCorners, halfPixelCenters),
          ),
        ) as tf.Scalar;
      expectNoLeaks(() => checkGradients(f, [x]));
      tf.dispose([x, c]);
    });
  }
});

describe(`without the fixes tfjs is wrong [${testBackend()}]`, () => {
  beforeAll(() => {
    installGradientFixes(); // tfjs-core's own gradients are registered…
    uninstallGradientFixes(); // …and ours removed
  });
  afterAll(() => {
    installGradientFixes();
  });

  // L(w) = (d/dx f(w·x))² at x = 0.7, w = 0.3, the case in the field notes.
  const dLdw = (f: (t: tf.Tensor) => tf.Tensor) =>
    tf.tidy(() => {
      const x = tf.scalar(0.7);
      const L = (w: tf.Tensor) => tf.square(tf.grad((xi: tf.Tensor) => f(tf.mul(w, xi)))(x));
      return tf.grad(L)(tf.scalar(0.3)).dataSync()[0];
    });

  it('tanh loses the terms through its saved output (0.5497 instead of 0.5019)', () => {
    expect(dLdw(tf.tanh)).toBeCloseTo(0.5497, 3);
    expect(Math.abs(dLdw(tf.tanh) - tanhExact())).toBeGreaterThan(1e-2);
  });

  it('resizeBilinear with halfPixelCenters has a wrong first-order gradient', () => {
    const x = tf.randomNormal([1, 4, 4, 1], 0, 1, 'float32', 3);
    const c = tf.randomNormal([1, 7, 7, 1], 0, 1, 'float32', 4);
    const f = (xi: tf.Tensor) =>
      tf.sum(
        tf.mul(c, tf.image.resizeBilinear(xi as tf.Tensor4D, [7, 7], false, true)),
      ) as tf.Scalar;
    expect(() => checkGradients(f, [x])).toThrow(/gradient check failed/);
    tf.dispose([x, c]);
  });

  it('leakyRelu throws "gradient function not found for Greater"', () => {
    expect(() => dLdw((t) => tf.leakyRelu(t, 0.2))).toThrow(/Greater/);
  });

  it('and the fixed registry gives the exact value again', () => {
    installGradientFixes();
    expect(dLdw(tf.tanh)).toBeCloseTo(tanhExact(), 4);
    uninstallGradientFixes();
  });
});

/** dL/dw for f = tanh in closed form: L = (w·(1 − tanh²(wx)))², x = 0.7, w = 0.3. */
function tanhExact(): number {
  const x = 0.7;
  const w = 0.3;
  const t = Math.tanh(w * x);
  const s = 1 - t * t; // tanh'
  // dL/dw = 2·(w·s)·(s + w·(−2t·s)·x)
  return 2 * (w * s) * (s + w * (-2 * t * s) * x);
}

describe('installGradientFixes', () => {
  it('is idempotent and reports what it changed', () => {
    installGradientFixes();
    const again = installGradientFixes();
    expect(again.fixed).toEqual([]);
    expect(again.registeredTfjsGradients).toBe(0);
  });

  it('re-applies itself after tfjs re-registers its own gradient', () => {
    installGradientFixes();
    const tanhFixed = tf.getGradient('Tanh');
    uninstallGradientFixes();
    expect(tf.getGradient('Tanh')).not.toBe(tanhFixed);
    expect(installGradientFixes().fixed).toContain('Tanh');
  });
});
