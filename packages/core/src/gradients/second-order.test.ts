import { checkGradients, expectNoLeaks, gradientNormSquared, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeedStream } from '../seed';
import { installGradientFixes, uninstallGradientFixes } from './install';
import { awayFromZero, CASES, caseInputs, RESIZE_MODES, resizeName } from './second-order.cases';

describe(`second-order gradients with the fixes [${testBackend()}]`, () => {
  beforeAll(() => {
    installGradientFixes();
  });

  for (const c of CASES) {
    it(`∂/∂(x, w) ‖∇ₓ g‖² matches finite differences: ${c.name}`, () => {
      const stream = new SeedStream(11);
      const { inputs, coefficients, g } = caseInputs(c, stream);
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
