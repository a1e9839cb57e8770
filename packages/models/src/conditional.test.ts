import { expectArgError, expectNoLeaks, saveAndLoad, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { conditionalDcganDiscriminator, conditionalDcganGenerator } from './conditional';

const K = 3;
const oneHot = (labels: number[]) => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), K), 'float32');
const small = { baseFilters: 2, maxFilters: 8, channels: 1 } as const;

/** Every output of a model on inputs, as arrays. */
function run(model: tfl.LayersModel, inputs: tf.Tensor[], training = false) {
  const out = model.apply(inputs.length === 1 ? inputs[0] : inputs, { training }) as
    | tf.Tensor
    | tf.Tensor[];
  const outs = Array.isArray(out) ? out : [out];
  const values = outs.map((t) => Array.from(t.dataSync()));
  tf.dispose(outs);
  return values;
}

describe(`conditional DCGAN builders [${testBackend()}]`, () => {
  it('G([z, y]) at any resolution; the class changes the image', () => {
    for (const resolution of [16, 28, 32]) {
      const g = conditionalDcganGenerator({
        resolution,
        latentDim: 4,
        numClasses: K,
        seed: 1,
        ...small,
      });
      expect(g.inputs.map((i) => i.shape)).toEqual([
        [null, 4],
        [null, K],
      ]);
      expect(g.outputs[0].shape).toEqual([null, resolution, resolution, 1]);
      expect(g.layers.some((l) => l.getClassName() === 'ConditionalBatchNormalization')).toBe(true);
      const z = tf.randomNormal([2, 4], 0, 1, 'float32', 3);
      const [a] = run(g, [z, oneHot([0, 0])], true);
      const [b] = run(g, [z, oneHot([2, 2])], true);
      expect(a).not.toEqual(b);
      tf.dispose(z);
      g.dispose();
    }
  });

  it('D: projection takes [images, labels]; acgan adds class logits; both', () => {
    for (const conditioning of ['projection', 'acgan', 'both'] as const)
      for (const norm of ['layer', 'spectral'] as const) {
        const d = conditionalDcganDiscriminator({
          resolution: 16,
          numClasses: K,
          conditioning,
          norm,
          output: 'score',
          seed: 2,
          ...small,
        });
        const takesLabels = conditioning !== 'acgan';
        expect(d.inputs.length).toBe(takesLabels ? 2 : 1);
        expect(d.outputs.map((o) => o.shape)).toEqual(
          conditioning === 'projection'
            ? [[null, 1]]
            : [
                [null, 1],
                [null, K],
              ],
        );
        const x = tf.randomNormal([2, 16, 16, 1], 0, 1, 'float32', 4);
        const y = oneHot([0, 1]);
        run(d, takesLabels ? [x, y] : [x]); // weights are built on the first call
        const outs = expectNoLeaks(() => run(d, takesLabels ? [x, y] : [x]));
        if (takesLabels) {
          // The label moves the score (projection), not the images' features.
          const other = run(d, [x, oneHot([2, 2])]);
          expect(other[0]).not.toEqual(outs[0]);
        }
        tf.dispose([x, y]);
        d.dispose();
      }
  });

  it('a seed makes every initial weight reproducible (the projection embeddings too)', () => {
    const build = () =>
      conditionalDcganDiscriminator({
        resolution: 16,
        numClasses: K,
        conditioning: 'both',
        norm: 'layer',
        seed: 9,
        ...small,
      });
    const [a, b] = [build(), build()];
    const weights = (m: tfl.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
    expect(weights(b)).toEqual(weights(a));
    expect(a.layers.some((l) => l.getClassName() === 'ClassProjection')).toBe(true);
    const g = () =>
      conditionalDcganGenerator({ resolution: 16, latentDim: 4, numClasses: K, seed: 9, ...small });
    const [c, d] = [g(), g()];
    expect(weights(d)).toEqual(weights(c));
    for (const m of [a, b, c, d]) m.dispose();
  });

  it('survive save → load with identical outputs', async () => {
    const g = conditionalDcganGenerator({
      resolution: 16,
      latentDim: 4,
      numClasses: K,
      seed: 1,
      ...small,
    });
    const d = conditionalDcganDiscriminator({
      resolution: 16,
      numClasses: K,
      conditioning: 'both',
      norm: 'layer',
      seed: 2,
      ...small,
    });
    const z = tf.randomNormal([3, 4], 0, 1, 'float32', 5);
    const y = oneHot([0, 1, 2]);
    const images = g.predict([z, y]) as tf.Tensor;
    for (const [model, inputs] of [
      [g, [z, y]],
      [d, [images, y]],
    ] as const) {
      const restored = await saveAndLoad(model);
      expect(run(restored, [...inputs])).toEqual(run(model, [...inputs]));
      restored.dispose();
    }
    tf.dispose([z, y, images]);
    g.dispose();
    d.dispose();
  });

  it('misuse names the option', () => {
    expectArgError(
      () => conditionalDcganGenerator({ resolution: 16, numClasses: 0 }),
      'conditionalDcganGenerator',
      'numClasses',
    );
    expectArgError(
      () =>
        conditionalDcganGenerator({
          resolution: 16,
          numClasses: 2,
          norm: 'pixel',
          conditionalNorm: true,
        }),
      'conditionalDcganGenerator',
      'conditionalNorm',
    );
    expectArgError(
      () => conditionalDcganGenerator({ resolution: 100, numClasses: 2 }),
      'conditionalDcganGenerator',
      'resolution',
    );
    expectArgError(
      () =>
        conditionalDcganDiscriminator({
          resolution: 16,
          numClasses: 2,
          conditioning: 'aux' as never,
        }),
      'conditionalDcganDiscriminator',
      'conditioning',
    );
  });
});
