import { expectNoLeaks, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { weightClipping } from './weight-clipping';

describe(`weightClipping [${testBackend()}]`, () => {
  it('clips variables in place to [−c, c]', () => {
    const v = tf.variable(tf.tensor1d([-1, -0.005, 0.02, 0.3]));
    expect(expectNoLeaks(() => weightClipping([v], 0.01))).toBe(1);
    expect(Array.from(v.dataSync())).toEqual([-0.01, -0.005, 0.01, 0.01].map(Math.fround));
    v.dispose();
  });

  it("clips a layers model's trainable weights after an optimizer step", () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 3 })] });
    model.setWeights([tf.fill([2, 3], 0.5), tf.fill([3], -0.2)]);
    expect(weightClipping(model, 0.01)).toBe(2);
    const values = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    expect(Math.max(...values.map(Math.abs))).toBeCloseTo(0.01, 7);
    model.dispose();
  });

  it('rejects a bad clip value', () => {
    expect(() => weightClipping([], 0)).toThrow(
      /weightClipping: c must be a finite number > 0, got 0/,
    );
    expect(() => weightClipping([], Number.NaN)).toThrow(/c must be a finite number/);
  });
});
