import { ArgumentError, optionsArg } from '@gan/core';
import { matMul, mul, serialization, sum, type Tensor, tidy } from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { classInputs, classShapes } from './class-inputs';
import { type InitializerLike, type Shape, serializeInitializer, toInitializer } from './internal';

export interface ClassProjectionArgs extends LayerArgs {
  /** The class embeddings V [numClasses, features]. Default uniform ±0.05 (Keras's Embedding). */
  embeddingsInitializer?: InitializerLike;
}

/**
 * The projection discriminator's class term (Miyato & Koyama 2018, "cGANs with Projection
 * Discriminator"): ⟨V·y, φ(x)⟩ per sample, `[n, 1]`. Called on `[features, labels]`: φ(x)
 * `[n, f]` (D's penultimate features) and labels one-hot `[n, numClasses]`. Add it to D's
 * unconditional linear output ψ(φ(x)): D(x, y) = ψ(φ(x)) + yᵀVφ(x), the logit of a
 * conditional density ratio; any adversarial loss (hinge, BCE, Wasserstein) then applies.
 */
export class ClassProjection extends tfl.layers.Layer {
  static className = 'ClassProjection';
  private readonly embeddingsInitializer;
  private embeddings!: tfl.LayerVariable;

  constructor(args: ClassProjectionArgs = {}) {
    const fn = 'classProjection';
    const o = optionsArg(fn, args, { arg: 'args' });
    const embeddingsInitializer = toInitializer(
      fn,
      'embeddingsInitializer',
      o.embeddingsInitializer,
      () => tfl.initializers.randomUniform({ minval: -0.05, maxval: 0.05 }),
    );
    super(args);
    this.embeddingsInitializer = embeddingsInitializer;
  }

  override build(inputShape: Shape | Shape[]): void {
    const fn = 'classProjection';
    const [features, labels] = classShapes(fn, this.name, inputShape);
    if (features.length !== 2 || features[1] == null)
      throw new ArgumentError(
        fn,
        'inputShape',
        `expects the features' inputShape as [n, f] with f known (flatten first), got [${features.map(String)}] (layer ${this.name})`,
      );
    this.embeddings = this.addWeight(
      'embeddings',
      [labels[1] as number, features[1]],
      'float32',
      this.embeddingsInitializer,
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [classShapes('classProjection', this.name, inputShape)[0][0], 1];
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const [features, labels] = classInputs('classProjection', this.name, inputs);
    return tidy(() => sum(mul(features, matMul(labels, this.embeddings.read())), -1, true));
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      embeddingsInitializer: serializeInitializer(this.embeddingsInitializer),
    };
  }
}
serialization.registerClass(ClassProjection);

export function classProjection(args?: ClassProjectionArgs) {
  return new ClassProjection(args);
}
