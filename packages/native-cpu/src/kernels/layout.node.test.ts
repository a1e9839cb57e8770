import { expectClose } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect, it } from 'vitest';
import { unregisterNativeKernels } from '../register';
import { both, nativeSuite, randomness } from '../testing';

nativeSuite('reductions, layout kernels and batch norm: equal to tfjs-backend-cpu', () => {
  afterAll(() => unregisterNativeKernels());
  const { s, int, random } = randomness(33);
  const shapes = (min = 1) => Array.from({ length: int(min, 5) }, () => int(1, 6));

  it('Sum, Mean, Max, Min over random axes, with and without keepDims', () => {
    for (let trial = 0; trial < 40; trial++) {
      const shape = shapes();
      const x = random(shape);
      const axes = shape.map((_, i) => i).filter(() => s.uniform() < 0.5);
      const axis = axes.length ? axes : undefined;
      const keep = trial % 3 === 0;
      for (const op of [tf.sum, tf.mean, tf.max, tf.min] as ((
        x: tf.Tensor,
        a?: number[],
        k?: boolean,
      ) => tf.Tensor)[]) {
        const [native, js] = both(() => op(x, axis, keep));
        expectClose(native, js, { rtol: 1e-5, atol: 1e-5, label: `${op.name} ${shape} ${axes}` });
      }
      x.dispose();
    }
    const nan = tf.tensor2d([
      [1, Number.NaN, 3],
      [4, 5, 6],
    ]);
    for (const op of [tf.max, tf.min]) {
      const [native, js] = both(() => op(nan, 1));
      expectClose(native, js, { label: `${op.name} with NaN` });
    }
    nan.dispose();
  });

  it('Tile, Transpose, PadV2 and Slice copy exactly', () => {
    for (let trial = 0; trial < 30; trial++) {
      const shape = shapes();
      const x = random(shape);
      const reps = shape.map(() => int(1, 3));
      const perm = shape.map((_, i) => i).sort(() => s.uniform() - 0.5);
      const paddings = shape.map(() => [int(0, 2), int(0, 2)] as [number, number]);
      const begin = shape.map((d) => int(0, d - 1));
      const size = shape.map((d, i) => int(1, d - begin[i]));
      for (const [name, f] of [
        ['tile', () => tf.tile(x, reps)],
        ['transpose', () => tf.transpose(x, perm)],
        ['pad', () => tf.pad(x, paddings, 0.5)],
        ['slice', () => tf.slice(x, begin, size)],
      ] as const) {
        const [native, js] = both(f);
        expect(Array.from(native), `${name} ${shape}`).toEqual(Array.from(js));
      }
      x.dispose();
    }
  });

  it('FusedBatchNorm with per-channel and scalar parameters, offset and scale optional', () => {
    for (let trial = 0; trial < 12; trial++) {
      const shape = [int(1, 4), int(1, 5), int(1, 5), int(1, 6)];
      const c = trial % 4 === 0 ? 1 : shape[3];
      const x = random(shape);
      const [mean, offset, scale] = [random([c]), random([c]), random([c])];
      const variance = tf.abs(random([c]));
      const [native, js] = both(() =>
        tf.batchNorm(
          x,
          mean,
          variance,
          trial % 2 ? offset : undefined,
          trial % 3 ? scale : undefined,
          1e-3,
        ),
      );
      expectClose(native, js, { rtol: 1e-5, atol: 1e-6, label: `batchNorm ${shape}` });
      tf.dispose([x, mean, offset, scale, variance]);
    }
  });
});
