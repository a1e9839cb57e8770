/**
 * Keeps a renamed field readable under its old name: `object[old]` becomes a getter and setter
 * of `object[name]`, marked `@deprecated` where the type declares it. It is not enumerable, so
 * spreading the object (`{ ...wgan(), generator, discriminator }`) copies only the new name.
 */
export function deprecatedField<T extends object>(object: T, old: string, name: keyof T): T {
  return Object.defineProperty(object, old, {
    get: () => object[name],
    set: (value: T[keyof T]) => {
      object[name] = value;
    },
    enumerable: false,
    configurable: true,
  });
}
