import { expectClose, expectNoLeaksAsync, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { optimizerPart, restoreOptimizer } from './capture';

/** Every tfjs optimizer, and every variant whose state differs. */
const OPTIMIZERS: Record<string, () => tf.Optimizer> = {
  sgd: () => tf.train.sgd(0.05),
  momentum: () => tf.train.momentum(0.05, 0.9),
  nesterov: () => tf.train.momentum(0.05, 0.9, true),
  rmsprop: () => tf.train.rmsprop(0.01),
  'rmsprop centred': () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7, true),
  'rmsprop momentum': () => tf.train.rmsprop(0.01, 0.9, 0.5),
  'rmsprop centred momentum': () => tf.train.rmsprop(0.01, 0.9, 0.5, 1e-7, true),
  adam: () => tf.train.adam(0.01, 0.9, 0.999),
  'adam (0.5, 0.9)': () => tf.train.adam(2e-3, 0.5, 0.9),
  adamax: () => tf.train.adamax(0.01, 0.9, 0.999, 1e-7, 0.01),
  adagrad: () => tf.train.adagrad(0.05),
  adadelta: () => tf.train.adadelta(1, 0.95),
};

/** A least-squares problem on two variables; the same data every step. */
function problem(seed: number) {
  const x = tf.randomNormal([16, 4], 0, 1, 'float32', seed);
  const y = tf.randomNormal([16, 3], 0, 1, 'float32', seed + 1);
  const loss = (w: tf.Variable, b: tf.Variable) => () =>
    tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), y))) as tf.Scalar;
  return { x, y, loss };
}

const K = 30; // every checkpoint position 1…K; β₂ = 0.999 drifts at 2, 5, 18–30 without the fix
const M = 3; // steps after the restore

/**
 * Trains K + M steps; then, for every k ≤ K, restores the state saved after step k into a fresh
 * optimizer and fresh variables and runs M steps: the k whose result is not bit-identical.
 */
async function sweep<Part>(
  make: () => tf.Optimizer,
  save: (o: tf.Optimizer) => Promise<Part>,
  restore: (part: Part) => Promise<tf.Optimizer>,
): Promise<number[]> {
  const { x, y, loss } = problem(3);
  const w = tf.variable(tf.randomNormal([4, 3], 0, 0.5, 'float32', 5));
  const b = tf.variable(tf.zeros([3]));
  const optimizer = make();
  const step = (o: tf.Optimizer, vw: tf.Variable, vb: tf.Variable) =>
    o.minimize(loss(vw, vb), false, [vw, vb]);
  // One uninterrupted run, its state kept at every k.
  const states: { part: Part; w: tf.Tensor; b: tf.Tensor }[] = [];
  const trajectory: Float32Array[] = [];
  for (let k = 1; k <= K + M; k++) {
    step(optimizer, w, b);
    trajectory.push(Float32Array.from([...w.dataSync(), ...b.dataSync()]));
    if (k <= K) states.push({ part: await save(optimizer), w: w.clone(), b: b.clone() });
  }
  const drifted: number[] = [];
  for (let k = 1; k <= K; k++) {
    const { part, w: w0, b: b0 } = states[k - 1];
    const rw = tf.variable(w0);
    const rb = tf.variable(b0);
    const resumed = await restore(part);
    for (let i = 0; i < M; i++) step(resumed, rw, rb);
    const got = Float32Array.from([...rw.dataSync(), ...rb.dataSync()]);
    const want = trajectory[k - 1 + M];
    if (testBackend() === 'webgl') expectClose(got, want, { rtol: 1e-4, label: `k = ${k}` });
    else if (got.some((v, i) => v !== want[i])) drifted.push(k);
    tf.dispose([rw, rb, w0, b0]);
    resumed.dispose();
  }
  tf.dispose([x, y, w, b]);
  optimizer.dispose();
  return drifted;
}

describe(`optimizer state in checkpoints [${testBackend()}]`, () => {
  for (const [name, make] of Object.entries(OPTIMIZERS)) {
    it(`${name}: restored at every step 1…${K}, the next ${M} updates are bit-identical`, async () => {
      expect(await sweep(make, optimizerPart, (part) => restoreOptimizer(part, 'test'))).toEqual(
        [],
      );
    });
  }

  it.skipIf(testBackend() === 'webgl')(
    "tfjs's own Adam getWeights/setWeights drifts (pow, not the running product): why the state is saved",
    async () => {
      const drifted = await sweep(
        OPTIMIZERS.adam,
        async (o) => {
          const weights = await o.getWeights();
          const encoded = await tf.io.encodeWeights(weights);
          tf.dispose(
            weights.filter((w) => !(w.tensor instanceof tf.Variable)).map((w) => w.tensor),
          );
          return encoded;
        },
        async ({ data, specs }) => {
          const o = tf.train.adam(0.01, 0.9, 0.999);
          const map = tf.io.decodeWeights(data, specs);
          await o.setWeights(specs.map((s) => ({ name: s.name, tensor: map[s.name] })));
          tf.dispose(Object.values(map));
          return o;
        },
      );
      expect(drifted).toEqual(expect.arrayContaining([2, 5, 18]));
    },
  );

  it('saving and restoring leaks no tensor', async () => {
    for (const make of [OPTIMIZERS.adam, OPTIMIZERS.adamax, OPTIMIZERS.rmsprop]) {
      const v = tf.variable(tf.ones([3]));
      const o = make();
      o.minimize(() => tf.sum(tf.square(v)) as tf.Scalar, false, [v]);
      await expectNoLeaksAsync(async () => {
        const restored = await restoreOptimizer(await optimizerPart(o), 'test');
        restored.dispose();
      });
      o.dispose();
      v.dispose();
    }
  });
});
