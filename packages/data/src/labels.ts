import { ArgumentError, argError } from '@gan/core';

/** Class labels of a dataset: one class index per image, and the class names by index. */
export interface ClassLabels {
  indices: Int32Array;
  classes: readonly string[];
}

/**
 * Checks labels for `count` images under `fn`: every index an integer in 0…classes.length − 1
 * (read here, once, so that training never meets an out-of-range label), names unique strings.
 */
export function classLabelsArg(
  fn: string,
  arg: string,
  labels: ClassLabels,
  count: number,
): ClassLabels {
  const { indices, classes } = labels ?? {};
  if (!(indices instanceof Int32Array))
    argError(fn, arg, 'an Int32Array of class indices', indices);
  if (!Array.isArray(classes) || classes.some((c) => typeof c !== 'string'))
    argError(fn, 'classes', 'an array of class names (strings)', classes);
  if (classes.length === 0) throw new ArgumentError(fn, 'classes', 'classes is empty');
  if (new Set(classes).size !== classes.length)
    throw new ArgumentError(fn, 'classes', `class names must be unique, got ${classes.join(', ')}`);
  if (indices.length !== count)
    throw new ArgumentError(
      fn,
      arg,
      `${arg} must hold one label per image: ${count} images, ${indices.length} labels`,
    );
  const bad = indices.findIndex((c) => c < 0 || c >= classes.length);
  if (bad >= 0)
    throw new ArgumentError(
      fn,
      arg,
      `${arg}[${bad}] is ${indices[bad]}, outside 0…${classes.length - 1} (${classes.length} classes)`,
    );
  return { indices, classes: Object.freeze([...classes]) };
}

/** Images per class. */
export function classCounts(labels: ClassLabels): number[] {
  const counts = labels.classes.map(() => 0);
  for (const c of labels.indices) counts[c]++;
  return counts;
}
