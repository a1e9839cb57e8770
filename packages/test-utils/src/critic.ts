import * as tf from '@tensorflow/tfjs-core';

export interface RawCriticLayer {
  stride: number;
  /** 'same', or symmetric zero padding (PyTorch's `padding=p`). */
  pad: 'same' | number;
}

/**
 * A critic made of raw ops, the way a layers critic runs them: per layer a fused conv2d + bias
 * and leakyRelu, then flatten (NHWC order) and a fused dense unit. Weights are a flat list
 * [filter₁, bias₁, …, denseKernel, denseBias] so tf.grads can differentiate all of them.
 *
 * `masks` freezes every leakyRelu's sign pattern (from {@link RawCritic.signPattern}): the critic
 * is then a smooth function of its weights around that point with the same derivatives, which
 * is what finite differences can check (across a kink they mean nothing).
 */
export interface RawCritic {
  apply(x: tf.Tensor, weights: tf.Tensor[], masks?: tf.Tensor[]): tf.Tensor;
  /** The sign pattern (pre-activation > 0) of every leakyRelu at x. */
  signPattern(x: tf.Tensor, weights: tf.Tensor[]): tf.Tensor[];
}

export function rawCritic(layers: RawCriticLayer[], alpha = 0.2): RawCritic {
  const run = (x: tf.Tensor, weights: tf.Tensor[], masks?: tf.Tensor[], record?: tf.Tensor[]) => {
    if (weights.length !== 2 * layers.length + 2) {
      throw new Error(
        `rawCritic: expected ${2 * layers.length + 2} weights, got ${weights.length}`,
      );
    }
    let h = x as tf.Tensor4D;
    layers.forEach(({ stride, pad }, i) => {
      const padding:
        | 'same'
        | [[number, number], [number, number], [number, number], [number, number]] =
        pad === 'same'
          ? 'same'
          : [
              [0, 0],
              [pad, pad],
              [pad, pad],
              [0, 0],
            ];
      const z = tf.fused.conv2d({
        x: h,
        filter: weights[2 * i] as tf.Tensor4D,
        strides: stride,
        pad: padding,
        bias: weights[2 * i + 1],
      });
      record?.push(z);
      h = (masks ? tf.where(masks[i], z, tf.mul(z, alpha)) : tf.leakyRelu(z, alpha)) as tf.Tensor4D;
    });
    const [kernel, bias] = weights.slice(-2);
    return tf.fused.matMul({ a: tf.reshape(h, [x.shape[0], -1]), b: kernel as tf.Tensor2D, bias });
  };
  return {
    apply: (x, weights, masks) => run(x, weights, masks),
    signPattern: (x, weights) =>
      tf.tidy(() => {
        const pre: tf.Tensor[] = [];
        run(x, weights, undefined, pre);
        return pre.map((z) => tf.greater(z, 0));
      }),
  };
}
