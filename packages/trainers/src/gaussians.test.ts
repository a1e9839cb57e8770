import { mlpGan, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { dcgan, type TrainerPreset, wganGp } from './presets';
import { createTrainer } from './trainer';

const MODES = Array.from({ length: 8 }, (_, i) => [2 * Math.cos((i * Math.PI) / 4), 2 * Math.sin((i * Math.PI) / 4)]);

/** GAN Lab's ring: 8 Gaussians (σ 0.05) on a circle of radius 2. */
function ring(n: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const which = tf.randomUniform([n], 0, 8, 'int32', seed);
    return tf.add(tf.gather(tf.tensor2d(MODES), which), tf.randomNormal([n, 2], 0, 0.05, 'float32', seed + 1)) as tf.Tensor2D;
  });
}

/** Modes holding ≥ 2% of the samples within 0.5 of their centre, and the share of samples near any mode. */
export function coverage(points: number[][]) {
  const counts = new Array(8).fill(0);
  let near = 0;
  for (const [x, y] of points) {
    const d = MODES.map(([mx, my]) => Math.hypot(x - mx, y - my));
    const best = d.indexOf(Math.min(...d));
    if (d[best] < 0.5) {
      counts[best]++;
      near++;
    }
  }
  return { modes: counts.filter((c) => c >= 0.02 * points.length).length, quality: near / points.length, counts };
}

async function train(preset: TrainerPreset, iterations: number) {
  const { generator, discriminator } = mlpGan({ seed: 4, latentDim: 2, hidden: 64 });
  const trainer = createTrainer({ ...preset, generator, discriminator, seed: 6, logEvery: 500, warnings: false });
  const data = ring(8192, 1);
  const started = performance.now();
  await trainer.fit(data, { batchSize: 128, steps: iterations });
  const seconds = (performance.now() - started) / 1000;
  const samples = trainer.generate(2000, { seed: 3 });
  const result = { ...coverage(samples.arraySync() as number[][]), seconds };
  tf.dispose([data, samples]);
  trainer.dispose();
  generator.dispose();
  discriminator.dispose();
  return result;
}

// A learning test, not a unit test: it needs thousands of iterations, so it runs on the cpu
// backend only (the steps themselves are tested on every backend).
describe.runIf(testBackend() === 'cpu')('learning a mixture of 8 Gaussians (GAN Lab ring)', () => {
  it('WGAN-GP covers all 8 modes', async () => {
    const result = await train(wganGp(), 2500);
    console.log('WGAN-GP', result);
    expect(result.modes).toBe(8);
    expect(result.quality).toBeGreaterThan(0.5);
  }, 300_000);

  it('plain DCGAN-style training, for comparison (reported, not asserted)', async () => {
    const result = await train(dcgan(), 1000);
    console.log('GAN', result);
    expect(result.modes).toBeGreaterThanOrEqual(1);
  }, 300_000);
});
