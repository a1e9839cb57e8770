import { ArgumentError, argError } from '@gan/core';
import { serialization, type Tensor } from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export type Initializer = ReturnType<typeof tfl.initializers.zeros>;
/** An initializer, or its serialised form `{ className, config }` (what `getConfig` returns). */
export type InitializerLike = Initializer | { className: string; config: serialization.ConfigDict };
export type Shape = (number | null)[];

export function serializeInitializer(initializer: Initializer): serialization.ConfigDict {
  return { className: initializer.getClassName(), config: initializer.getConfig() };
}

// tfjs-layers keeps its Initializer base class internal; reach it through a built-in one.
const InitializerBase = Object.getPrototypeOf(
  tfl.initializers.zeros().constructor,
) as abstract new (
  ...args: never[]
) => Initializer;

const isInitializer = (value: unknown): value is Initializer =>
  value instanceof serialization.Serializable &&
  typeof (value as { apply?: unknown }).apply === 'function';

/**
 * Accepts an initializer or its serialised form (from a saved model's config); anything else
 * is an ArgumentError naming `fn` and `arg` (`instanceNormalization: gammaInitializer …`).
 */
export function toInitializer(
  fn: string,
  arg: string,
  value: unknown,
  fallback: () => Initializer,
): Initializer {
  if (value == null) return fallback();
  if (isInitializer(value)) return value;
  const className = (value as { className?: unknown }).className;
  if (typeof value !== 'object' || typeof className !== 'string')
    return argError(fn, arg, 'a tf initializer or { className, config }', value);
  // Own keys only: a prototype key ('constructor', 'toString') is no registered class.
  const map = serialization.SerializationMap.getMap().classNameMap;
  const entry = Object.hasOwn(map, className) ? map[className] : undefined;
  if (entry == null)
    throw new ArgumentError(fn, arg, `${arg} names an unknown initializer class '${className}'`);
  const [cls, fromConfig] = entry;
  if (!(cls.prototype instanceof InitializerBase))
    throw new ArgumentError(
      fn,
      arg,
      `${arg} names '${className}', which is not an initializer class`,
    );
  return fromConfig(
    cls,
    (value as { config?: serialization.ConfigDict }).config ?? {},
  ) as Initializer;
}

/** A normaliser's γ (default ones) and β (default zeros) initializers, checked under `fn`. */
export function affineInitializers(
  fn: string,
  args: { gammaInitializer?: unknown; betaInitializer?: unknown },
): { gammaInitializer: Initializer; betaInitializer: Initializer } {
  return {
    gammaInitializer: toInitializer(fn, 'gammaInitializer', args.gammaInitializer, () =>
      tfl.initializers.ones(),
    ),
    betaInitializer: toInitializer(fn, 'betaInitializer', args.betaInitializer, () =>
      tfl.initializers.zeros(),
    ),
  };
}

/** The single input tensor of a layer call (tfjs passes `Tensor | Tensor[]`). */
export function oneTensor(fn: string, layer: string, inputs: Tensor | Tensor[]): Tensor {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length !== 1)
    throw new ArgumentError(
      fn,
      'inputs',
      `expects one input, got ${inputs.length} inputs (layer ${layer})`,
    );
  return inputs[0];
}

/** The single input shape of a layer (tfjs passes `Shape | Shape[]`). */
export function oneShape(fn: string, layer: string, shape: Shape | Shape[]): Shape {
  if (shape.length > 0 && Array.isArray(shape[0])) {
    if (shape.length !== 1)
      throw new ArgumentError(
        fn,
        'inputShape',
        `expects one inputShape, got ${shape.length} (layer ${layer})`,
      );
    return shape[0] as Shape;
  }
  return shape as Shape;
}
