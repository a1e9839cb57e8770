import { expectArgError, expectClose, expectNoLeaks, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/losses.json';
import * as losses from './index';

type LossFn = (...args: unknown[]) => tf.Tensor;
type Inputs = typeof fixture.inputs;

/** Fixture options name weight vectors by key ("REAL_W"); everything else passes through. */
function resolveOptions(options: Record<string, unknown>, inputs: Inputs): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(options).map(([k, v]) => [
      k,
      typeof v === 'string' && v in inputs ? tf.tensor1d(inputs[v as keyof Inputs] as number[]) : v,
    ]),
  );
}

describe(`losses match PyTorch (float64) [${testBackend()}]`, () => {
  for (const c of fixture.losses) {
    it(`${c.name}: value and gradients`, () => {
      const fn = (losses as unknown as Record<string, LossFn>)[c.fn];
      const args = c.args.map((name) => tf.tensor1d(fixture.inputs[name as 'real' | 'fake']));
      const options = resolveOptions(c.options, fixture.inputs);
      const { value, grads } = expectNoLeaks(() =>
        tf.tidy(() => {
          const f = (...xs: tf.Tensor[]) => tf.sum(fn(...xs, options)) as tf.Scalar;
          return { value: fn(...args, options), grads: tf.grads(f)(args) };
        }),
      );
      expect(value.rank).toBe(Array.isArray(c.value) ? 1 : 0);
      expectClose(value, c.value as number | number[], { rtol: 1e-5, label: 'value' });
      grads.forEach((g, i) => {
        expectClose(g, c.grads[i], { rtol: 1e-5, label: `∂/∂${c.args[i]}` });
      });
      tf.dispose([
        value,
        ...grads,
        ...args,
        ...(Object.values(options).filter((v) => v instanceof tf.Tensor) as tf.Tensor[]),
      ]);
    });
  }

  it('stays finite at logits of ±80 where log(sigmoid) would not', () => {
    const extreme = tf.tensor1d([-80, 80]);
    const value = losses.minimaxDiscriminatorLoss(extreme, extreme);
    const grad = tf.grad((x: tf.Tensor) => losses.minimaxDiscriminatorLoss(x, x))(extreme);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    expect(Array.from(grad.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([extreme, value, grad]);
  });
});

describe(`loss arguments [${testBackend()}]`, () => {
  const real = () => tf.tensor1d([0.5, -1, 2]);

  it('accept [n, 1] outputs of a layers model like [n]', () => {
    const [a, b] = [real(), tf.reshape(real(), [3, 1])];
    expectClose(losses.hingeDiscriminatorLoss(b, b), losses.hingeDiscriminatorLoss(a, a));
    tf.dispose([a, b]);
  });

  it('name the argument whose shape or type is wrong', () => {
    const [a, bad] = [real(), tf.zeros([3, 2])];
    expect(() => losses.wassersteinDiscriminatorLoss(a, bad)).toThrow(
      /wassersteinDiscriminatorLoss: fakeScores must have shape \[n\] or \[n, 1\], got \[3,2\]/,
    );
    expect(() => losses.nonSaturatingGeneratorLoss(tf.tensor1d([1], 'int32'))).toThrow(
      /fakeLogits must be float32, got int32/,
    );
    expect(() => losses.hingeGeneratorLoss([1, 2] as never)).toThrow(
      /fakeLogits must be a tf.Tensor/,
    );
    expect(() => losses.minimaxGeneratorLoss(a, { sampleWeights: tf.ones([2]) })).toThrow(
      /sampleWeights must have 3 entries \(one per sample\), got 2/,
    );
    tf.dispose([a, bad]);
  });

  it('sampleWeights weight each sample; the deprecated weights still gives the same loss', () => {
    const a = real();
    const w = tf.tensor1d([1, 0, 2]);
    const generatorLosses: Record<string, (x: tf.Tensor, o?: object) => tf.Tensor> = {
      minimaxGeneratorLoss: losses.minimaxGeneratorLoss,
      nonSaturatingGeneratorLoss: losses.nonSaturatingGeneratorLoss,
      wassersteinGeneratorLoss: losses.wassersteinGeneratorLoss,
      hingeGeneratorLoss: losses.hingeGeneratorLoss,
      leastSquaresGeneratorLoss: losses.leastSquaresGeneratorLoss,
    };
    for (const [name, loss] of Object.entries(generatorLosses)) {
      const perSample = loss(a, { reduction: 'none' }).arraySync() as number[];
      const expected = (perSample[0] * 1 + perSample[2] * 2) / 3;
      const byNew = loss(a, { sampleWeights: w }).dataSync()[0];
      expect(byNew).toBeCloseTo(expected, 5);
      expect(loss(a, { weights: w }).dataSync()[0]).toBe(byNew);
      expect(loss(a, { weights: 0.5, reduction: 'sum' }).dataSync()[0]).toBe(
        loss(a, { sampleWeights: 0.5, reduction: 'sum' }).dataSync()[0],
      );
      expectArgError(
        () => loss(a, { sampleWeights: w, weights: w }),
        name,
        'weights',
        new RegExp(
          `^${name}: weights: deprecated alias of sampleWeights; pass only sampleWeights$`,
        ),
      );
      // A misuse names the option the caller wrote.
      expectArgError(
        () => loss(a, { weights: tf.ones([2]) }),
        name,
        'weights',
        /^\w+: weights must have 3 entries/,
      );
    }
    tf.dispose([a, w]);
  });

  it('name options that are out of range or not finite', () => {
    const a = real();
    expect(() => losses.minimaxDiscriminatorLoss(a, a, { realLabel: 1.5 })).toThrow(
      /realLabel must be a finite number in \[0, 1\], got 1.5/,
    );
    expect(() => losses.minimaxDiscriminatorLoss(a, a, { flipProbability: Number.NaN })).toThrow(
      /flipProbability must be a finite number/,
    );
    expect(() =>
      losses.minimaxDiscriminatorLoss(a, a, { realLabel: 0.9, labelSmoothing: 0.2 }),
    ).toThrow(/realLabel or labelSmoothing, not both/);
    expect(() =>
      losses.leastSquaresGeneratorLoss(a, { targetLabel: Number.POSITIVE_INFINITY }),
    ).toThrow(/targetLabel must be a finite number/);
    expect(() => losses.hingeGeneratorLoss(a, { reduction: 'avg' as never })).toThrow(
      /hingeGeneratorLoss: reduction must be 'mean' \| 'sum' \| 'none', got 'avg'/,
    );
    a.dispose();
  });

  it('flip each target with the given probability, reproducibly from a seed', () => {
    const n = 4000;
    const logits = tf.fill([n], 0.7);
    const clean = losses.minimaxDiscriminatorLoss(logits, logits, { reduction: 'none' }).dataSync();
    const noisy = (seed: number) =>
      losses
        .minimaxDiscriminatorLoss(logits, logits, { reduction: 'none', flipProbability: 0.3, seed })
        .dataSync();
    const flips = noisy(1).filter((v, i) => Math.abs(v - clean[i]) > 1e-6).length / (2 * n);
    expect(flips).toBeGreaterThan(0.27);
    expect(flips).toBeLessThan(0.33);
    expect(Array.from(noisy(1))).toEqual(Array.from(noisy(1)));
    expect(Array.from(noisy(1))).not.toEqual(Array.from(noisy(2)));
    logits.dispose();
  });
});
