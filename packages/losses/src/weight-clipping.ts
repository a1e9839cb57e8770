import { argError, positiveNumber } from '@gan/core';
import { clipByValue, type Tensor, tidy, Variable } from '@tensorflow/tfjs-core';

/** A tfjs-layers weight (LayerVariable): read and written through the layer. */
interface LayerWeight {
  read(): Tensor;
  write(value: Tensor): unknown;
}

/** Variables, layers weights, or a model/layer (its trainable weights). */
export type ClippableWeights = Array<Variable | LayerWeight> | { trainableWeights: LayerWeight[] };

/**
 * Clips every weight to [−c, c] in place: the original WGAN's Lipschitz constraint (Arjovsky
 * et al. 2017, c = 0.01), applied after each critic update. Returns the number of weights clipped.
 */
export function weightClipping(weights: ClippableWeights, c: number): number {
  const fn = 'weightClipping';
  const clip = positiveNumber(fn, 'c', c);
  const list = weightList(fn, weights);
  tidy(() => {
    for (const w of list) {
      if (w instanceof Variable) w.assign(clipByValue(w, -clip, clip));
      else w.write(clipByValue(w.read(), -clip, clip));
    }
  });
  return list.length;
}

const isLayerWeight = (w: unknown): w is LayerWeight =>
  typeof (w as LayerWeight | null)?.read === 'function' &&
  typeof (w as LayerWeight).write === 'function';

/** The weights to clip, every one checked before any is written. */
function weightList(fn: string, weights: unknown): Array<Variable | LayerWeight> {
  const trainable = (weights as { trainableWeights?: unknown } | null)?.trainableWeights;
  const list = Array.isArray(weights) ? weights : Array.isArray(trainable) ? trainable : undefined;
  if (list == null)
    return argError(
      fn,
      'weights',
      'an array of tf.Variables / layer weights or a model or layer with trainableWeights',
      weights,
    );
  list.forEach((w, i) => {
    if (!(w instanceof Variable || isLayerWeight(w)))
      argError(fn, `weights[${i}]`, 'a tf.Variable or a layer weight (read/write)', w);
  });
  return list;
}
