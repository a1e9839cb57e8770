import { checkGradients, expectNoLeaks, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { diffAugment, randomFlip, randomFlipBatch } from './augment';
import { rawImage } from './raw-image';

describe(`augmentation [${testBackend()}]`, () => {
  it('randomFlip mirrors exactly, about half the time, reproducibly per (seed, epoch, index)', () => {
    const img = rawImage(3, 1, 3, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9));
    const flips = Array.from({ length: 400 }, (_, i) => randomFlip(img, 5, 0, i) !== img);
    const share = flips.filter(Boolean).length / flips.length;
    expect(share).toBeGreaterThan(0.42);
    expect(share).toBeLessThan(0.58);
    const i = flips.indexOf(true);
    expect(Array.from(randomFlip(img, 5, 0, i).data)).toEqual([7, 8, 9, 4, 5, 6, 1, 2, 3]);
    expect(flips).toEqual(Array.from({ length: 400 }, (_, k) => randomFlip(img, 5, 0, k) !== img));
    expect(flips).not.toEqual(
      Array.from({ length: 400 }, (_, k) => randomFlip(img, 5, 1, k) !== img),
    );
  });

  it('randomFlipBatch flips whole images left–right', () => {
    const x = tf.tensor4d([1, 2, 3, 4], [2, 1, 2, 1]);
    const out = expectNoLeaks(() => randomFlipBatch(x, 1, 1));
    expect(Array.from(out.dataSync())).toEqual([2, 1, 4, 3]);
    tf.dispose([x, out]);
  });

  it('DiffAugment is reproducible per seed, changes the images, and is leak-free', () => {
    const x = tf.randomUniform([3, 8, 8, 3], -1, 1, 'float32', 2);
    const [a, b, c] = expectNoLeaks(() => [
      diffAugment(x, 9),
      diffAugment(x, 9),
      diffAugment(x, 10),
    ]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
    expect(a.shape).toEqual(x.shape);
    tf.dispose([x, a, b, c]);
  });

  it('translation fills with zeros and cutout zeroes a square', () => {
    const ones = tf.ones([2, 8, 8, 1]);
    const cut = diffAugment(ones, 3, { policies: ['cutout'] });
    const zeros = Array.from(cut.dataSync()).filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(0);
    expect(zeros).toBeLessThanOrEqual(2 * 16);
    const moved = diffAugment(ones, 4, { policies: ['translation'], translation: 0.25 });
    const values = new Set(moved.dataSync());
    expect([...values].every((v) => v === 0 || v === 1)).toBe(true);
    tf.dispose([ones, cut, moved]);
  });

  it('lets gradients flow to the images (checked against finite differences)', () => {
    const x = tf.randomUniform([2, 4, 4, 3], -1, 1, 'float32', 6);
    const r = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 7);
    const f = (xi: tf.Tensor) => tf.sum(tf.mul(diffAugment(xi, 11), r)) as tf.Scalar;
    const g = tf.grad(f)(x);
    expect(Math.max(...Array.from(g.dataSync(), Math.abs))).toBeGreaterThan(0);
    checkGradients(f, [x]);
    tf.dispose([x, r, g]);
  });
});
