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
import { oneShape, oneTensor, positiveInteger, positiveNumber, type Shape } from './internal';

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
  return tidy(() => {
    if (x.rank !== 4)
      throw new Error(`minibatchStdDev expects [N, H, W, C] images, got shape [${x.shape}]`);
    const [n, h, w, c] = x.shape;
    const g = Math.min(groupSize, n);
    if (n % g !== 0)
      throw new Error(`minibatchStdDev: batch size ${n} is not a multiple of groupSize ${g}`);
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
    super(args);
    this.groupSize = positiveInteger('minibatchStdDev', 'groupSize', args.groupSize ?? 4);
    this.epsilon = positiveNumber('minibatchStdDev', 'epsilon', args.epsilon ?? 1e-8);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = oneShape(this.name, inputShape);
    if (shape.length !== 4)
      throw new Error(`minibatchStdDev expects [N, H, W, C] inputs, got [${shape.map(String)}]`);
    const channels = shape[3];
    return [...shape.slice(0, 3), channels == null ? null : channels + 1];
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return minibatchStdDevFeatures(oneTensor(this.name, inputs), this.groupSize, this.epsilon);
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), groupSize: this.groupSize, epsilon: this.epsilon };
  }
}
serialization.registerClass(MinibatchStdDev);

export function minibatchStdDev(args?: MinibatchStdDevArgs) {
  return new MinibatchStdDev(args);
}
