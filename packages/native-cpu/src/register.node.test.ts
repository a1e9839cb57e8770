import { installGradientFixes, SeedStream } from '@gan/core';
import { expectClose, expectNoLeaks } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect, it } from 'vitest';
import { registerNativeKernels, unregisterNativeKernels } from './register';
import { nativeSuite } from './testing';

/** `fn` with tfjs's JavaScript kernels, then with the native ones: both results as arrays. */
function both(fn: () => tf.Tensor): [Float32Array, Float32Array] {
  unregisterNativeKernels();
  const reference = tf.tidy(fn);
  const js = reference.dataSync() as Float32Array;
  reference.dispose();
  expect(registerNativeKernels().ok).toBe(true);
  const native = tf.tidy(fn);
  const out = native.dataSync() as Float32Array;
  native.dispose();
  return [out, js];
}

nativeSuite('registerNativeKernels (OpenBLAS on the cpu backend)', () => {
  afterAll(() => unregisterNativeKernels());
  const s = new SeedStream(9);
  const int = (lo: number, hi: number) => lo + Math.floor(s.uniform() * (hi - lo + 1));
  const random = (shape: number[]) => tf.randomNormal(shape, 0, 1, 'float32', s.nextSeed());

  it('loads, says which kernels and library, and fails soft on a missing addon', () => {
    const result = registerNativeKernels({ threads: 2 });
    expect(result).toMatchObject({ ok: true, threads: 2 });
    // Every kernel a GAN step runs on the cpu backend, and the fused ones.
    expect(result.kernels).toEqual(
      expect.arrayContaining([
        'Conv2D',
        'FusedConv2D',
        'Conv2DBackpropInput',
        'Conv2DBackpropFilter',
        'BatchMatMul',
        '_FusedMatMul',
        'Add',
        'Multiply',
        'Greater',
        'Select',
        'LeakyRelu',
        'Relu',
        'Tanh',
        'Sum',
        'Mean',
        'Max',
        'Tile',
        'PadV2',
        'Slice',
        'FusedBatchNorm',
        'GanLeakyReluGrad',
        'Adam (AdamOptimizer.applyGradients)',
      ]),
    );
    expect(result.library).toMatch(/^OpenBLAS /);
    expect(result.binary?.path).toMatch(/gan_native_cpu\.node$/);
    expect(registerNativeKernels({ addonPath: '/nonexistent/addon.node' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/did not load/),
      kernels: [],
    });
  });

  it('Conv2D equals the JavaScript kernel over random shapes, strides, paddings and dilations', () => {
    for (let trial = 0; trial < 40; trial++) {
      const [n, h, w, cin, cout, k] = [
        int(1, 4),
        int(3, 13),
        int(3, 13),
        int(1, 24),
        int(1, 24),
        int(1, 5),
      ];
      const dilation = trial % 5 === 0 ? 2 : 1;
      const stride = dilation === 1 ? int(1, 2) : 1;
      const pads = ['same', 'valid', int(0, 2)] as const;
      const pad = pads[trial % 3];
      if (pad === 'valid' && (h < (k - 1) * dilation + 1 || w < (k - 1) * dilation + 1)) continue;
      const x = random([n, h, w, cin]) as tf.Tensor4D;
      const f = random([k, k, cin, cout]) as tf.Tensor4D;
      const [native, js] = both(() => tf.conv2d(x, f, stride, pad, 'NHWC', dilation));
      expectClose(native, js, { rtol: 1e-4, atol: 1e-4 });
      tf.dispose([x, f]);
    }
  });

  it('BatchMatMul (matMul) equals the JavaScript kernel with transposes and shared batches', () => {
    for (let trial = 0; trial < 30; trial++) {
      const [b, m, k, n] = [int(1, 4), int(1, 40), int(1, 40), int(1, 40)];
      const [ta, tb] = [trial % 2 === 1, trial % 4 >= 2];
      const shared = trial % 3 === 0;
      const a = random(ta ? [b, k, m] : [b, m, k]) as tf.Tensor3D;
      const c = random(
        shared ? (tb ? [1, n, k] : [1, k, n]) : tb ? [b, n, k] : [b, k, n],
      ) as tf.Tensor3D;
      const [native, js] = both(() => tf.matMul(a, c, ta, tb));
      expectClose(native, js, { rtol: 1e-4, atol: 1e-4 });
      tf.dispose([a, c]);
    }
  });

  it('Conv2DBackpropInput and Conv2DBackpropFilter (both convolution gradients) equal the JavaScript kernels', () => {
    for (let trial = 0; trial < 30; trial++) {
      const [n, h, w, cin, cout, k] = [
        int(1, 4),
        int(4, 13),
        int(4, 13),
        int(1, 16),
        int(1, 16),
        int(1, 5),
      ];
      const stride = int(1, 2);
      const pad = (['same', 'valid', int(0, 2)] as const)[trial % 3];
      if (pad === 'valid' && (h < k || w < k)) continue;
      const x = random([n, h, w, cin]) as tf.Tensor4D;
      const f = random([k, k, cin, cout]) as tf.Tensor4D;
      const dy = tf.tidy(() => random(tf.conv2d(x, f, stride, pad).shape)) as tf.Tensor4D;
      const [dxNative, dxJs] = both(() => tf.conv2dTranspose(dy, f, [n, h, w, cin], stride, pad));
      expectClose(dxNative, dxJs, { rtol: 1e-4, atol: 1e-4 });
      const [dwNative, dwJs] = both(() =>
        tf.grad((fx: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(x, fx as tf.Tensor4D, stride, pad), dy)),
        )(f),
      );
      expectClose(dwNative, dwJs, { rtol: 1e-4, atol: 1e-4 });
      tf.dispose([x, f, dy]);
    }
  });

  it('the fused ops (bias + relu / leakyRelu / sigmoid / elu) equal the JavaScript kernels', () => {
    for (const activation of [
      'linear',
      'relu',
      'leakyrelu',
      'sigmoid',
      'elu',
      'relu6',
      'prelu',
    ] as const) {
      const x = random([2, 7, 7, 5]) as tf.Tensor4D;
      const f = random([3, 3, 5, 6]) as tf.Tensor4D;
      const bias = random([6]);
      const prelu = activation === 'prelu' ? random([6]) : undefined;
      const [native, js] = both(() =>
        tf.fused.conv2d({
          x,
          filter: f,
          strides: 1,
          pad: 'same',
          bias,
          activation,
          leakyreluAlpha: 0.1,
          preluActivationWeights: prelu,
        }),
      );
      expectClose(native, js, { rtol: 1e-4, atol: 1e-4 });
      const a = random([9, 5]) as tf.Tensor2D;
      const b = random([5, 6]) as tf.Tensor2D;
      const [mNative, mJs] = both(() =>
        tf.fused.matMul({
          a,
          b,
          bias,
          activation,
          leakyreluAlpha: 0.1,
          preluActivationWeights: prelu,
        }),
      );
      expectClose(mNative, mJs, { rtol: 1e-4, atol: 1e-4 });
      tf.dispose([x, f, bias, a, b, ...(prelu ? [prelu] : [])]);
    }
  });

  it('Add, Sub, Multiply, RealDiv (broadcasting) and Sum, Mean (any axes) equal the JavaScript kernels', () => {
    const ops = [tf.add, tf.sub, tf.mul, tf.div];
    for (let trial = 0; trial < 40; trial++) {
      const rank = int(1, 5);
      const shape = Array.from({ length: rank }, () => int(1, 6));
      // b: some dimensions 1, maybe fewer dimensions (NumPy broadcasting from the right).
      const bShape = shape.slice(int(0, rank - 1)).map((d) => (s.uniform() < 0.4 ? 1 : d));
      const [a, b] = [random(shape), tf.add(tf.abs(random(bShape)), 0.5)];
      const [first, second] = trial % 2 ? [a, b] : [b, a];
      const [native, js] = both(() => ops[trial % 4](first, second));
      expectClose(native, js, { rtol: 1e-5, atol: 1e-6 });
      const axes = shape.map((_, i) => i).filter(() => s.uniform() < 0.5);
      const keep = trial % 3 === 0;
      const [sumNative, sumJs] = both(() => tf.sum(a, axes.length ? axes : undefined, keep));
      expectClose(sumNative, sumJs, { rtol: 1e-4, atol: 1e-4 });
      const [meanNative, meanJs] = both(() => tf.mean(a, axes.length ? axes : undefined, keep));
      expectClose(meanNative, meanJs, { rtol: 1e-4, atol: 1e-5 });
      tf.dispose([a, b]);
    }
    // A bool → float32 cast keeps its Uint8Array on the cpu backend (leakyRelu's gradient does this).
    const x = random([4, 6]);
    const [maskNative, maskJs] = both(() => tf.mul(tf.cast(tf.greater(x, 0), 'float32'), x));
    expect(Array.from(maskNative)).toEqual(Array.from(maskJs));
    x.dispose();
    // Integer tensors stay with tfjs's kernels.
    const [iNative, iJs] = both(() =>
      tf.cast(tf.add(tf.tensor1d([1, 2], 'int32'), tf.scalar(3, 'int32')), 'float32'),
    );
    expect(Array.from(iNative)).toEqual(Array.from(iJs));
  });

  it('second-order gradients (a gradient penalty through conv + leakyRelu) equal the JavaScript ones', () => {
    installGradientFixes();
    const x = random([3, 6, 6, 2]) as tf.Tensor4D;
    const w = random([3, 6, 6, 4]);
    const critic = (f: tf.Tensor4D) => (input: tf.Tensor) =>
      tf.sum(tf.mul(tf.leakyRelu(tf.conv2d(input as tf.Tensor4D, f, 1, 'same'), 0.2), w));
    const penalty = (f: tf.Tensor) => tf.sum(tf.square(tf.grad(critic(f as tf.Tensor4D))(x)));
    const f = random([3, 3, 2, 4]) as tf.Tensor4D;
    const [native, js] = both(() => tf.grad(penalty)(f));
    expectClose(native, js, { rtol: 1e-4, atol: 1e-4 });
    tf.dispose([x, w, f]);
  });

  it('keeps native memory flat over 1,000 training-shaped iterations of every kernel family', () => {
    registerNativeKernels();
    const x = random([4, 16, 16, 8]) as tf.Tensor4D;
    const f = random([3, 3, 8, 8]) as tf.Tensor4D;
    const v = tf.variable(random([3, 3, 8, 8]));
    const adam = tf.train.adam(1e-3);
    const [mean, variance] = [random([8]), tf.abs(random([8]))];
    const run = (n: number) => {
      for (let i = 0; i < n; i++)
        tf.dispose(
          tf.tidy(() => {
            const y = tf.conv2dTranspose(tf.conv2d(x, f, 1, 'same'), f, x.shape, 1, 'same');
            const z = tf.batchNorm(
              tf.pad(tf.tile(y, [1, 1, 1, 1]), [
                [0, 0],
                [1, 1],
                [1, 1],
                [0, 0],
              ]),
              mean,
              variance,
            );
            const w = tf.where(tf.greater(z, 0), tf.tanh(z), tf.mul(z, 0.5));
            const g = tf.grad((t: tf.Tensor) => tf.sum(tf.leakyRelu(tf.mul(t, w), 0.2)))(w);
            adam.minimize(
              () => tf.mean(tf.square(tf.conv2d(x, v as tf.Tensor4D, 1, 'same'))) as tf.Scalar,
              false,
              [v],
            );
            return tf.mean(tf.add(g, tf.transpose(w, [0, 2, 1, 3])));
          }),
        );
    };
    run(100); // warm-up: allocator pools, JIT, Adam's slots
    global.gc?.();
    const before = process.memoryUsage().rss;
    expectNoLeaks(() => run(1000));
    global.gc?.();
    const grown = process.memoryUsage().rss - before;
    // 1,000 iterations allocate ~300 MB of outputs in total; a per-call native leak would show here.
    expect(grown).toBeLessThan(48 * 1024 * 1024);
    tf.dispose([x, f, v, mean, variance]);
    adam.dispose();
  });

  it('gradients through native kernels match the JavaScript ones, and nothing leaks', () => {
    registerNativeKernels();
    const x = random([2, 8, 8, 3]) as tf.Tensor4D;
    const f = random([3, 3, 3, 4]) as tf.Tensor4D;
    const loss = (fx: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, fx as tf.Tensor4D, 2, 'same')));
    const [native, js] = both(() => tf.grad(loss)(f));
    expectClose(native, js, { rtol: 1e-4, atol: 1e-4 });
    expectNoLeaks(() => {
      for (let i = 0; i < 50; i++) tf.dispose(tf.conv2d(x, f, 1, 'same'));
    });
    tf.dispose([x, f]);
  });

  it('large products, split over the threads, equal the JavaScript kernels', () => {
    registerNativeKernels({ threads: 2 });
    const a = random([1, 300, 256]) as tf.Tensor3D;
    const b = random([1, 256, 72]) as tf.Tensor3D;
    const [mNative, mJs] = both(() => tf.matMul(a, b));
    expectClose(mNative, mJs, { rtol: 1e-4, atol: 1e-4 });
    const [tNative, tJs] = both(() => tf.matMul(b, a, true, true));
    expectClose(tNative, tJs, { rtol: 1e-4, atol: 1e-4 });
    // 3 × 16² outputs × 4·4·24 = 36 MFLOP a pass; the filter gradient splits the kernel rows.
    const x = random([3, 32, 32, 24]) as tf.Tensor4D;
    const f = random([4, 4, 24, 40]) as tf.Tensor4D;
    const [cNative, cJs] = both(() => tf.conv2d(x, f, 2, 'same'));
    expectClose(cNative, cJs, { rtol: 1e-4, atol: 1e-4 });
    const dy = tf.tidy(() => random(tf.conv2d(x, f, 2, 'same').shape)) as tf.Tensor4D;
    const [dxNative, dxJs] = both(() => tf.conv2dTranspose(dy, f, x.shape, 2, 'same'));
    expectClose(dxNative, dxJs, { rtol: 1e-4, atol: 1e-4 });
    const [dwNative, dwJs] = both(() =>
      tf.grad((fx: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, fx as tf.Tensor4D, 2, 'same'), dy)))(f),
    );
    expectClose(dwNative, dwJs, { rtol: 1e-4, atol: 1e-3 });
    tf.dispose([a, b, x, f, dy]);
  });
});
