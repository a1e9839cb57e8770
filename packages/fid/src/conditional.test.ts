import { expectArgErrorAsync, expectClose, expectNoLeaksAsync, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { classifierAccuracy, ganTest, intraClassFid } from './conditional';
import { extractFeatures } from './extract';
import { frechetDistance } from './frechet';
import { pixelExtractor } from './pixel-extractor';

/** 2×2 gray images: class c's pixels around −0.6 + 0.6c, n per class. */
function classes(n: number, seed: number, swap = false) {
  return tf.tidy(() => {
    const labels = tf.tensor1d(
      Array.from({ length: 3 * n }, (_, i) => i % 3),
      'int32',
    );
    const centre = tf.reshape(
      tf.sub(tf.mul(tf.cast(swap ? tf.sub(2, labels) : labels, 'float32'), 0.6), 0.6),
      [3 * n, 1, 1, 1],
    );
    const images = tf.add(centre, tf.randomNormal([3 * n, 2, 2, 1], 0, 0.1, 'float32', seed));
    return { images, labels };
  });
}

describe(`conditional metrics [${testBackend()}]`, () => {
  it('intraClassFid: per-class Fréchet distances; sees swapped classes that FID over all images cannot', async () => {
    const extractor = pixelExtractor({ size: 2 });
    const real = classes(40, 1);
    const same = classes(40, 2);
    const swapped = classes(40, 2, true);
    const good = await intraClassFid(real, same, extractor);
    const bad = await intraClassFid(real, swapped, extractor);
    expect(good.counts).toEqual({ real: [40, 40, 40], fake: [40, 40, 40] });
    // Class 0 by hand: the distance between its real and its generated images' statistics.
    const at = (d: { images: tf.Tensor; labels: tf.Tensor }, c: number) =>
      tf.tidy(
        () =>
          tf.gather(
            d.images,
            tf.tensor1d(
              Array.from({ length: 40 }, (_, i) => 3 * i + c),
              'int32',
            ),
          ) as tf.Tensor4D,
      );
    const [r0, f0] = [at(real, 0), at(swapped, 0)];
    const byHand = frechetDistance(
      (await extractFeatures(r0, extractor)).stats,
      (await extractFeatures(f0, extractor)).stats,
      { onWarning: null },
    );
    expectClose(bad.perClass[0], byHand, { rtol: 1e-9 });
    expect(good.mean).toBeLessThan(0.1);
    expect(bad.perClass[1]).toBeLessThan(0.1); // the middle class swaps with itself
    expect(bad.perClass[0]).toBeGreaterThan(4 * 1.2 ** 2 * 0.9); // 4 pixels, means 1.2 apart
    // Over all images the two generators look alike.
    const all = async (d: { images: tf.Tensor }) =>
      (await extractFeatures(d.images as tf.Tensor4D, extractor)).stats;
    const overall = [
      frechetDistance(await all(real), await all(same), { onWarning: null }),
      frechetDistance(await all(real), await all(swapped), { onWarning: null }),
    ];
    expect(Math.abs(overall[0] - overall[1])).toBeLessThan(0.05);
    tf.dispose([
      real.images,
      real.labels,
      same.images,
      same.labels,
      swapped.images,
      swapped.labels,
      r0,
      f0,
    ]);
  });

  it('ganTest and classifierAccuracy: argmax of the logits against the labels, per class, leak-free', async () => {
    const data = classes(10, 3);
    // A "classifier" that knows the class centres: nearest of −0.6, 0, 0.6 by the mean pixel.
    const nearest = (x: tf.Tensor) =>
      tf.tidy(() => {
        const m = tf.reshape(tf.mean(x, [1, 2, 3]), [-1, 1]);
        return tf.neg(tf.abs(tf.sub(m, tf.tensor2d([[-0.6, 0, 0.6]]))));
      });
    const right = await expectNoLeaksAsync(() => ganTest(nearest, data, { batchSize: 7 }));
    expect(right).toEqual({ accuracy: 1, perClass: [1, 1, 1], count: 30 });
    // Always class 2: a third right, all of them class 2's.
    const always2 = (x: tf.Tensor) =>
      tf.tidy(() => tf.tile(tf.tensor2d([[0, 0, 1]]), [x.shape[0], 1]));
    const third = await classifierAccuracy(always2, data);
    expect(third.accuracy).toBeCloseTo(1 / 3, 12);
    expect(third.perClass).toEqual([0, 0, 1]);
    await expectArgErrorAsync(
      () => ganTest(() => tf.zeros([2]), data),
      'ganTest',
      'classifier',
      /logits \[16, K\]/,
    );
    await expectArgErrorAsync(
      () => ganTest(nearest, { images: data.images, labels: tf.tensor1d([0, 1]) }),
      'ganTest',
      'data.labels',
    );
    await expectArgErrorAsync(
      () => intraClassFid(data, classes(1, 4), pixelExtractor({ size: 2 })),
      'intraClassFid',
      'fake',
      /fake: class 0 has 1 image; each class needs at least 2/,
    );
    tf.dispose([data.images, data.labels]);
  });
});
