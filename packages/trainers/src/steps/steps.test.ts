import { SeedStream } from '@gan/core';
import {
  gradientPenalty,
  minimaxDiscriminatorLoss,
  nonSaturatingGeneratorLoss,
  wassersteinDiscriminatorLoss,
  wassersteinGeneratorLoss,
} from '@gan/losses';
import { expectClose, expectNoLeaks, mlpGan, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext, type GanContext, type GanLosses, trainableVariables } from '../context';
import { Ema } from '../ema';
import { discriminatorStep } from './discriminator-step';
import { generatorStep } from './generator-step';
import { simultaneousStep } from './simultaneous-step';

const bce: GanLosses = {
  discriminator: (r, f) => minimaxDiscriminatorLoss(r, f),
  generator: (f) => nonSaturatingGeneratorLoss(f),
};
const LR = 0.1;
let contexts: GanContext[] = [];

function context(
  losses: GanLosses = bce,
  extra: Partial<Parameters<typeof createContext>[0]> = {},
) {
  const { generator, discriminator } = mlpGan({ seed: 3 });
  const ctx = createContext({
    generator,
    discriminator,
    losses,
    optimizers: { generator: tf.train.sgd(LR), discriminator: tf.train.sgd(LR) },
    seed: 11,
    ...extra,
  });
  contexts.push(ctx);
  return ctx;
}

afterEach(() => {
  for (const ctx of contexts) {
    ctx.generator.dispose();
    ctx.discriminator.dispose();
    ctx.ema?.dispose();
  }
  contexts = [];
});

const snapshot = (m: tfl.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

/** The seed a step will draw for z (its first draw from the context's stream). */
const nextZSeed = (ctx: GanContext) => new SeedStream(ctx.rng.getState()).nextSeed();

/** w − lr·∂L/∂w for the model's trainable weights, computed independently of the steps. */
function sgdExpectation(model: tfl.LayersModel, loss: () => tf.Scalar) {
  const { value, grads } = tf.variableGrads(loss, trainableVariables(model));
  const expected = trainableVariables(model).map((v) => tf.sub(v, tf.mul(grads[v.name], LR)));
  tf.dispose([value, ...Object.values(grads)]);
  return expected;
}

describe(`train steps [${testBackend()}]`, () => {
  const real = () => tf.randomNormal([8, 2], 1, 0.5, 'float32', 5);

  it('discriminatorStep: one SGD update of D on its loss, G untouched, no leaks', () => {
    const ctx = context();
    const x = real();
    const z = tf.randomNormal([8, 4], 0, 1, 'float32', nextZSeed(ctx));
    const expected = sgdExpectation(ctx.discriminator, () => {
      const fake = ctx.generator.apply(z, { training: true }) as tf.Tensor;
      return minimaxDiscriminatorLoss(
        ctx.discriminator.apply(x) as tf.Tensor,
        ctx.discriminator.apply(fake) as tf.Tensor,
      );
    });
    const g = snapshot(ctx.generator);
    const tensors = expectNoLeaks(() => discriminatorStep(ctx, x).tensors);
    expect(Object.keys(tensors).sort()).toEqual(['discriminatorLoss', 'fakeScore', 'realScore']);
    for (const [i, v] of trainableVariables(ctx.discriminator).entries())
      expectClose(v, expected[i], { rtol: 1e-5 });
    expect(snapshot(ctx.generator)).toEqual(g);
    tf.dispose([x, z, ...expected, ...Object.values(tensors)]);
  });

  it('reports the global gradient norm of each update when asked', () => {
    const ctx = context(bce, { gradientNorms: true });
    const x = real();
    const z = tf.randomNormal([8, 4], 0, 1, 'float32', nextZSeed(ctx));
    const { value, grads } = tf.variableGrads(() => {
      const fake = ctx.generator.apply(z, { training: true }) as tf.Tensor;
      return minimaxDiscriminatorLoss(
        ctx.discriminator.apply(x) as tf.Tensor,
        ctx.discriminator.apply(fake) as tf.Tensor,
      );
    }, trainableVariables(ctx.discriminator));
    const expected = Math.sqrt(
      Object.values(grads).reduce((s, g) => s + tf.sum(tf.square(g)).dataSync()[0], 0),
    );
    const d = discriminatorStep(ctx, x);
    expect(d.readSync().discriminatorGradientNorm).toBeCloseTo(expected, 4);
    const g = generatorStep(ctx, 8);
    expect(g.readSync().generatorGradientNorm).toBeGreaterThan(0);
    tf.dispose([x, z, value, ...Object.values(grads)]);
    d.dispose();
    g.dispose();
  });

  it('discriminatorStep with swapped labels hands the loss D(G(z)) as real and D(x) as fake', () => {
    const calls: [number, number][] = [];
    const spy: GanLosses = {
      ...bce,
      discriminator: (r, f, c) => {
        calls.push([tf.mean(r).dataSync()[0], tf.mean(f).dataSync()[0]]);
        return bce.discriminator(r, f, c);
      },
    };
    const x = real();
    const plain = discriminatorStep(context(spy), x).readSync();
    const swapped = discriminatorStep(context(spy), x, { swapLabels: true }).readSync();
    expect(calls[0][0]).toBeCloseTo(plain.realScore, 6);
    expect(calls[1][0]).toBeCloseTo(swapped.fakeScore, 6);
    expect(calls[1][1]).toBeCloseTo(swapped.realScore, 6);
    // Same state and seeds, so the same scores; only the labels differ.
    expect(swapped.realScore).toBeCloseTo(plain.realScore, 6);
    expect(swapped.discriminatorLoss).not.toBeCloseTo(plain.discriminatorLoss, 3);
    x.dispose();
  });

  it('discriminatorStep adds the penalty and clips the weights', () => {
    const losses: GanLosses = {
      discriminator: (r, f) => wassersteinDiscriminatorLoss(r, f),
      generator: (f) => wassersteinGeneratorLoss(f),
      penalty: (d, r, f, c) => gradientPenalty(d, r, f, { seed: c.seed }),
    };
    const ctx = context(losses, { weightClipping: 0.05 });
    const x = real();
    const out = expectNoLeaks(() => discriminatorStep(ctx, x).tensors);
    const v = Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.dataSync()[0]]));
    expect(v.penalty).toBeGreaterThan(0);
    expect(v.discriminatorLoss).toBeCloseTo(v.fakeScore - v.realScore + v.penalty, 5);
    for (const w of ctx.discriminator.trainableWeights)
      expect(Math.max(...Array.from(w.read().dataSync(), Math.abs))).toBeLessThanOrEqual(
        0.05 + 1e-7,
      );
    tf.dispose([x, ...Object.values(out)]);
  });

  it('the augmentation hook sees real and generated batches, with distinct seeds', () => {
    const seen: { shape: number[]; seed: number }[] = [];
    const ctx = context(bce, {
      augment: (images, seed) => {
        seen.push({ shape: images.shape, seed });
        return tf.mul(images, 0); // D then sees only zeros: both scores equal
      },
    });
    const x = real();
    const r = discriminatorStep(ctx, x).readSync();
    expect(r.realScore).toBeCloseTo(r.fakeScore, 6);
    generatorStep(ctx, 8).dispose();
    expect(seen.map((s) => s.shape)).toEqual([
      [8, 2],
      [8, 2],
      [8, 2],
    ]);
    expect(new Set(seen.map((s) => s.seed)).size).toBe(3);
    x.dispose();
  });

  it('generatorStep: one SGD update of G through D, D untouched, EMA updated, no leaks', () => {
    const { generator } = mlpGan({ seed: 3 });
    const ema = new Ema(generator, { decay: 0.5 });
    generator.dispose();
    const ctx = context(bce, { ema });
    const z = tf.randomNormal([6, 4], 0, 1, 'float32', nextZSeed(ctx));
    const expected = sgdExpectation(ctx.generator, () =>
      nonSaturatingGeneratorLoss(
        ctx.discriminator.apply(ctx.generator.apply(z, { training: true }), {
          training: true,
        }) as tf.Tensor,
      ),
    );
    const d = snapshot(ctx.discriminator);
    const before = ctx.generator.getWeights().map((w) => tf.clone(w));
    const tensors = expectNoLeaks(() => generatorStep(ctx, 6).tensors);
    for (const [i, v] of trainableVariables(ctx.generator).entries())
      expectClose(v, expected[i], { rtol: 1e-5 });
    expect(snapshot(ctx.discriminator)).toEqual(d);
    // The first EMA update warms up: d = min(0.5, (1 + 0) / (10 + 0)) = 0.1, so 0.1·w₀ + 0.9·w₁.
    expect(ema.updates).toBe(1);
    for (const [i, w] of ema.model.getWeights().entries())
      expectClose(w, tf.add(tf.mul(before[i], 0.1), tf.mul(expected[i], 0.9)), { rtol: 1e-5 });
    tf.dispose([z, ...expected, ...before, ...Object.values(tensors)]);
  });

  it('simultaneousStep takes both gradients at the same state, then applies both', () => {
    const ctx = context();
    const x = real();
    const z = tf.randomNormal([8, 4], 0, 1, 'float32', nextZSeed(ctx));
    const expectedD = sgdExpectation(ctx.discriminator, () =>
      minimaxDiscriminatorLoss(
        ctx.discriminator.apply(x) as tf.Tensor,
        ctx.discriminator.apply(ctx.generator.apply(z)) as tf.Tensor,
      ),
    );
    const expectedG = sgdExpectation(ctx.generator, () =>
      nonSaturatingGeneratorLoss(ctx.discriminator.apply(ctx.generator.apply(z)) as tf.Tensor),
    );
    const tensors = expectNoLeaks(() => simultaneousStep(ctx, x).tensors);
    expect(Object.keys(tensors).sort()).toEqual([
      'discriminatorLoss',
      'fakeScore',
      'generatorLoss',
      'realScore',
    ]);
    for (const [i, v] of trainableVariables(ctx.discriminator).entries())
      expectClose(v, expectedD[i], { rtol: 1e-5 });
    for (const [i, v] of trainableVariables(ctx.generator).entries())
      expectClose(v, expectedG[i], { rtol: 1e-5 });
    tf.dispose([x, z, ...expectedD, ...expectedG, ...Object.values(tensors)]);
  });

  it('refuse mismatched batches and contexts with clear errors', () => {
    const ctx = context();
    const bad = tf.zeros([4, 3]);
    expect(() => discriminatorStep(ctx, bad)).toThrow(
      /^discriminatorStep: real must have shape \[·,2\], got \[4,3\]$/,
    );
    expect(() => generatorStep(ctx, 0)).toThrow(/batchSize must be a positive integer/);
    const { generator, discriminator } = mlpGan({ dims: 3 });
    const other = mlpGan({ dims: 2 });
    expect(() =>
      createContext({
        generator,
        discriminator: other.discriminator,
        losses: bce,
        optimizers: { generator: tf.train.sgd(1), discriminator: tf.train.sgd(1) },
      }),
    ).toThrow(/the generator makes 3 samples but the discriminator takes 2/);
    const shared = tf.train.sgd(1);
    expect(() =>
      createContext({
        generator: other.generator,
        discriminator: other.discriminator,
        losses: bce,
        optimizers: { generator: shared, discriminator: shared },
      }),
    ).toThrow(/use two optimizers/);
    tf.dispose(bad);
    for (const m of [generator, discriminator, other.generator, other.discriminator]) m.dispose();
  });
});
