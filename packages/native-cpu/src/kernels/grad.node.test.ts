import { FUSED_GRADIENT_KERNELS, installGradientFixes } from '@gan/core';
import { expectClose, expectNoLeaks } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect, it } from 'vitest';
import { registerNativeKernels, unregisterNativeKernels } from '../register';
import { both, nativeSuite, randomness } from '../testing';
import { FUSED_GRADIENT_KERNELS as NATIVE } from './grad';

nativeSuite("fused activation gradients (@gan/core's FUSED_GRADIENT_KERNELS)", () => {
  afterAll(() => unregisterNativeKernels());
  const { random } = randomness(44);
  installGradientFixes();

  it('are the kernels @gan/core looks for, and the gradients use them', async () => {
    expect(NATIVE.map(([name]) => name).sort()).toEqual(
      Object.values(FUSED_GRADIENT_KERNELS).sort(),
    );
    registerNativeKernels();
    const x = random([4, 5]);
    const info = await tf.profile(() => tf.grad((v: tf.Tensor) => tf.sum(tf.leakyRelu(v, 0.2)))(x));
    const kernels = info.kernels.map((k) => k.name);
    expect(kernels).toContain('GanLeakyReluGrad');
    expect(kernels).not.toContain('Greater');
    tf.dispose(info.result as tf.Tensor);
    x.dispose();
  });

  const activations: [string, (x: tf.Tensor) => tf.Tensor][] = [
    ['leakyRelu', (x) => tf.leakyRelu(x, 0.2)],
    ['relu', tf.relu],
    ['tanh', tf.tanh],
    ['sigmoid', tf.sigmoid],
  ];

  it('first-order gradients equal the composite ones (bit for bit where the forward pass is)', () => {
    for (const [name, f] of activations) {
      const x = random([3, 7, 5]);
      const w = random([3, 7, 5]);
      const [native, js] = both(() => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), w)))(x));
      // leakyRelu and relu compute the same values as tfjs; tanh and sigmoid use C's tanhf and
      // expf, within an ulp or two of tfjs's double-precision Math.tanh and Math.exp.
      if (name === 'tanh' || name === 'sigmoid')
        expectClose(native, js, { rtol: 1e-6, atol: 1e-7, label: name });
      else expect(Array.from(native), name).toEqual(Array.from(js));
      tf.dispose([x, w]);
    }
  });

  it('second-order gradients (a penalty on ‖∂f/∂x‖²) equal the composite ones', () => {
    for (const [name, f] of activations) {
      const x = random([4, 6]);
      const w = random([6, 6]);
      // ∂/∂w ‖∇ₓ Σ f(x·w)‖²: the gradient of the activation's gradient.
      const penalty = (wv: tf.Tensor) =>
        tf.sum(
          tf.square(
            tf.grad((xv: tf.Tensor) => tf.sum(f(tf.matMul(xv as tf.Tensor2D, wv as tf.Tensor2D))))(
              x,
            ),
          ),
        );
      const [native, js] = both(() => tf.grad(penalty)(w));
      expectClose(native, js, { rtol: 1e-5, atol: 1e-6, label: name });
      tf.dispose([x, w]);
    }
  });

  it('leak nothing', () => {
    registerNativeKernels();
    const x = random([8, 8]);
    const w0 = tf.scalar(0.7);
    expectNoLeaks(() => {
      for (const [, f] of activations)
        tf.dispose(
          tf.grad((w: tf.Tensor) =>
            tf.sum(tf.square(tf.grad((v: tf.Tensor) => tf.sum(f(tf.mul(v, w))))(x))),
          )(w0),
        );
    });
    tf.dispose([x, w0]);
  });
});
