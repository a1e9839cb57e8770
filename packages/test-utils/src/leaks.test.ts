import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectNoLeaks, expectNoLeaksAsync } from './leaks';

describe('expectNoLeaks (the judge must be able to fail)', () => {
  it('allows returned tensors and catches a leaked intermediate', () => {
    const t = expectNoLeaks(() => tf.tidy(() => tf.add(tf.scalar(1), 2)));
    t.dispose();
    expect(() =>
      expectNoLeaks(() => {
        tf.scalar(1); // leaked
        return tf.scalar(2);
      }),
    ).toThrow(/1 leaked/);
  });

  it('catches over-disposal and async leaks', async () => {
    const outside = tf.scalar(3);
    expect(() => expectNoLeaks(() => outside.dispose())).toThrow(/1 over-disposed/);
    await expect(expectNoLeaksAsync(async () => void tf.scalar(4))).rejects.toThrow(/leaked/);
  });
});
