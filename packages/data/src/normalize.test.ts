import { expectClose, expectNoLeaks, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { toImageTensor, toUint8 } from './normalize';

describe(`toImageTensor / toUint8 [${testBackend()}]`, () => {
  it('maps 0…255 onto [−1, 1] and back exactly, for every value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const images = expectNoLeaks(() => toImageTensor(all, [1, 16, 16, 1]));
    expect(images.dtype).toBe('float32');
    const values = images.dataSync();
    expect(values[0]).toBe(-1);
    expect(values[255]).toBe(1);
    expectClose(values[128], 128 / 127.5 - 1, { rtol: 0, atol: 1e-6 }); // float32 cancellation near 0
    const back = toUint8(images);
    expect(back.dtype).toBe('int32');
    expect(Array.from(back.dataSync())).toEqual(Array.from(all));
    tf.dispose([images, back]);
  });

  it('accepts int tensors, and clips generator outputs beyond [−1, 1]', () => {
    const pixels = tf.tensor([0, 255], [2], 'int32');
    expectClose(toImageTensor(pixels), [-1, 1]);
    expect(Array.from(toUint8(tf.tensor1d([-1.5, 1.2, 0])).dataSync())).toEqual([0, 255, 128]);
  });

  it('names a shape that does not fit the array', () => {
    expect(() => toImageTensor(new Uint8Array(5), [2, 2])).toThrow(
      /shape \[2,2\] holds 4 values, the array has 5/,
    );
    expect(() => toImageTensor(new Uint8Array(4))).toThrow(/shape is required/);
  });
});
