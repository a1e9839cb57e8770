import { expectArgError, expectNoLeaks, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyConstraints,
  clipConstraint,
  instanceNormalization,
  instanceNormalize,
  minibatchDiscrimination,
  minibatchFeatures,
  minibatchStdDev,
  minibatchStdDevFeatures,
  pixelNormalization,
  pixelNormalize,
  spectralNormalization,
  spectralNormalize,
} from './index';

// Tiny tensors shared by every case (made once the backend is ready); no check reads their data.
let images: tf.Tensor; // [2, 2, 2, 3]
let flat: tf.Tensor; // [2, 3]
let empty: tf.Tensor; // [0, 2, 2, 3]
let kernel: tf.Tensor; // [4, 3]
let u: tf.Tensor1D; // [3]
let wrapped: tfl.Sequential; // a built spectralNormalization(dense)
beforeAll(() => {
  images = tf.zeros([2, 2, 2, 3]);
  flat = tf.zeros([2, 3]);
  empty = tf.zeros([0, 2, 2, 3]);
  kernel = tf.ones([4, 3]);
  u = tf.ones([3]);
  wrapped = tfl.sequential({
    layers: [spectralNormalization(tfl.layers.dense({ units: 2 }), { inputShape: [3] })],
  });
});
afterAll(() => {
  tf.dispose([images, flat, empty, kernel, u]);
  wrapped.dispose();
});

/** [name, call, fn, arg, tail]: one row of the audit each (#n), or a wording kept in line. */
const cases: [string, () => unknown, string, string, RegExp][] = [
  // #34 (H1): an array gave zeros silently; rank < 3 named the layer.
  [
    '#34 instanceNormalize x an array',
    () => instanceNormalize([1, 2, 3, 4] as never),
    'instanceNormalize',
    'x',
    /x must be a tf.Tensor, got an array of 4$/,
  ],
  [
    '#34 instanceNormalize x without spatial axes',
    () => instanceNormalize(flat),
    'instanceNormalize',
    'x',
    /x must have rank ≥ 3 \(\[n, …spatial, c\]\), got shape \[2,3\]$/,
  ],
  // #35 (H1): epsilon ≤ 0 / NaN in the pure functions gave Inf / NaN.
  [
    '#35 pixelNormalize epsilon 0',
    () => pixelNormalize(images, 0),
    'pixelNormalize',
    'epsilon',
    /epsilon must be a finite number > 0, got 0$/,
  ],
  [
    '#35 instanceNormalize epsilon NaN',
    () => instanceNormalize(images, Number.NaN),
    'instanceNormalize',
    'epsilon',
    /got NaN$/,
  ],
  [
    '#35 minibatchStdDevFeatures epsilon -1',
    () => minibatchStdDevFeatures(images, 2, -1),
    'minibatchStdDevFeatures',
    'epsilon',
    /epsilon must be a finite number > 0, got -1$/,
  ],
  [
    '#35 spectralNormalize epsilon 0',
    () => spectralNormalize(kernel, u, 1, 0),
    'spectralNormalize',
    'epsilon',
    /got 0$/,
  ],
  // #36 (H1): −1 / NaN ran 0 iterations, 1.5 ran 2.
  [
    '#36 spectralNormalize powerIterations 1.5',
    () => spectralNormalize(kernel, u, 1.5),
    'spectralNormalize',
    'powerIterations',
    /powerIterations must be an integer ≥ 0, got 1.5$/,
  ],
  [
    '#36 spectralNormalize powerIterations -1',
    () => spectralNormalize(kernel, u, -1),
    'spectralNormalize',
    'powerIterations',
    /got -1$/,
  ],
  [
    '#36 spectralNormalize powerIterations NaN',
    () => spectralNormalize(kernel, u, Number.NaN),
    'spectralNormalize',
    'powerIterations',
    /got NaN$/,
  ],
  // #55 (H2)
  [
    '#55 applyConstraints target undefined',
    () => applyConstraints(undefined as never),
    'applyConstraints',
    'target',
    /target must be a tfjs-layers model or layer \(with weights\), got undefined$/,
  ],
  // #56 (H2): minibatchFeatures checked nothing.
  [
    '#56 minibatchFeatures kernel of the wrong shape',
    () => minibatchFeatures(flat, kernel as tf.Tensor2D, 2, 3),
    'minibatchFeatures',
    'kernel',
    /kernel must have shape \[3, 6\] \(features × numKernels·kernelDim\), got \[4,3\]$/,
  ],
  [
    '#56 minibatchFeatures numKernels 2.5',
    () => minibatchFeatures(flat, kernel as tf.Tensor2D, 2.5, 2),
    'minibatchFeatures',
    'numKernels',
    /numKernels must be a positive integer, got 2.5$/,
  ],
  [
    '#56 minibatchFeatures x a number',
    () => minibatchFeatures(3 as never, kernel as tf.Tensor2D, 2, 2),
    'minibatchFeatures',
    'x',
    /x must be a tf.Tensor, got 3$/,
  ],
  // #57 (H2, H3): groupSize reached tfjs' reshape or the divisibility message.
  [
    '#57 minibatchStdDevFeatures groupSize 2.5',
    () => minibatchStdDevFeatures(images, 2.5),
    'minibatchStdDevFeatures',
    'groupSize',
    /groupSize must be a positive integer, got 2.5$/,
  ],
  [
    '#57 minibatchStdDevFeatures groupSize 0',
    () => minibatchStdDevFeatures(images, 0),
    'minibatchStdDevFeatures',
    'groupSize',
    /got 0$/,
  ],
  [
    '#57 minibatchStdDevFeatures groupSize -2',
    () => minibatchStdDevFeatures(images, -2),
    'minibatchStdDevFeatures',
    'groupSize',
    /got -2$/,
  ],
  [
    '#57 minibatchStdDevFeatures an empty batch',
    () => minibatchStdDevFeatures(empty, 4),
    'minibatchStdDevFeatures',
    'x',
    /x is empty \(shape \[0,2,2,3\]\)$/,
  ],
  // #58 (H2, H3): a rank-1 kernel was reported as a u problem; undefined gave a TypeError.
  [
    '#58 spectralNormalize kernel of rank 1',
    () => spectralNormalize(u, u),
    'spectralNormalize',
    'kernel',
    /kernel must have rank ≥ 2, got shape \[3\]$/,
  ],
  [
    '#58 spectralNormalize u undefined',
    () => spectralNormalize(kernel, undefined as never),
    'spectralNormalize',
    'u',
    /u must be a tf.Tensor, got undefined$/,
  ],
  [
    '#58 spectralNormalize u of another length',
    () => spectralNormalize(kernel, tf.ones([4]) as tf.Tensor1D),
    'spectralNormalize',
    'u',
    /u must have shape \[3\] \(the kernel's last axis\), got \[4\]$/,
  ],
  // #59 (H2): gamma / beta of another length hit tfjs' broadcast error.
  [
    '#59 instanceNormalize gamma of another length',
    () => instanceNormalize(images, 1e-5, tf.ones([2])),
    'instanceNormalize',
    'gamma',
    /gamma must have shape \[3\] \(one per channel\), got \[2\]$/,
  ],
  [
    '#59 instanceNormalize beta not a tensor',
    () => instanceNormalize(images, 1e-5, undefined, [0, 0, 0] as never),
    'instanceNormalize',
    'beta',
    /beta must be a tf.Tensor, got an array of 3$/,
  ],
  // #98 (H3): "unknown initializer class X" named no function or argument.
  [
    '#98 a string initializer',
    () => instanceNormalization({ gammaInitializer: 'ones' as never }),
    'instanceNormalization',
    'gammaInitializer',
    /gammaInitializer must be a tf initializer or \{ className, config \}, got 'ones'$/,
  ],
  [
    '#98 an unknown initializer class',
    () =>
      minibatchDiscrimination({
        numKernels: 2,
        kernelDim: 2,
        kernelInitializer: { className: 'Foo', config: {} },
      }),
    'minibatchDiscrimination',
    'kernelInitializer',
    /kernelInitializer names an unknown initializer class 'Foo'$/,
  ],
  [
    '#98 a prototype key as the class',
    () =>
      spectralNormalization(tfl.layers.dense({ units: 2 }), {
        uInitializer: { className: 'constructor', config: {} },
      }),
    'spectralNormalization',
    'uInitializer',
    /unknown initializer class 'constructor'$/,
  ],
  [
    '#98 a registered class that is no initializer',
    () => instanceNormalization({ betaInitializer: { className: 'Dense', config: {} } }),
    'instanceNormalization',
    'betaInitializer',
    /betaInitializer names 'Dense', which is not an initializer class$/,
  ],
  // #99 (H3): the instance name without the function.
  [
    '#99 a layer called with two inputs',
    () => pixelNormalization().apply([images, images]),
    'pixelNormalization',
    'inputs',
    /expects one input, got 2 inputs \(layer pixel_normalization_PixelNormalization\d+\)$/,
  ],
  [
    '#99 a layer built with two input shapes',
    () =>
      instanceNormalization().build([
        [2, 2, 2, 3],
        [2, 2, 2, 3],
      ]),
    'instanceNormalization',
    'inputShape',
    /expects one inputShape, got 2 \(layer instance_normalization_InstanceNormalization\d+\)$/,
  ],
  // #100 (H3): the pure functions named their layer.
  [
    '#100 minibatchStdDevFeatures x of rank 2',
    () => minibatchStdDevFeatures(flat),
    'minibatchStdDevFeatures',
    'x',
    /x must have rank 4 \(\[n, h, w, c\]\), got shape \[2,3\]$/,
  ],
  // #101 (H3): no "got".
  [
    '#101 spectralNormalization layer undefined',
    () => spectralNormalization(undefined as never),
    'spectralNormalization',
    'layer',
    /layer must be a tfjs-layers Layer, got undefined$/,
  ],
  [
    '#101 spectralNormalization layer a config object',
    () => spectralNormalization({ units: 2 } as never),
    'spectralNormalization',
    'layer',
    /got an object \{units\}$/,
  ],
  // L / M: the layers' own messages gain their factory name; options and flags.
  [
    'L spectralNormalization setWeights count',
    () => wrapped.layers[0].setWeights([]),
    'spectralNormalization',
    'weights',
    /setWeights expects 3 tensors \(the wrapped layer's weights, then u\), got 0 \(layer /,
  ],
  [
    'L instanceNormalization input without spatial axes',
    () => instanceNormalization().build([null, 3]),
    'instanceNormalization',
    'inputShape',
    /expects \[N, …spatial, C\] with C known as inputShape, got \[null,3\] \(layer /,
  ],
  [
    'L minibatchDiscrimination sample shape unknown',
    () => minibatchDiscrimination({ numKernels: 2, kernelDim: 2 }).build([null, null, 3]),
    'minibatchDiscrimination',
    'inputShape',
    /needs a fully known sample shape in inputShape, got \[null,null,3\] \(layer /,
  ],
  [
    'L minibatchStdDev input of rank 3',
    () => minibatchStdDev().computeOutputShape([null, 4, 3]),
    'minibatchStdDev',
    'inputShape',
    /expects an inputShape \[N, H, W, C\], got \[null,4,3\] \(layer /,
  ],
  [
    'L minibatchStdDev an indivisible batch in the layer names the layer',
    () => minibatchStdDev({ groupSize: 4 }).apply(tf.zeros([6, 1, 1, 1])),
    'minibatchStdDev',
    'groupSize',
    /batch size 6 is not a multiple of groupSize 4$/,
  ],
  [
    'M minibatchDiscrimination without args',
    () => minibatchDiscrimination(undefined as never),
    'minibatchDiscrimination',
    'args',
    /args must be an options object \(it is required\), got undefined$/,
  ],
  [
    'M pixelNormalization args null',
    () => pixelNormalization(null as never),
    'pixelNormalization',
    'args',
    /args must be an object, got null$/,
  ],
  [
    'M minibatchStdDev groupSize NaN',
    () => minibatchStdDev({ groupSize: Number.NaN }),
    'minibatchStdDev',
    'groupSize',
    /groupSize must be a positive integer, got NaN$/,
  ],
  [
    'M spectralNormalization options null',
    () => spectralNormalization(tfl.layers.dense({ units: 2 }), null as never),
    'spectralNormalization',
    'options',
    /options must be an object, got null$/,
  ],
  [
    'L instanceNormalization affine not a boolean',
    () => instanceNormalization({ affine: 'yes' as never }),
    'instanceNormalization',
    'affine',
    /affine must be true or false, got 'yes'$/,
  ],
  [
    'L clipConstraint clipValue a string',
    () => clipConstraint('0.01' as never),
    'clipConstraint',
    'clipValue',
    /clipValue must be a finite number > 0, got '0.01'$/,
  ],
  [
    'M pixelNormalize x undefined',
    () => pixelNormalize(undefined as never),
    'pixelNormalize',
    'x',
    /x must be a tf.Tensor, got undefined$/,
  ],
];

describe(`layers: every misuse throws an ArgumentError naming the function and argument [${testBackend()}]`, () => {
  it.each(cases)('%s', (_name, call, fn, arg, tail) => {
    // A case's own tiny tensors (tf.ones([4]) …) are made inside a tidy that the throw unwinds.
    expectNoLeaks(() => expectArgError(() => tf.tidy(() => call() as never), fn, arg, tail));
  });
});

describe(`layers: correct calls the new checks accept [${testBackend()}]`, () => {
  it('instanceNormalize takes gamma and beta as [c] or [1, …, 1, c]', () => {
    const a = instanceNormalize(images, 1e-5, tf.ones([3]), tf.zeros([3]));
    const b = instanceNormalize(images, 1e-5, tf.ones([1, 1, 3]), tf.zeros([1, 1, 1, 3]));
    expect(a.shape).toEqual([2, 2, 2, 3]);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b]);
  });

  it('layers take initializers and their serialised form', () => {
    const layer = instanceNormalization({
      gammaInitializer: { className: 'Ones', config: {} },
      betaInitializer: tfl.initializers.zeros(),
    });
    const model = tfl.sequential({
      layers: [tfl.layers.inputLayer({ inputShape: [2, 2, 3] }), layer],
    });
    const y = model.predict(images) as tf.Tensor;
    expect(y.shape).toEqual([2, 2, 2, 3]);
    tf.dispose(y);
    model.dispose();
  });

  it('minibatchFeatures and spectralNormalize accept consistent shapes', () => {
    const t = tf.ones([3, 4]) as tf.Tensor2D;
    const features = expectNoLeaks(() => minibatchFeatures(flat, t, 2, 2));
    expect(features.shape).toEqual([2, 5]);
    t.dispose();
    const { kernel: k, u: next, sigma } = spectralNormalize(kernel, u, 0);
    expect([k.shape, next.shape, sigma.shape]).toEqual([[4, 3], [3], []]);
    tf.dispose([features, k, next, sigma]);
  });
});
