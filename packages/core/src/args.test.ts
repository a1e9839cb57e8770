import { expectArgError } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it, describe as suite } from 'vitest';
import {
  ArgumentError,
  aliasArg,
  argError,
  assertArg,
  describe,
  functionArg,
  integerArg,
  nonNegativeInteger,
  numberArg,
  numbersArg,
  oneOf,
  optionsArg,
  positiveInteger,
  positiveNumber,
  probability,
  seedArg,
  tensorArg,
} from './args';

suite('argument checks', () => {
  it('describe says what a value is', () => {
    const t = tf.zeros([2, 4]);
    class FeatureStats {}
    expect(
      [
        3,
        Number.NaN,
        'avg',
        undefined,
        null,
        true,
        [1, 2],
        new Float32Array(8),
        t,
        () => 1,
        new FeatureStats(),
        { a: 1, b: 2 },
        new ArrayBuffer(24),
      ].map(describe),
    ).toEqual([
      '3',
      'NaN',
      "'avg'",
      'undefined',
      'null',
      'true',
      'an array of 2',
      'a Float32Array of 8',
      'a float32 tf.Tensor of shape [2,4]',
      'a function',
      'a FeatureStats',
      'an object {a, b}',
      'an ArrayBuffer of 24 bytes',
    ]);
    t.dispose();
    expect(describe(t)).toBe('a disposed tf.Tensor');
  });

  it('numbers and integers: the expected range in words, the value got', () => {
    expect(positiveInteger('f', 'n', 3)).toBe(3);
    expectArgError(
      () => positiveInteger('f', 'n', 0),
      'f',
      'n',
      /^f: n must be a positive integer, got 0$/,
    );
    expectArgError(() => positiveInteger('f', 'n', '3'), 'f', 'n', /got '3'$/);
    expectArgError(
      () => nonNegativeInteger('f', 'k', -1),
      'f',
      'k',
      /k must be an integer ≥ 0, got -1/,
    );
    expectArgError(
      () => integerArg('kid', 'subsetSize', 30, { min: 2, max: 20 }),
      'kid',
      'subsetSize',
      /subsetSize must be an integer in \[2, 20\], got 30/,
    );
    expectArgError(
      () => positiveNumber('f', 'lr', Number.NaN),
      'f',
      'lr',
      /lr must be a finite number > 0, got NaN/,
    );
    expectArgError(
      () => numberArg('Ema', 'decay', 1, { min: 0, max: 1, maxExclusive: true }),
      'Ema',
      'decay',
      /decay must be a finite number in \[0, 1\), got 1$/,
    );
    expectArgError(
      () => probability('f', 'p', 1.5),
      'f',
      'p',
      /p must be a probability in \[0, 1\], got 1.5/,
    );
    expectArgError(
      () => seedArg('f', 'seed', -1),
      'f',
      'seed',
      /seed must be an integer in \[0, 2\^32\), got -1/,
    );
  });

  it('enums, functions, options', () => {
    expect(oneOf('f', 'reduction', 'sum', ['mean', 'sum', 'none'])).toBe('sum');
    expectArgError(
      () => oneOf('f', 'reduction', 'toString', ['mean', 'sum', 'none']),
      'f',
      'reduction',
      /reduction must be 'mean' \| 'sum' \| 'none', got 'toString'/,
    );
    expectArgError(
      () => functionArg('f', 'critic', 3),
      'f',
      'critic',
      /critic must be a function, got 3/,
    );
    expect(optionsArg('f', undefined)).toEqual({});
    expectArgError(
      () => optionsArg('f', null),
      'f',
      'options',
      /options must be an object, got null/,
    );
    expectArgError(
      () => optionsArg('f', undefined, { required: true }),
      'f',
      'options',
      /is required/,
    );
  });

  it('tensors: type, disposal, rank, shape, dtype, emptiness — without reading data', () => {
    const x = tf.zeros([2, 3]);
    expect(tensorArg('f', 'x', x, { rank: 2, dtype: 'float32', nonEmpty: true })).toBe(x);
    expectArgError(
      () => tensorArg('FeatureStats.add', 'rows', [1, 2], { hint: 'addTensor takes tensors' }),
      'FeatureStats.add',
      'rows',
      /rows must be a tf.Tensor, got an array of 2; addTensor takes tensors/,
    );
    expectArgError(
      () => tensorArg('f', 'images', x, { rank: 4, layout: '[n, h, w, c]' }),
      'f',
      'images',
      /images must have rank 4 \(\[n, h, w, c\]\), got shape \[2,3\]/,
    );
    expectArgError(
      () => tensorArg('f', 'x', x, { shape: [null, 4] }),
      'f',
      'x',
      /x must have shape \[·,4\], got \[2,3\]/,
    );
    expectArgError(
      () => tensorArg('f', 'x', tf.zeros([2], 'int32'), { dtype: 'float32' }),
      'f',
      'x',
      /must be float32, got int32/,
    );
    expectArgError(
      () => tensorArg('f', 'x', tf.zeros([0, 3]), { nonEmpty: true }),
      'f',
      'x',
      /x is empty \(shape \[0,3\]\)/,
    );
    x.dispose();
    expectArgError(() => tensorArg('f', 'x', x), 'f', 'x', /x is a disposed tf.Tensor/);
  });

  it('arrays of numbers, assertArg, and the error class', () => {
    expect(numbersArg('f', 'v', [1, 2])).toEqual([1, 2]);
    expectArgError(
      () => numbersArg('f', 'v', [1, 2, 3], { multipleOf: 2 }),
      'f',
      'v',
      /multiple of 2 numbers, got 3/,
    );
    expectArgError(
      () => numbersArg('f', 'v', 'abc'),
      'f',
      'v',
      /an array of numbers or a typed array, got 'abc'/,
    );
    expectArgError(
      () => assertArg(false, 'f', () => 'lazy message'),
      'f',
      undefined,
      /^f: lazy message$/,
    );
    expect(() => argError('f', 'a', 'b', 1)).toThrow(ArgumentError);
    // Another bundle's copy of the class is recognised by name.
    const foreign = Object.assign(new Error('f: x'), { name: 'ArgumentError' });
    expect(foreign).toBeInstanceOf(ArgumentError);
    expect(new TypeError('x')).not.toBeInstanceOf(ArgumentError);
  });

  it('aliasArg: the new name, or its deprecated alias, never both', () => {
    type O = { weight?: number; gamma?: number };
    const value = (o: O) => aliasArg('r1Penalty', o, 'weight', 'gamma');
    expect(value({ weight: 4 })).toBe(4);
    expect(value({ gamma: 4 })).toBe(4);
    expect(value({})).toBeUndefined();
    // undefined is "not given"; 0 is a value.
    expect(value({ weight: undefined, gamma: 0 })).toBe(0);
    expect(value({ weight: 0, gamma: undefined })).toBe(0);
    expectArgError(
      () => value({ weight: 4, gamma: 4 }),
      'r1Penalty',
      'gamma',
      /^r1Penalty: gamma: deprecated alias of weight; pass only weight$/,
    );
    expectArgError(
      () => aliasArg('discriminatorStep', { a: 1, b: 2 }, 'a', 'b', 'ctx.'),
      'discriminatorStep',
      'ctx.b',
      /^discriminatorStep: ctx.b: deprecated alias of ctx.a; pass only ctx.a$/,
    );
  });
});
