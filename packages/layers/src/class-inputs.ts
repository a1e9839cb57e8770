import { ArgumentError } from '@gan/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Shape } from './internal';

const EXPECTED = 'two inputs, [x, labels] with labels one-hot [n, numClasses],';

/** The `[x, labels]` input shapes of a class-conditional layer, labels `[n, numClasses]`. */
export function classShapes(fn: string, layer: string, shape: Shape | Shape[]): [Shape, Shape] {
  if (!(shape.length === 2 && Array.isArray(shape[0]) && Array.isArray(shape[1])))
    throw new ArgumentError(fn, 'inputShape', `expects ${EXPECTED} as inputShape (layer ${layer})`);
  const [x, labels] = shape as Shape[];
  if (labels.length !== 2 || labels[1] == null)
    throw new ArgumentError(
      fn,
      'inputShape',
      `expects the labels' inputShape as [n, numClasses] with numClasses known, got [${labels.map(String)}] (layer ${layer})`,
    );
  return [x, labels];
}

/** The `[x, labels]` tensors of a class-conditional layer's call. */
export function classInputs(
  fn: string,
  layer: string,
  inputs: Tensor | Tensor[],
): [Tensor, Tensor] {
  if (!Array.isArray(inputs) || inputs.length !== 2)
    throw new ArgumentError(fn, 'inputs', `expects ${EXPECTED} as inputs (layer ${layer})`);
  return [inputs[0], inputs[1]];
}
