import { expectClose } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { unregisterNativeKernels } from '../register';
import { both, nativeSuite, randomness } from '../testing';

nativeSuite('element-wise kernels: equal to tfjs-backend-cpu', () => {
  afterAll(() => unregisterNativeKernels());
  const { s, int, random } = randomness(21);
  // Values that find edge cases: zeros of both signs, NaN, infinities, tiny and large values.
  // Made when the suite runs (a skipped suite's body still runs, on another backend).
  let special: tf.Tensor1D;
  beforeAll(() => {
    special = tf.tensor1d([
      0,
      -0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      1e-8,
      -1e-8,
      30,
      -30,
      0.5,
      -0.5,
      100,
    ]);
  });
  afterAll(() => special.dispose());
  const shapes = () => Array.from({ length: int(1, 4) }, () => int(1, 7));

  it('unary ops (activations, maths) over random and special values', () => {
    const ops: [string, (x: tf.Tensor) => tf.Tensor][] = [
      ['relu', tf.relu],
      ['relu6', tf.relu6],
      ['leakyRelu', (x) => tf.leakyRelu(x, 0.2)],
      ['elu', tf.elu],
      ['selu', tf.selu],
      ['sigmoid', tf.sigmoid],
      ['tanh', tf.tanh],
      ['exp', tf.exp],
      ['log', (x) => tf.log(tf.abs(x))],
      ['sqrt', (x) => tf.sqrt(tf.abs(x))],
      ['rsqrt', (x) => tf.rsqrt(tf.abs(x))],
      ['square', tf.square],
      ['abs', tf.abs],
      ['neg', tf.neg],
      ['reciprocal', tf.reciprocal],
      ['softplus', tf.softplus],
      ['step', (x) => tf.step(x, 0.3)],
      ['clipByValue', (x) => tf.clipByValue(x, -0.7, 1.2)],
    ];
    for (const [name, op] of ops) {
      const x = random(shapes(), 3);
      const [native, js] = both(() => op(x));
      expectClose(native, js, { rtol: 2e-6, atol: 1e-7, label: name });
      // log/sqrt of the specials go through abs first; the others see NaN and ±∞ directly.
      const [sn, sj] = both(() => op(special));
      expectClose(sn, sj, { rtol: 2e-6, atol: 1e-7, label: `${name} (special values)` });
      x.dispose();
    }
  });

  it('binary arithmetic: same shapes, a scalar on either side, and broadcasting', () => {
    const ops = [tf.add, tf.sub, tf.mul, tf.div, tf.maximum, tf.minimum, tf.squaredDifference];
    for (let trial = 0; trial < 60; trial++) {
      const shape = shapes();
      const layout = trial % 4;
      const bShape =
        layout === 0
          ? shape
          : layout === 1
            ? []
            : layout === 2
              ? [1, 1]
              : shape.slice(int(0, shape.length - 1)).map((d) => (s.uniform() < 0.5 ? 1 : d));
      const [a, b] = [random(shape), tf.add(random(bShape), 0.1)];
      const op = ops[trial % ops.length];
      const [first, second] = trial % 2 ? [a, b] : [b, a];
      const [native, js] = both(() => op(first, second));
      expectClose(native, js, { rtol: 1e-6, atol: 1e-7, label: `${op.name} ${shape} ${bShape}` });
      tf.dispose([a, b]);
    }
    const [pn, pj] = both(() => tf.pow(tf.abs(special), tf.scalar(1.5)));
    expectClose(pn, pj, { rtol: 1e-6, label: 'pow' });
    const [sn, sj] = both(() => tf.maximum(special, tf.reverse(special)));
    expectClose(sn, sj, { label: 'maximum with NaN' });
  });

  it('comparisons and logical ops give the same bools, NaN included', () => {
    const ops = [tf.greater, tf.greaterEqual, tf.less, tf.lessEqual, tf.equal, tf.notEqual];
    for (let trial = 0; trial < 36; trial++) {
      const shape = shapes();
      const b =
        trial % 3 === 0 ? tf.scalar(0) : random(trial % 3 === 1 ? shape : [shape.at(-1) as number]);
      const a = tf.round(random(shape));
      const op = ops[trial % ops.length];
      const [native, js] = both(() => tf.cast(op(a, tf.round(b)), 'float32'));
      expect(Array.from(native), op.name).toEqual(Array.from(js));
      tf.dispose([a, b]);
    }
    const [nn, nj] = both(() =>
      tf.cast(
        tf.stack([
          tf.greater(special, 0),
          tf.equal(special, special),
          tf.notEqual(special, special),
        ]),
        'float32',
      ),
    );
    expect(Array.from(nn)).toEqual(Array.from(nj));
    const p = tf.greater(random([5, 4]), 0);
    const q = tf.greater(random([4]), 0);
    for (const op of [tf.logicalAnd, tf.logicalOr]) {
      const [native, js] = both(() => tf.cast(op(p, q), 'float32'));
      expect(Array.from(native)).toEqual(Array.from(js));
    }
    const [ln, lj] = both(() => tf.cast(tf.logicalNot(p), 'float32'));
    expect(Array.from(ln)).toEqual(Array.from(lj));
    tf.dispose([p, q]);
  });

  it('select (where): natively with a condition of the same shape, tfjs otherwise', () => {
    for (let trial = 0; trial < 20; trial++) {
      const shape = shapes();
      const [t, e] = [random(shape), random(shape)];
      // tf.where broadcasts the condition itself; a rank-1 one sent to the kernel directly
      // stays with tfjs's kernel (results equal, whatever they are).
      const cond = tf.greater(random(trial % 2 ? shape : [shape[0]]), 0);
      const [native, js] = both(
        () => tf.engine().runKernel('Select', { condition: cond, t, e }) as tf.Tensor,
      );
      expect(Array.from(native)).toEqual(Array.from(js));
      tf.dispose([t, e, cond]);
    }
  });

  it('int32 and other dtypes stay with tfjs, with the same results', () => {
    const a = tf.tensor1d([1, 2, -3], 'int32');
    for (const op of [tf.add, tf.mul, tf.maximum, tf.greater] as ((
      a: tf.Tensor,
      b: tf.Tensor,
    ) => tf.Tensor)[]) {
      const [native, js] = both(() => tf.cast(op(a, tf.scalar(2, 'int32')), 'float32'));
      expect(Array.from(native)).toEqual(Array.from(js));
    }
    const [an, aj] = both(() => tf.cast(tf.abs(a), 'float32'));
    expect(Array.from(an)).toEqual(Array.from(aj));
    a.dispose();
  });
});
