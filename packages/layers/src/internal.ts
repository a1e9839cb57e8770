import { serialization, type Tensor } from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

export type Initializer = ReturnType<typeof tfl.initializers.zeros>;
/** An initializer, or its serialised form `{ className, config }` (what `getConfig` returns). */
export type InitializerLike = Initializer | { className: string; config: serialization.ConfigDict };
export type Shape = (number | null)[];

export function positiveInteger(layer: string, name: string, value: unknown): number {
  if (!(Number.isInteger(value) && (value as number) > 0))
    throw new Error(`${layer}: ${name} must be a positive integer, got ${value}`);
  return value as number;
}

export function positiveNumber(layer: string, name: string, value: unknown): number {
  if (!(Number.isFinite(value) && (value as number) > 0))
    throw new Error(`${layer}: ${name} must be a finite number > 0, got ${value}`);
  return value as number;
}

export function serializeInitializer(initializer: Initializer): serialization.ConfigDict {
  return { className: initializer.getClassName(), config: initializer.getConfig() };
}

/** Accepts an initializer or its serialised form (from a saved model's config). */
export function toInitializer(value: InitializerLike | undefined, fallback: () => Initializer) {
  if (value == null) return fallback();
  if (value instanceof serialization.Serializable) return value as Initializer;
  const entry = serialization.SerializationMap.getMap().classNameMap[value.className];
  if (entry == null) throw new Error(`unknown initializer class ${value.className}`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, value.config) as Initializer;
}

/** The single input tensor of a layer call (tfjs passes `Tensor | Tensor[]`). */
export function oneTensor(layer: string, inputs: Tensor | Tensor[]): Tensor {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length !== 1) throw new Error(`${layer} expects one input, got ${inputs.length}`);
  return inputs[0];
}

/** The single input shape of a layer (tfjs passes `Shape | Shape[]`). */
export function oneShape(layer: string, shape: Shape | Shape[]): Shape {
  if (shape.length > 0 && Array.isArray(shape[0])) {
    if (shape.length !== 1) throw new Error(`${layer} expects one input, got ${shape.length}`);
    return shape[0] as Shape;
  }
  return shape as Shape;
}
