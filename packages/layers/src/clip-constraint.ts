import { optionsArg, positiveNumber } from '@gan/core';
import { clipByValue, serialization, type Tensor, tidy } from '@tensorflow/tfjs-core';
import { constraints } from '@tensorflow/tfjs-layers';

type Constraint = ReturnType<typeof constraints.nonNeg>;

// tfjs-layers exports its Constraint base class only from an internal path; reach it through a
// built-in constraint so ours is a real tfjs constraint (accepted by every layer, serialisable).
const ConstraintBase = Object.getPrototypeOf(
  constraints.nonNeg().constructor,
) as (new () => Constraint) & {
  fromConfig: typeof serialization.Serializable.fromConfig;
};

export interface ClipConstraintArgs {
  /** Weights are clipped to [−clipValue, clipValue]. */
  clipValue: number;
}

/**
 * Clips every weight to [−c, c]: the Lipschitz constraint of the original WGAN (Arjovsky et al.
 * 2017; c = 0.01) as a per-layer tfjs-layers constraint (`kernelConstraint`), serialised with the
 * model. It is the per-layer alternative to weight clipping's usual form, `@gan/losses`'
 * `weightClipping(weights, c)` — what `@gan/trainers`' `weightClipping: c` option (and `wgan()`)
 * applies to the whole discriminator after each of its updates; use one or the other.
 * tfjs-layers 4.22 applies constraints only in `setWeights`, not after optimizer updates (not
 * even in `model.fit`): call {@link applyConstraints} after each critic update.
 */
export class ClipConstraint extends ConstraintBase {
  static className = 'ClipConstraint';
  readonly clipValue: number;

  constructor(args: ClipConstraintArgs) {
    const fn = 'clipConstraint';
    const { clipValue } = optionsArg(fn, args, { arg: 'args', required: true });
    super();
    this.clipValue = positiveNumber(fn, 'clipValue', clipValue);
  }

  override apply(w: Tensor): Tensor {
    return tidy(() => clipByValue(w, -this.clipValue, this.clipValue));
  }

  override getConfig(): serialization.ConfigDict {
    return { clipValue: this.clipValue };
  }
}
serialization.registerClass(ClipConstraint);

/**
 * A {@link ClipConstraint}: `kernelConstraint: clipConstraint(0.01)`, the per-layer constraint
 * alternative to `@gan/losses`' `weightClipping(weights, c)` (see {@link ClipConstraint}).
 */
export function clipConstraint(clipValue: number): ClipConstraint {
  return new ClipConstraint({ clipValue });
}
