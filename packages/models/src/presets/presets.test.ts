import { gradientPenalty } from '@gan/losses';
import { expectNoLeaks, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import counts from '../../fixtures/param-counts.json';
import {
  animeDcgan,
  dcganMnist,
  type GanModels,
  hrDcgan,
  hrDcganMnist,
  pokemonGan,
  pytorchDcgan,
  wganGpCritic,
} from './index';

const trainable = (m: tfl.LayersModel) =>
  m.trainableWeights.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);

function expectCounts(models: GanModels, expected: { generator: number; discriminator: number }) {
  const actual = {
    generator: trainable(models.generator),
    discriminator: trainable(models.discriminator),
  };
  models.generator.dispose();
  models.discriminator.dispose();
  expect(actual).toEqual(expected);
}

// Parameter counts do not depend on the backend, and the full-size models (up to 27M weights)
// are slow to initialise on software WebGL: count them once, on cpu.
describe.runIf(testBackend() === 'cpu')('preset parameter counts (PyTorch-derived fixture)', () => {
  it('pytorchDcgan equals PyTorch’s DCGAN tutorial', () =>
    expectCounts(pytorchDcgan(), counts.pytorchDcgan));
  it('animeDcgan', () => expectCounts(animeDcgan(), counts.animeDcgan));
  it('dcganMnist and hrDcganMnist (the faces write-up’s 28×28×1 models)', () => {
    expectCounts(dcganMnist(), counts.dcganMnist);
    expectCounts(hrDcganMnist(), counts.hrDcganMnist);
  });
  it('hrDcgan at 64×64', () => expectCounts(hrDcgan(), counts.hrDcgan64));
  it('pokemonGan at 64 and 256 px, DCGAN and WGAN modes', () => {
    for (const mode of ['dcgan', 'wgan'] as const) {
      expectCounts(pokemonGan({ resolution: 64, mode }), counts.pokemonGan64);
      expectCounts(pokemonGan({ resolution: 256, mode }), counts.pokemonGan256);
    }
  });
  it('wganGpCritic with each allowed norm', () => {
    for (const norm of ['instance', 'layer', 'spectral', 'none'] as const) {
      const critic = wganGpCritic({ norm });
      expect(trainable(critic), norm).toBe(counts.wganGpCritic64[norm]);
      critic.dispose();
    }
  });
});

describe(`presets [${testBackend()}]`, () => {
  it('build the seeds’ shapes and outputs', () => {
    const anime = animeDcgan({ seed: 1 });
    expect(anime.generator.outputs[0].shape).toEqual([null, 64, 64, 3]);
    expect(
      anime.discriminator.layers
        .filter((l) => l.getClassName() === 'Conv2D')
        .map((l) => l.getConfig().filters as number),
    ).toEqual([512, 256, 128, 64]);
    const pokemon = pokemonGan({ resolution: 256, mode: 'wgan', baseFilters: 2, maxFilters: 4 });
    expect(pokemon.generator.outputs[0].shape).toEqual([null, 256, 256, 3]);
    const names = pokemon.discriminator.layers.map((l) => l.getClassName());
    expect(names.slice(-2)).toEqual(['MinibatchDiscrimination', 'Dense']);
    expect(pokemon.discriminator.layers.at(-1)?.name).toBe('score');
    expect(pokemonGan({ resolution: 64, baseFilters: 2 }).discriminator.layers.at(-1)?.name).toBe(
      'logit',
    );
    const hr = hrDcgan({ resolution: 16, baseFilters: 2 });
    expect(
      hr.generator.layers
        .filter((l) => l.getClassName() === 'Conv2DTranspose')
        .map((l) => (l.getConfig().strides as number[])[0]),
    ).toEqual([1, 2, 2]);
    expect(
      hr.discriminator.layers
        .filter((l) => l.getClassName() === 'Conv2D')
        .map((l) => (l.getConfig().strides as number[])[0]),
    ).toEqual([2, 2, 1]);
    expect(hr.generator.layers.some((l) => l.getClassName() === 'ReLU')).toBe(false);
    for (const m of [anime, pokemon, hr]) {
      m.generator.dispose();
      m.discriminator.dispose();
    }
  });

  // The builders' tests train every layer type; at full size a backward pass of these on the
  // pure-JS cpu backend takes tens of seconds, so the presets run forward.
  it('the MNIST presets run forward: 28×28×1 images in [−1, 1], one logit each, no leaks', () => {
    for (const preset of [dcganMnist, hrDcganMnist]) {
      const { generator, discriminator, latentDim } = preset({ seed: 2 });
      const [shape, logits] = expectNoLeaks(() =>
        tf.tidy(() => {
          const images = generator.predict(
            tf.randomNormal([2, latentDim], 0, 1, 'float32', 3),
          ) as tf.Tensor;
          const out = discriminator.predict(images) as tf.Tensor;
          expect(Math.max(...Array.from(images.dataSync(), Math.abs))).toBeLessThanOrEqual(1);
          return [images.shape, Array.from(out.dataSync())] as const;
        }),
      );
      expect(shape).toEqual([2, 28, 28, 1]);
      expect(logits.every(Number.isFinite)).toBe(true);
      generator.dispose();
      discriminator.dispose();
    }
  });

  it('a gradient penalty refuses batch-coupled critics and accepts wganGpCritic', () => {
    const real = tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 3);
    const fake = tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 4);
    const batchNormed = pytorchDcgan({ resolution: 16, baseFilters: 2 }).discriminator;
    const pokemon = pokemonGan({ resolution: 16, baseFilters: 2, mode: 'wgan' }).discriminator;
    expect(() => gradientPenalty(batchNormed, real, fake)).toThrow(/BatchNormalization/);
    expect(() => gradientPenalty(pokemon, real, fake)).toThrow(/MinibatchDiscrimination/);
    for (const norm of ['instance', 'layer', 'spectral', 'none'] as const) {
      const critic = wganGpCritic({ resolution: 16, baseFilters: 2, norm, seed: 5 });
      const penalty = gradientPenalty(critic, real, fake, { seed: 6 });
      expect(Number.isFinite(penalty.dataSync()[0])).toBe(true);
      penalty.dispose();
      critic.dispose();
    }
    expect(() => wganGpCritic({ norm: 'batch' as never })).toThrow(
      /norm 'batch' mixes the samples/,
    );
    tf.dispose([real, fake]);
    batchNormed.dispose();
    pokemon.dispose();
  });

  it('seeded presets are reproducible', () => {
    const weights = () => {
      const { generator, discriminator } = hrDcganMnist({ seed: 9 });
      const first = [generator.getWeights()[0], discriminator.getWeights()[0]].map((w) =>
        Array.from(w.dataSync().slice(0, 50)),
      );
      generator.dispose();
      discriminator.dispose();
      return first;
    };
    const [a, b] = [weights(), weights()];
    expect(a).toEqual(b);
    expect(a[0]).not.toEqual(a[1].slice(0, 50));
  });
});
