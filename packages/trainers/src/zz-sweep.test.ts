import { mlpGan, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { it } from 'vitest';
import { wganGp } from './presets';
import { createTrainer } from './trainer';

const MODES = Array.from({ length: 8 }, (_, i) => [2 * Math.cos((i * Math.PI) / 4), 2 * Math.sin((i * Math.PI) / 4)]);
function ring(n: number, seed: number) {
  return tf.tidy(() => tf.add(tf.gather(tf.tensor2d(MODES), tf.randomUniform([n], 0, 8, 'int32', seed)), tf.randomNormal([n, 2], 0, 0.05, 'float32', seed + 1)));
}
function coverage(points: number[][]) {
  const counts = new Array(8).fill(0); let near = 0;
  for (const [x, y] of points) { const d = MODES.map(([mx, my]) => Math.hypot(x - mx, y - my)); const b = d.indexOf(Math.min(...d)); if (d[b] < 0.5) { counts[b]++; near++; } }
  return { modes: counts.filter((c) => c >= 0.02 * points.length).length, quality: near / points.length };
}
it('sweep', async () => {
  for (const [lr, hidden, batch, iters, nCritic, latent] of (process.env.SWEEP === 'a' ? [[1e-3, 64, 256, 4000, 5, 8]] : [[2e-3, 64, 256, 4000, 5, 2]])) {
    const { generator, discriminator } = mlpGan({ seed: 4, latentDim: latent, hidden });
    const preset = wganGp({ nCritic });
    preset.optimizers.generator.dispose(); preset.optimizers.discriminator.dispose();
    preset.optimizers = { generator: tf.train.adam(lr, 0.5, 0.9), discriminator: tf.train.adam(lr, 0.5, 0.9) };
    const trainer = createTrainer({ ...preset, generator, discriminator, seed: 6, logEvery: 500, warnings: false });
    const data = ring(8192, 1);
    const t0 = performance.now();
    for (const chunk of [0, 1, 2, 3, 4, 5]) {
      await trainer.fit(data, { batchSize: batch, steps: iters / 6 });
      const s = trainer.generate(2000, { seed: 3 });
      const c = coverage(s.arraySync() as number[][]);
      console.log('SWEEP', testBackend(), JSON.stringify({ lr, hidden, batch, nCritic, it: trainer.state.iteration, modes: c.modes, q: c.quality, s: ((performance.now() - t0) / 1000).toFixed(1) }));
      s.dispose();
    }
    trainer.dispose(); generator.dispose(); discriminator.dispose(); data.dispose();
  }
}, 900_000);
