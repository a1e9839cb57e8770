import { expectArgError, expectArgErrorAsync, mlpGan, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryCheckpoints } from './checkpoint/memory-store';
import { checkpointId } from './checkpoint/types';
import { createContext, trainableVariables } from './context';
import { Ema } from './ema';
import { createTrainer, type TrainerOptions } from './index';
import { dcgan, hinge, pokemonDcgan, ttur, wgan, wganGp } from './presets/presets';
import { boosted } from './schedules/boosted';
import { classic } from './schedules/classic';
import { critic } from './schedules/critic';
import { monitored } from './schedules/monitored';
import { discriminatorStep } from './steps/discriminator-step';
import { generatorStep } from './steps/generator-step';

/** Every misuse of the public API throws an ArgumentError naming the function and the argument. */
describe(`@gan/trainers misuse [${testBackend()}]`, () => {
  // Built once the project's backend is up (the setup file's beforeAll).
  let models: ReturnType<typeof mlpGan>;
  let data: tf.Tensor;
  beforeAll(() => {
    models = mlpGan();
    data = tf.randomNormal([32, 2], 0, 1, 'float32', 1);
  });
  const base = (): TrainerOptions => ({ ...dcgan(), ...models, warnings: null });
  afterAll(() => {
    data.dispose();
    models.generator.dispose();
    models.discriminator.dispose();
  });

  it('createTrainer and createContext', () => {
    const cases: [Partial<TrainerOptions> | null, string, RegExp][] = [
      [
        { generator: undefined },
        'generator',
        /generator must be a tfjs-layers model taking z, or \[z, labels\] for a class-conditional GAN, got undefined/,
      ],
      [{ latentDim: 5 }, 'latentDim', /latentDim is 5, but the generator takes 4/],
      [
        { nanGuard: 'Stop' as never },
        'nanGuard',
        /nanGuard must be 'stop' or \{ rollback: true, .*got 'Stop'/,
      ],
      [
        {
          nanGuard: { rollback: true, learningRateFactor: 2 },
          checkpoints: { store: memoryCheckpoints(), every: 1 },
        },
        'nanGuard.learningRateFactor',
        /must be a finite number in \(0, 1\), got 2/,
      ],
      [
        {
          nanGuard: { rollback: true, maxRollbacks: -1 },
          checkpoints: { store: memoryCheckpoints(), every: 1 },
        },
        'nanGuard.maxRollbacks',
        /must be an integer ≥ 0, got -1/,
      ],
      [{ nanGuard: { rollback: true } }, 'nanGuard', /a rollback needs checkpoints.store/],
      [
        { samples: { every: 0 } },
        'samples.every',
        /samples.every must be a positive integer, got 0/,
      ],
      [{ samples: { every: 2, count: 1.5 } }, 'samples.count', /got 1.5/],
      [{ warnings: { patience: 0 } }, 'warnings.patience', /must be a positive integer, got 0/],
      [
        { warnings: { diversityBelow: Number.NaN } },
        'warnings.diversityBelow',
        /finite number ≥ 0, got NaN/,
      ],
      [{ ema: { decay: 1 } }, 'ema.decay', /ema.decay must be a finite number in \[0, 1\), got 1/],
      [
        { schedule: {} as never },
        'schedule',
        /schedule must be a Schedule \{ name, next\(\), getState\(\), setState\(\) \}, got an object \{\}/,
      ],
      [{ checkpoints: { store: {} as never, every: 1 } }, 'checkpoints.store', /a CheckpointStore/],
      [{ checkpoints: { store: memoryCheckpoints(), every: 0 } }, 'checkpoints.every', /got 0/],
      [{ callbacks: { onStep: 3 as never } }, 'callbacks.onStep', /must be a function, got 3/],
      [{ logEvery: 0 }, 'logEvery', /got 0/],
      [{ seed: -1 }, 'seed', /seed must be an integer in \[0, 2\^32\), got -1/],
      [
        { weightClipping: '0.01' as never },
        'weightClipping',
        /weightClipping must be a finite number > 0, got '0.01'/,
      ],
      [
        { clipValue: '0.01' as never },
        'clipValue',
        /clipValue must be a finite number > 0, got '0.01'/,
      ],
      [{ augment: { name: 'x', apply: 1 } as never }, 'augment.apply', /must be a function, got 1/],
      [
        { losses: { generator: (f: tf.Tensor) => tf.mean(f) as tf.Scalar } as never },
        'losses.discriminator',
        /must be a function, got undefined/,
      ],
      [
        { optimizers: { generator: tf.train.sgd(1), discriminator: {} } as never },
        'optimizers.discriminator',
        /a tf.Optimizer/,
      ],
    ];
    for (const [extra, arg, tail] of cases)
      expectArgError(
        () => createTrainer({ ...base(), ...extra } as TrainerOptions),
        'createTrainer',
        arg,
        tail,
      );
    expectArgError(
      () => createTrainer(undefined as never),
      'createTrainer',
      'options',
      /is required/,
    );
    expectArgError(
      () => createContext({ ...dcgan(), ...models, latentDim: 0 }),
      'createContext',
      'latentDim',
      /got 0/,
    );
    expectArgError(
      () => trainableVariables(undefined as never),
      'trainableVariables',
      'model',
      /got undefined/,
    );
  });

  it('trainer.fit, trainer.step, trainer.generate, trainer.save, trainer.load', async () => {
    const t = createTrainer(base());
    for (const [steps, got] of [
      [Number.NaN, 'NaN'],
      ['10', "'10'"],
      [0, '0'],
      [1.5, '1.5'],
    ] as const)
      await expectArgErrorAsync(
        () => t.fit(data, { batchSize: 8, steps: steps as number }),
        'trainer.fit',
        'steps',
        new RegExp(`got ${got}$`),
      );
    await expectArgErrorAsync(
      () => t.fit(data, { batchSize: 8, epochs: -1 }),
      'trainer.fit',
      'epochs',
      /got -1/,
    );
    await expectArgErrorAsync(
      () => t.fit([data] as never, { steps: 1 }),
      'trainer.fit',
      'data',
      /got an array of 1/,
    );
    await expectArgErrorAsync(
      () => t.fit(() => [1, 2] as never, { steps: 1 }),
      'trainer.fit',
      'data',
      /epoch 0 yielded one that is neither\), got 1/,
    );
    await expectArgErrorAsync(
      () => t.fit(data, { batchSize: 64, steps: 1 }),
      'trainer.fit',
      'batchSize',
      /at most the dataset's 32 samples/,
    );
    // A bad batch is refused before the schedule moves (no iteration spent).
    const wrong = tf.zeros([8, 3]);
    await expectArgErrorAsync(
      () => t.step(wrong),
      'trainer.step',
      'batch',
      /batch must have shape \[·,2\], got \[8,3\]/,
    );
    await expectArgErrorAsync(
      () => t.step(undefined as never),
      'trainer.step',
      'batch',
      /got undefined/,
    );
    expect(t.state.iteration).toBe(0);
    expect(t.context).toBeDefined();
    expectArgError(() => t.generate(0), 'trainer.generate', 'n', /got 0/);
    expectArgError(
      () => t.generate(2, { truncation: 1e-6 }),
      'trainer.generate',
      'truncation',
      /≥ 0.1, got 0.000001/,
    );
    expectArgError(() => t.generate(2, { seed: 1.5 }), 'trainer.generate', 'seed', /got 1.5/);
    await expectArgErrorAsync(() => t.save(), 'trainer.save', 'store', /no checkpoint store given/);
    await expectArgErrorAsync(
      () => t.save({} as never),
      'trainer.save',
      'store',
      /a CheckpointStore/,
    );
    await expectArgErrorAsync(
      () => t.load(memoryCheckpoints(), { id: 3 as never }),
      'trainer.load',
      'options.id',
      /got 3/,
    );
    wrong.dispose();
    t.dispose();
  });

  it('the steps check their options before changing anything', () => {
    const ctx = createContext({ ...dcgan(), ...models });
    const real = tf.zeros([4, 2]);
    const before = ctx.rng.getState();
    expectArgError(
      () => discriminatorStep(ctx, real, { weightClipping: -1 }),
      'discriminatorStep',
      'weightClipping',
      /got -1/,
    );
    expectArgError(
      () => discriminatorStep(ctx, real, { loss: 3 as never }),
      'discriminatorStep',
      'loss',
      /must be a function, got 3/,
    );
    expectArgError(
      () => discriminatorStep(ctx, tf.zeros([0, 2])),
      'discriminatorStep',
      'real',
      /real is empty \(shape \[0,2\]\)/,
    );
    expectArgError(
      () => discriminatorStep(ctx, tf.zeros([4, 2], 'int32')),
      'discriminatorStep',
      'real',
      /must be float32, got int32/,
    );
    expectArgError(
      () => generatorStep(ctx, 4, { augment: 'flip' as never }),
      'generatorStep',
      'augment',
      /got 'flip'/,
    );
    expectArgError(() => generatorStep(ctx, 0), 'generatorStep', 'batchSize', /got 0/);
    expect(ctx.rng.getState()).toEqual(before);
    // A per-sample loss (reduction 'none') where a scalar belongs.
    expectArgError(
      () => discriminatorStep(ctx, real, { loss: (r) => tf.reshape(r, [-1]) }),
      'discriminatorStep',
      'loss',
      /the discriminator loss must return a scalar, got shape \[4\] \(reduction: 'none'\?\)/,
    );
    real.dispose();
    ctx.optimizers.generator.dispose();
    ctx.optimizers.discriminator.dispose();
  });

  it('schedules, presets, EMA, stores, ids', () => {
    expectArgError(() => boosted({ seed: 1.5 }), 'boosted', 'seed', /got 1.5/);
    expectArgError(
      () =>
        boosted().setState({
          iteration: 1,
          boost: { network: 'foo' as never, remaining: 2 },
          rng: { s: [1, 2, 3, 4] },
        }),
      'boosted.setState',
      'state.boost.network',
      /'generator' \| 'discriminator', got 'foo'/,
    );
    expectArgError(
      () =>
        monitored().setState({
          iteration: 1,
          discriminatorLoss: 'x' as never,
          generatorLoss: null,
        }),
      'monitored.setState',
      'state.discriminatorLoss',
      /got 'x'/,
    );
    expectArgError(() => critic({ nCritic: 0 }), 'critic', 'nCritic', /got 0/);
    expectArgError(
      () => classic().setState({ iteration: 1.5 }),
      'classic.setState',
      'state.iteration',
      /got 1.5/,
    );
    expectArgError(
      () => pokemonDcgan({ schedule: 'constructor' as never }),
      'pokemonDcgan',
      'schedule',
      /'classic' \| 'monitored' \| 'boosted', got 'constructor'/,
    );
    expectArgError(
      () => wganGp({ penaltyWeight: -1 }),
      'wganGp',
      'penaltyWeight',
      /penaltyWeight must be a finite number ≥ 0, got -1/,
    );
    expectArgError(
      () => wganGp({ lambda: -1 }),
      'wganGp',
      'lambda',
      /lambda must be a finite number ≥ 0, got -1/,
    );
    expectArgError(() => wganGp({ nCritic: 0 }), 'wganGp', 'nCritic', /got 0/);
    expectArgError(() => wgan({ nCritic: 2.5 }), 'wgan', 'nCritic', /got 2.5/);
    expectArgError(
      () => ttur({ generatorLearningRate: -1 }),
      'ttur',
      'generatorLearningRate',
      /finite number > 0, got -1/,
    );
    expectArgError(() => hinge({ beta1: 1 }), 'hinge', 'beta1', /in \[0, 1\), got 1/);
    expectArgError(() => new Ema(undefined as never), 'Ema', 'generator', /got undefined/);
    const other = mlpGan({ hidden: 8 });
    const ema = new Ema(models.generator);
    expectArgError(
      () => ema.update(other.generator),
      'Ema.update',
      'generator',
      /are not the averaged model's/,
    );
    ema.dispose();
    other.generator.dispose();
    other.discriminator.dispose();
    expectArgError(() => memoryCheckpoints({ keep: 0 }), 'memoryCheckpoints', 'keep', /got 0/);
    expectArgError(
      () => checkpointId(Number.NaN),
      'checkpointId',
      'iteration',
      /in \[0, 999999999\], got NaN/,
    );
  });

  describe('renamed options: the new name, the deprecated one (same result), never both', () => {
    const maxAbs = (m: { trainableWeights: { read(): tf.Tensor }[] }) =>
      Math.max(...m.trainableWeights.flatMap((w) => Array.from(w.read().dataSync(), Math.abs)));
    const weights = (m: { getWeights(): tf.Tensor[] }) =>
      m.getWeights().map((w) => Array.from(w.dataSync()));

    it('createTrainer / createContext: weightClipping (clipValue)', async () => {
      const batch = tf.randomNormal([8, 2], 0, 1, 'float32', 2);
      const clippedBy = async (clip: { weightClipping?: number; clipValue?: number }) => {
        const nets = mlpGan({ seed: 5 });
        const t = createTrainer({ ...dcgan(), ...nets, seed: 1, warnings: null, ...clip });
        expect(t.context.weightClipping).toBe(0.05);
        // The deprecated field reads the new one.
        expect(t.context.clipValue).toBe(0.05);
        await t.step(batch);
        const result = weights(nets.discriminator);
        expect(maxAbs(nets.discriminator)).toBeLessThanOrEqual(0.05 + 1e-7);
        t.dispose();
        nets.generator.dispose();
        nets.discriminator.dispose();
        return result;
      };
      expect(await clippedBy({ clipValue: 0.05 })).toEqual(
        await clippedBy({ weightClipping: 0.05 }),
      );
      expectArgError(
        () => createTrainer({ ...base(), weightClipping: 0.05, clipValue: 0.05 }),
        'createTrainer',
        'clipValue',
        /^createTrainer: clipValue: deprecated alias of weightClipping; pass only weightClipping$/,
      );
      // wgan() sets weightClipping: overriding it through the old name is "both".
      expectArgError(
        () => createTrainer({ ...wgan(), ...models, clipValue: 0.02 }),
        'createTrainer',
        'clipValue',
        /pass only weightClipping$/,
      );
      const ctx = createContext({ ...dcgan(), ...models, clipValue: 0.03 });
      expect(ctx.weightClipping).toBe(0.03);
      expectArgError(
        () => createContext({ ...dcgan(), ...models, clipValue: 0.03, weightClipping: 0.03 }),
        'createContext',
        'clipValue',
        /^createContext: clipValue: deprecated alias of weightClipping/,
      );
      batch.dispose();
    });

    it('wgan(): weightClipping, and the deprecated clipValue still reads it', () => {
      const preset = wgan();
      expect(preset.weightClipping).toBe(0.01);
      expect(preset.clipValue).toBe(0.01);
      // Not enumerable: spreading the preset into createTrainer passes only the new name.
      expect(Object.keys(preset)).not.toContain('clipValue');
      expect({ ...preset }).not.toHaveProperty('clipValue');
      preset.optimizers.generator.dispose();
      preset.optimizers.discriminator.dispose();
    });

    it('discriminatorStep: weightClipping (clipValue)', () => {
      const real = tf.randomNormal([4, 2], 0, 1, 'float32', 3);
      const step = (options: { weightClipping?: number; clipValue?: number }) => {
        const nets = mlpGan({ seed: 6 });
        const ctx = createContext({ ...dcgan(), ...nets, seed: 2 });
        const out = discriminatorStep(ctx, real, options);
        const loss = out.readSync().discriminatorLoss;
        const result = {
          loss,
          weights: weights(nets.discriminator),
          max: maxAbs(nets.discriminator),
        };
        out.dispose();
        ctx.optimizers.generator.dispose();
        ctx.optimizers.discriminator.dispose();
        nets.generator.dispose();
        nets.discriminator.dispose();
        return result;
      };
      const byNew = step({ weightClipping: 0.02 });
      expect(byNew.max).toBeLessThanOrEqual(0.02 + 1e-7);
      expect(step({ clipValue: 0.02 })).toEqual(byNew);
      const ctx = createContext({ ...dcgan(), ...models });
      expectArgError(
        () => discriminatorStep(ctx, real, { weightClipping: 0.02, clipValue: 0.02 }),
        'discriminatorStep',
        'clipValue',
        /^discriminatorStep: clipValue: deprecated alias of weightClipping; pass only weightClipping$/,
      );
      expectArgError(
        () => discriminatorStep(ctx, real, { clipValue: -1 }),
        'discriminatorStep',
        'clipValue',
        /clipValue must be a finite number > 0, got -1/,
      );
      real.dispose();
    });

    it('wganGp: penaltyWeight (lambda)', () => {
      const critic = (x: tf.Tensor) => tf.sum(tf.mul(x, 3), 1);
      const [real, fake] = [tf.ones([4, 2]), tf.zeros([4, 2])];
      const penalty = (options: { penaltyWeight?: number; lambda?: number }) => {
        const preset = wganGp(options);
        const value = preset.losses.penalty?.(critic, real, fake, { seed: 1 }).dataSync()[0];
        preset.optimizers.generator.dispose();
        preset.optimizers.discriminator.dispose();
        return value;
      };
      // A linear critic: ‖∇D‖ = 3√2 everywhere, so the penalty is λ (3√2 − 1)².
      expect(penalty({ penaltyWeight: 2 })).toBeCloseTo(2 * (3 * Math.SQRT2 - 1) ** 2, 4);
      expect(penalty({ lambda: 2 })).toBe(penalty({ penaltyWeight: 2 }));
      expect(penalty({})).toBeCloseTo(10 * (3 * Math.SQRT2 - 1) ** 2, 3);
      expectArgError(
        () => wganGp({ penaltyWeight: 2, lambda: 2 }),
        'wganGp',
        'lambda',
        /^wganGp: lambda: deprecated alias of penaltyWeight; pass only penaltyWeight$/,
      );
      tf.dispose([real, fake]);
    });
  });
});
