import { expectArgError, expectClose, expectNoLeaks, mlpGan, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { wganGp } from '../presets/presets';
import { createTrainer } from './create-trainer';
import { latentWalk, slerp } from './generation';

describe(`generation [${testBackend()}]`, () => {
  it('slerp: the ends are a and b; the midpoint of equal-norm latents keeps their norm', () => {
    const a = tf.tensor2d([[3, 0, 0, 4]]);
    const b = tf.tensor2d([[0, 5, 0, 0]]);
    // WebGL's acos/sin are good to ~3e-5 relative (float32 in shaders).
    const tol = { atol: 1e-5, rtol: 1e-4 };
    expectClose(slerp(a, b, tf.scalar(0)), a, tol);
    expectClose(slerp(a, b, tf.scalar(1)), b, tol);
    const mid = slerp(a, b, tf.scalar(0.5));
    // Orthogonal a and b of norm 5: (a + b)/√2, norm 5 (the straight line's midpoint has 3.54).
    expectClose(mid, tf.div(tf.add(a, b), Math.SQRT2), tol);
    expect(tf.norm(mid).dataSync()[0]).toBeCloseTo(5, 3);
    tf.dispose([a, b, mid]);
  });

  it('latentWalk: rows of `steps` latents from each `from` to its `to`; linear too; no leaks', () => {
    const from = tf.randomNormal([3, 6], 0, 1, 'float32', 1) as tf.Tensor2D;
    const to = tf.randomNormal([3, 6], 0, 1, 'float32', 2) as tf.Tensor2D;
    expectNoLeaks(() => latentWalk(from, to, { steps: 5 }).dispose(), 'latentWalk');
    for (const method of ['slerp', 'linear'] as const) {
      const walk = latentWalk(from, to, { steps: 5, method });
      expect(walk.shape).toEqual([15, 6]);
      const rows = tf.reshape(walk, [3, 5, 6]);
      expectClose(tf.reshape(tf.slice(rows, [0, 0, 0], [3, 1, 6]), [3, 6]), from, { atol: 1e-5 });
      expectClose(tf.reshape(tf.slice(rows, [0, 4, 0], [3, 1, 6]), [3, 6]), to, { atol: 1e-5 });
      if (method === 'linear')
        expectClose(
          tf.reshape(tf.slice(rows, [0, 2, 0], [3, 1, 6]), [3, 6]),
          tf.div(tf.add(from, to), 2),
          { atol: 1e-5 },
        );
      tf.dispose([walk, rows]);
    }
    tf.dispose([from, to]);
  });

  it('trainer.generate(latents) is the sampler on those latents; generate(n) is seeded', () => {
    const { generator, discriminator, latentDim } = mlpGan({ seed: 4 });
    const t = createTrainer({ ...wganGp(), generator, discriminator, warnings: null });
    const z = tf.randomNormal([5, latentDim], 0, 1, 'float32', 9);
    const images = t.generate(z);
    const direct = generator.predict(z) as tf.Tensor;
    expectClose(images, direct, { atol: 0, rtol: 0 });
    const a = t.generate(6, { seed: 3 });
    const b = t.generate(6, { seed: 3 });
    expectClose(a, b, { atol: 0, rtol: 0 });
    expectArgError(
      () => t.generate(tf.zeros([2, latentDim + 1]) as never),
      'trainer.generate',
      'latents',
    );
    expectArgError(() => t.generate(0), 'trainer.generate', 'n');
    expectArgError(
      () => latentWalk(z as tf.Tensor2D, tf.zeros([5, 1]) as tf.Tensor2D),
      'latentWalk',
      'to',
    );
    expectArgError(
      () => latentWalk(z as tf.Tensor2D, z as tf.Tensor2D, { method: 'cubic' as never }),
      'latentWalk',
      'method',
    );
    tf.dispose([z, images, direct, a, b]);
    t.dispose();
    generator.dispose();
    discriminator.dispose();
  });
});
