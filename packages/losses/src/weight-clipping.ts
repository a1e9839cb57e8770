import { clipByValue, type Tensor, tidy, Variable } from '@tensorflow/tfjs-core';
import { finiteOption } from './reduce';

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
  const clip = finiteOption('weightClipping', 'c', c, 0);
  if (clip === 0) throw new Error('weightClipping: c must be > 0, got 0');
  const list = Array.isArray(weights) ? weights : weights.trainableWeights;
  tidy(() => {
    for (const w of list) {
      if (w instanceof Variable) w.assign(clipByValue(w, -clip, clip));
      else w.write(clipByValue(w.read(), -clip, clip));
    }
  });
  return list.length;
}
