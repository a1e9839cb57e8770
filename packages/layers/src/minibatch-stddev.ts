import {
  ArgumentError,
  assertArg,
  optionsArg,
  positiveInteger,
  positiveNumber,
  tensorArg,
} from '@gan/core';
import {
  add,
  concat,
  mean,
  reshape,
  serialization,
  sqrt,
  square,
  sub,
  type Tensor,
  tidy,
  tile,
} from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { oneShape, oneTensor, type Shape } from './internal';

export interface MinibatchStdDevArgs extends LayerArgs {
  /** Samples per group; the batch size must be a multiple of min(groupSize, batch). Default 4. */
  groupSize?: number;
  /** Added to the variance before the square root. Default 1e-8 (ProGAN). */
  epsilon?: number;
}

/**
 * The minibatch standard deviation as a pure function, NHWC: the batch is split into groups of
 * G (sample n in group n mod N/G), each group's per-feature std is averaged to one number,
 * appended as an extra channel. x [N, H, W, C] → [N, H, W, C + 1].
 */
export function minibatchStdDevFeatures(x: Tensor, groupSize = 4, epsilon = 1e-8): Tensor {
  return stdDevFeatures('minibatchStdDevFeatures', x, groupSize, epsilon);
}

/** {@link minibatchStdDevFeatures}, its errors named after `fn` (the layer's call uses the layer's name). */
function stdDevFeatures(fn: string, x: Tensor, groupSize: number, epsilon: number): Tensor {
  tensorArg(fn, 'x', x, { rank: 4, layout: '[n, h, w, c]', nonEmpty: true });
  positiveInteger(fn, 'groupSize', groupSize);
  positiveNumber(fn, 'epsilon', epsilon);
  const [n, h, w, c] = x.shape;
  const g = Math.min(groupSize, n);
  assertArg(
    n % g === 0,
    fn,
    () => `batch size ${n} is not a multiple of groupSize ${g}`,
    'groupSize',
  );
  return tidy(() => {
    const y = reshape(x, [g, n / g, h, w, c]);
    const centred = sub(y, mean(y, 0, true));
    const std = sqrt(add(mean(square(centred), 0), epsilon)); // [N/G, H, W, C]
    const perGroup = mean(std, [1, 2, 3]); // [N/G]
    const channel = tile(reshape(perGroup, [n / g, 1, 1, 1]), [g, h, w, 1]);
    return concat([x, channel], 3);
  });
}

/**
 * Minibatch standard deviation (Karras et al. 2018, ProGAN): gives the discriminator a feature
 * map of how varied the batch is, a cheap remedy for mode collapse. Put it before the last
 * convolution block.
 */
export class MinibatchStdDev extends tfl.layers.Layer {
  static className = 'MinibatchStdDev';
  readonly groupSize: number;
  readonly epsilon: number;

  constructor(args: MinibatchStdDevArgs = {}) {
    const fn = 'minibatchStdDev';
    const o = optionsArg(fn, args, { arg: 'args' });
    const groupSize = positiveInteger(fn, 'groupSize', o.groupSize ?? 4);
    const epsilon = positiveNumber(fn, 'epsilon', o.epsilon ?? 1e-8);
    super(args);
    this.groupSize = groupSize;
    this.epsilon = epsilon;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = oneShape('minibatchStdDev', this.name, inputShape);
    if (shape.length !== 4)
      throw new ArgumentError(
        'minibatchStdDev',
        'inputShape',
        `expects an inputShape [N, H, W, C], got [${shape.map(String)}] (layer ${this.name})`,
      );
    const channels = shape[3];
    return [...shape.slice(0, 3), channels == null ? null : channels + 1];
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = oneTensor('minibatchStdDev', this.name, inputs);
    return stdDevFeatures('minibatchStdDev', x, this.groupSize, this.epsilon);
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), groupSize: this.groupSize, epsilon: this.epsilon };
  }
}
serialization.registerClass(MinibatchStdDev);

export function minibatchStdDev(args?: MinibatchStdDevArgs) {
  return new MinibatchStdDev(args);
}
