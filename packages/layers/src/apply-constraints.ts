import { argError } from '@gan/core';
import { type Tensor, tidy } from '@tensorflow/tfjs-core';
import type { LayerVariable } from '@tensorflow/tfjs-layers';

type Constrained = LayerVariable & { constraint?: { apply(w: Tensor): Tensor } | null };

/**
 * Applies every weight constraint of a model or layer (clip, maxNorm, …) now, in place, and
 * returns how many weights were constrained.
 *
 * Call it after each optimizer step of a custom loop: tfjs optimizers write variables directly
 * and tfjs-layers applies constraints only in `LayerVariable.write` (setWeights), so neither
 * `optimizer.minimize` nor `model.fit` (tfjs-layers 4.22) enforces them.
 */
export function applyConstraints(target: { weights: LayerVariable[] }): number {
  const weights = (target as { weights?: unknown } | null)?.weights;
  if (!Array.isArray(weights))
    argError('applyConstraints', 'target', 'a tfjs-layers model or layer (with weights)', target);
  let constrained = 0;
  for (const weight of weights as Constrained[]) {
    if (weight.constraint == null) continue;
    const constraint = weight.constraint;
    tidy(() => {
      weight.write(constraint.apply(weight.read()));
    });
    constrained++;
  }
  return constrained;
}
