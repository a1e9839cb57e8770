import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * The class names a run saves inside its generator's model.json (tfjs's user-defined metadata):
 * the label set travels with the model, to `generate`, `score` and the page.
 */
export function setClassNames(model: tfl.LayersModel, classes: readonly string[]): void {
  model.setUserDefinedMetadata({ ...(model.getUserDefinedMetadata() ?? {}), classes });
}

/** A saved conditional generator's class names: its metadata's, else '0', '1', … */
export function classNames(model: tfl.LayersModel): string[] {
  const saved = (model.getUserDefinedMetadata() as { classes?: unknown } | undefined)?.classes;
  if (Array.isArray(saved) && saved.every((c) => typeof c === 'string')) return saved;
  if (model.inputs.length !== 2)
    throw new Error(`${model.name} takes no labels: it is not a class-conditional generator`);
  return Array.from({ length: model.inputs[1].shape[1] as number }, (_, i) => `${i}`);
}

/**
 * The indices of the first `perClass` items of each class, class by class (class 0's first, …):
 * a per-class grid's rows, or equal-sized classes for a per-class score.
 */
export function firstOfEachClass(
  labels: ArrayLike<number>,
  classes: number,
  perClass: number,
): number[] {
  const rows: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < labels.length; i++)
    if (rows[labels[i]].length < perClass) rows[labels[i]].push(i);
  return rows.flat();
}
