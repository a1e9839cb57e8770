import { expectArgError, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  animeDcgan,
  dcganDiscriminator,
  dcganGenerator,
  dcganMnist,
  hrDcgan,
  hrDcganMnist,
  pokemonGan,
  pytorchDcgan,
  stagePlan,
  wganGpCritic,
} from './index';

// Each row: [audit row, call, fn, arg, message tail]. Options are checked before any layer is
// built, so no case creates a weight.
type Case = [string, () => unknown, string, string, RegExp];

const never = (value: unknown) => value as never;

const cases: Case[] = [
  // #93: stagePlan's messages under the caller's name.
  ['#93', () => stagePlan(4), 'stagePlan', 'resolution', /must be an integer ≥ 6, got 4$/],
  [
    '#93',
    () => stagePlan(100),
    'stagePlan',
    'resolution',
    /resolution 100 is not s·2\^k with s in 3…7/,
  ],
  [
    '#93',
    () => dcganGenerator(never({ latentDim: 8 })),
    'dcganGenerator',
    'resolution',
    /resolution must be an integer ≥ 6, got undefined$/,
  ],
  [
    '#93',
    () => dcganDiscriminator({ resolution: 33 }),
    'dcganDiscriminator',
    'resolution',
    /resolution 33 is not s·2\^k/,
  ],
  [
    '#93',
    () => pokemonGan({ resolution: 100 }),
    'pokemonGan',
    'resolution',
    /resolution 100 is not s·2\^k/,
  ],
  // #60: a required options object.
  [
    '#60',
    () => dcganGenerator(never(undefined)),
    'dcganGenerator',
    'options',
    /options must be an options object \(it is required\), got undefined$/,
  ],
  ['#60', () => dcganDiscriminator(never(null)), 'dcganDiscriminator', 'options', /got null$/],
  // #94: every option of the builders under the builder's name.
  [
    '#94',
    () => dcganGenerator({ resolution: 16, latentDim: 0 }),
    'dcganGenerator',
    'latentDim',
    /latentDim must be a positive integer, got 0$/,
  ],
  [
    '#94',
    () => dcganGenerator({ resolution: 16, channels: 1.5 }),
    'dcganGenerator',
    'channels',
    /channels must be a positive integer, got 1.5$/,
  ],
  [
    '#94',
    () => dcganGenerator({ resolution: 16, baseFilters: Number.NaN }),
    'dcganGenerator',
    'baseFilters',
    /baseFilters must be a positive integer, got NaN$/,
  ],
  [
    '#94',
    () => dcganGenerator({ resolution: 16, kernelSize: never('4') }),
    'dcganGenerator',
    'kernelSize',
    /kernelSize must be a positive integer, got '4'$/,
  ],
  [
    '#94',
    () => dcganGenerator({ resolution: 16, norm: never('instance') }),
    'dcganGenerator',
    'norm',
    /norm must be 'batch' \| 'pixel' \| 'none', got 'instance'$/,
  ],
  [
    '#94',
    () => dcganGenerator({ resolution: 16, activation: never('gelu') }),
    'dcganGenerator',
    'activation',
    /activation must be 'relu' \| 'leakyRelu' \| 'selu', got 'gelu'$/,
  ],
  [
    '#94',
    () => dcganGenerator({ resolution: 16, init: never('he') }),
    'dcganGenerator',
    'init',
    /init must be 'dcgan' \| 'glorot' \| 'lecun', got 'he'$/,
  ],
  [
    '#94 (L)',
    () => dcganGenerator({ resolution: 16, extraConv: never('yes') }),
    'dcganGenerator',
    'extraConv',
    /extraConv must be true or false, got 'yes'$/,
  ],
  [
    '#94',
    () => dcganDiscriminator({ resolution: 16, norm: never('group') }),
    'dcganDiscriminator',
    'norm',
    /norm must be 'batch' \| 'instance' \| 'layer' \| 'spectral' \| 'none', got 'group'$/,
  ],
  [
    '#94',
    () => dcganDiscriminator({ resolution: 16, output: never('sigmoid') }),
    'dcganDiscriminator',
    'output',
    /output must be 'logit' \| 'score', got 'sigmoid'$/,
  ],
  [
    '#94',
    () => dcganDiscriminator({ resolution: 16, channels: 0 }),
    'dcganDiscriminator',
    'channels',
    /channels must be a positive integer, got 0$/,
  ],
  [
    '#94',
    () => dcganDiscriminator({ resolution: 16, activation: never('toString') }),
    'dcganDiscriminator',
    'activation',
    /got 'toString'$/,
  ],
  // #61: maxFilters is a filter count (or no cap).
  [
    '#61',
    () => dcganGenerator({ resolution: 16, maxFilters: 1.5 }),
    'dcganGenerator',
    'maxFilters',
    /maxFilters must be a positive integer or Infinity, got 1.5$/,
  ],
  [
    '#61',
    () => dcganDiscriminator({ resolution: 16, maxFilters: 0 }),
    'dcganDiscriminator',
    'maxFilters',
    /maxFilters must be a positive integer or Infinity, got 0$/,
  ],
  [
    '#61',
    () => pokemonGan({ resolution: 16, maxFilters: -1 }),
    'pokemonGan',
    'maxFilters',
    /got -1$/,
  ],
  // #96 (and the M row: a number or string taken for options).
  [
    '#96',
    () => dcganDiscriminator({ resolution: 16, minibatchDiscrimination: { numKernels: 0 } }),
    'dcganDiscriminator',
    'minibatchDiscrimination.numKernels',
    /minibatchDiscrimination.numKernels must be a positive integer, got 0$/,
  ],
  [
    '#96',
    () => dcganDiscriminator({ resolution: 16, minibatchDiscrimination: { kernelDim: 2.5 } }),
    'dcganDiscriminator',
    'minibatchDiscrimination.kernelDim',
    /got 2.5$/,
  ],
  [
    '#96 (M)',
    () => dcganDiscriminator({ resolution: 16, minibatchDiscrimination: never(5) }),
    'dcganDiscriminator',
    'minibatchDiscrimination',
    /minibatchDiscrimination must be true, false or \{ numKernels\?, kernelDim\? \}, got 5$/,
  ],
  [
    '#96',
    () => pokemonGan({ resolution: 16, minibatchDiscrimination: { numKernels: 0 } }),
    'pokemonGan',
    'minibatchDiscrimination.numKernels',
    /minibatchDiscrimination.numKernels must be a positive integer, got 0$/,
  ],
  [
    '#96',
    () => pokemonGan({ resolution: 16, minibatchDiscrimination: never(5) }),
    'pokemonGan',
    'minibatchDiscrimination',
    /minibatchDiscrimination must be an object, got 5$/,
  ],
  // The deprecated name: the errors name what the caller wrote.
  [
    '#96',
    () => pokemonGan({ resolution: 16, minibatch: { numKernels: 0 } }),
    'pokemonGan',
    'minibatch.numKernels',
    /minibatch.numKernels must be a positive integer, got 0$/,
  ],
  [
    '#96',
    () => pokemonGan({ resolution: 16, minibatch: never(5) }),
    'pokemonGan',
    'minibatch',
    /minibatch must be an object, got 5$/,
  ],
  // #97: seeds under the model's name, not SeedStream's.
  [
    '#97',
    () => dcganGenerator({ resolution: 16, seed: -1 }),
    'dcganGenerator',
    'seed',
    /seed must be an integer in \[0, 2\^32\), got -1$/,
  ],
  [
    '#97',
    () => dcganDiscriminator({ resolution: 16, seed: never('7') }),
    'dcganDiscriminator',
    'seed',
    /got '7'$/,
  ],
  // The derived discriminator seed used to turn 1.5 into a valid one.
  ['#97', () => pokemonGan({ resolution: 16, seed: 1.5 }), 'pokemonGan', 'seed', /got 1.5$/],
  ['#97', () => animeDcgan({ seed: Number.NaN }), 'animeDcgan', 'seed', /got NaN$/],
  ['#97', () => dcganMnist({ seed: 2 ** 32 }), 'dcganMnist', 'seed', /got 4294967296$/],
  ['#97', () => hrDcgan({ seed: -2 }), 'hrDcgan', 'seed', /got -2$/],
  ['#97', () => wganGpCritic({ seed: 0.5 }), 'wganGpCritic', 'seed', /got 0.5$/],
  // #95: the presets' inner options under the preset's name.
  [
    '#95',
    () => pokemonGan({ resolution: 16, baseFilters: 0 }),
    'pokemonGan',
    'baseFilters',
    /baseFilters must be a positive integer, got 0$/,
  ],
  ['#95', () => pokemonGan({ resolution: 16, latentDim: 0 }), 'pokemonGan', 'latentDim', /got 0$/],
  [
    '#95',
    () => pokemonGan({ resolution: 16, mode: never('WGAN') }),
    'pokemonGan',
    'mode',
    /mode must be 'dcgan' \| 'wgan', got 'WGAN'$/,
  ],
  [
    '#95',
    () => pokemonGan({ resolution: 16, init: never('he') }),
    'pokemonGan',
    'init',
    /got 'he'$/,
  ],
  ['#95', () => hrDcgan({ channels: 0 }), 'hrDcgan', 'channels', /got 0$/],
  ['#95', () => hrDcgan({ resolution: 18 }), 'hrDcgan', 'resolution', /resolution 18 is not/],
  ['#95', () => pytorchDcgan({ resolution: 5 }), 'pytorchDcgan', 'resolution', /≥ 6, got 5$/],
  ['#95', () => pytorchDcgan({ latentDim: -1 }), 'pytorchDcgan', 'latentDim', /got -1$/],
  [
    '#95',
    () => wganGpCritic({ baseFilters: 0 }),
    'wganGpCritic',
    'baseFilters',
    /baseFilters must be a positive integer, got 0$/,
  ],
  [
    '#95',
    () => wganGpCritic({ norm: never('group') }),
    'wganGpCritic',
    'norm',
    /norm must be 'instance' \| 'layer' \| 'spectral' \| 'none', got 'group'$/,
  ],
  [
    '#95',
    () => wganGpCritic({ norm: never('batch') }),
    'wganGpCritic',
    'norm',
    /norm 'batch' mixes the samples/,
  ],
  ['#94', () => dcganMnist({ latentDim: 0 }), 'dcganMnist', 'latentDim', /got 0$/],
  ['#94', () => hrDcganMnist({ latentDim: 1.5 }), 'hrDcganMnist', 'latentDim', /got 1.5$/],
  ['#94', () => hrDcganMnist({ init: never('he') }), 'hrDcganMnist', 'init', /got 'he'$/],
  ['#94', () => animeDcgan({ latentDim: 0 }), 'animeDcgan', 'latentDim', /got 0$/],
  ['#94', () => animeDcgan({ init: never('he') }), 'animeDcgan', 'init', /got 'he'$/],
  // #33 (H1) / #62: filters with ≠ 4 entries built models that do not fit together.
  [
    '#33',
    () => animeDcgan({ filters: never([256, 128, 64]) }),
    'animeDcgan',
    'filters',
    /filters must be an array of 4 positive integers, got an array of 3$/,
  ],
  [
    '#62',
    () => animeDcgan({ filters: never(64) }),
    'animeDcgan',
    'filters',
    /filters must be an array of 4 positive integers, got 64$/,
  ],
  [
    '#33',
    () => animeDcgan({ filters: [512, 256, 0, 64] }),
    'animeDcgan',
    'filters[2]',
    /filters\[2\] must be a positive integer, got 0$/,
  ],
  // #134: options null.
  ['#134', () => pokemonGan(never(null)), 'pokemonGan', 'options', /must be an object, got null$/],
  ['#134', () => animeDcgan(never(null)), 'animeDcgan', 'options', /got null$/],
  ['#134', () => hrDcgan(never(null)), 'hrDcgan', 'options', /got null$/],
  ['#134', () => pytorchDcgan(never(null)), 'pytorchDcgan', 'options', /got null$/],
  ['#134', () => dcganMnist(never(null)), 'dcganMnist', 'options', /got null$/],
  ['#134', () => wganGpCritic(never(null)), 'wganGpCritic', 'options', /got null$/],
];

describe(`models: misuse [${testBackend()}]`, () => {
  const named = cases.map(([row, ...rest]) => [`${row}: ${rest[1]} ${rest[2]}`, ...rest] as const);
  it.each(named)('%s', (_name, call, fn, arg, tail) => {
    const before = tf.memory().numTensors;
    expectArgError(call, fn, arg, tail);
    // Checked before the first layer (and its weights) exists.
    expect(tf.memory().numTensors).toBe(before);
  });

  it('animeDcgan: 4 filters still build models that fit together', () => {
    const { generator, discriminator } = animeDcgan({ filters: [8, 4, 2, 2], seed: 1 });
    expect(generator.outputs[0].shape).toEqual(discriminator.inputs[0].shape);
    generator.dispose();
    discriminator.dispose();
  });

  it('pokemonGan: minibatchDiscrimination, the deprecated minibatch (same models), never both', () => {
    const summary = (options: Parameters<typeof pokemonGan>[0]) => {
      const { generator, discriminator } = pokemonGan({
        resolution: 16,
        baseFilters: 2,
        seed: 3,
        ...options,
      });
      const mbd = discriminator.layers.find(
        (l) => l.getClassName() === 'MinibatchDiscrimination',
      ) as unknown as { numKernels: number; kernelDim: number };
      const result = {
        layer: [mbd.numKernels, mbd.kernelDim],
        weights: discriminator.getWeights().map((w) => Array.from(w.dataSync())),
      };
      generator.dispose();
      discriminator.dispose();
      return result;
    };
    const byNew = summary({ minibatchDiscrimination: { numKernels: 7, kernelDim: 3 } });
    expect(byNew.layer).toEqual([7, 3]);
    expect(summary({ minibatch: { numKernels: 7, kernelDim: 3 } })).toEqual(byNew);
    expect(summary({}).layer).toEqual([100, 5]);
    expectArgError(
      () => pokemonGan({ resolution: 16, minibatchDiscrimination: {}, minibatch: {} }),
      'pokemonGan',
      'minibatch',
      /^pokemonGan: minibatch: deprecated alias of minibatchDiscrimination; pass only minibatchDiscrimination$/,
    );
  });

  it('minibatchDiscrimination: true / false / {} keep their meaning', () => {
    const layers = (minibatchDiscrimination: boolean | object) => {
      const d = dcganDiscriminator({ resolution: 16, baseFilters: 2, minibatchDiscrimination });
      const names = d.layers.map((l) => l.getClassName());
      const mbd = d.layers.find((l) => l.getClassName() === 'MinibatchDiscrimination') as
        | { numKernels: number; kernelDim: number }
        | undefined;
      d.dispose();
      return [names.includes('MinibatchDiscrimination'), mbd?.numKernels, mbd?.kernelDim];
    };
    expect(layers(false)).toEqual([false, undefined, undefined]);
    expect(layers(true)).toEqual([true, 100, 5]);
    expect(layers({ kernelDim: 3 })).toEqual([true, 100, 3]);
  });
});
