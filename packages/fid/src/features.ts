import { ArgumentError, argError, assertArg, numbersArg, positiveInteger } from '@gan/core';
import { Tensor } from '@tensorflow/tfjs-core';
import { isFeatureStats } from './feature-stats';

/** Feature vectors: rows of numbers, or row-major values with their dimension. */
export type Features = readonly (readonly number[])[] | { values: ArrayLike<number>; dim: number };

/** Feature rows in float64, row-major. */
export interface Matrix {
  values: Float64Array;
  rows: number;
  dim: number;
}

/** Checked feature rows, not yet copied: `write` lays them out wherever the caller needs them. */
export interface FeatureRows {
  rows: number;
  dim: number;
  /** Row r goes to target[offset + r · stride …], `dim` values. */
  write(target: Float64Array, offset: number, stride: number): void;
}

const FEATURES = 'rows (arrays of numbers) or { values, dim }';
const KEEP = 'use extractFeatures(…, { keepFeatures: true }).features';

function nonFinite(fn: string, name: string, value: number, row: number): never {
  throw new ArgumentError(fn, name, `${name} holds non-finite values (${value} in row ${row})`);
}

/**
 * Checks `features` (the forms `Features` allows; not empty, not 0-d, rows of one length, every
 * value finite) without copying them. Messages start with `fn` and name the argument `name`.
 */
export function featureRows(fn: string, name: string, features: Features): FeatureRows {
  if (features instanceof Tensor)
    argError(fn, name, FEATURES, features, `read it with await t.array(), or ${KEEP}`);
  if (isFeatureStats(features))
    argError(fn, name, FEATURES, features, `statistics hold no feature rows; ${KEEP}`);
  if (Array.isArray(features)) {
    const rows = features as readonly (readonly number[])[];
    assertArg(rows.length > 0, fn, `${name} is empty`, name);
    if (typeof rows[0] === 'number')
      argError(fn, name, FEATURES, rows, `for ${rows.length} flat numbers give { values, dim }`);
    const first = rows[0] as unknown;
    if (!(Array.isArray(first) || ArrayBuffer.isView(first)))
      argError(fn, `${name}[0]`, 'an array of numbers', first);
    const dim = rows[0].length;
    assertArg(dim > 0, fn, `${name} has 0-d features (empty rows)`, name);
    rows.forEach((row, r) => {
      numbersArg(fn, `${name}[${r}]`, row);
      if (row.length !== dim)
        throw new ArgumentError(
          fn,
          name,
          `${name} row ${r} has ${row.length} values, row 0 has ${dim}`,
        );
    });
    rows.forEach((row, r) => {
      for (let j = 0; j < dim; j++) if (!Number.isFinite(row[j])) nonFinite(fn, name, row[j], r);
    });
    return {
      rows: rows.length,
      dim,
      write(target, offset, stride) {
        rows.forEach((row, r) => {
          target.set(row, offset + r * stride);
        });
      },
    };
  }
  if (typeof features !== 'object' || features === null || ArrayBuffer.isView(features))
    argError(fn, name, FEATURES, features);
  const { values, dim } = features as { values: ArrayLike<number>; dim: number };
  positiveInteger(fn, `${name}.dim`, dim);
  numbersArg(fn, `${name}.values`, values);
  if (values.length % dim !== 0)
    throw new ArgumentError(fn, name, `${name} holds ${values.length} values, not rows of ${dim}`);
  assertArg(values.length > 0, fn, `${name} is empty`, name);
  for (let i = 0; i < values.length; i++)
    if (!Number.isFinite(values[i])) nonFinite(fn, name, values[i], Math.floor(i / dim));
  const rows = values.length / dim;
  return {
    rows,
    dim,
    write(target, offset, stride) {
      if (stride === dim) {
        target.set(values, offset);
        return;
      }
      for (let r = 0; r < rows; r++)
        for (let j = 0; j < dim; j++) target[offset + r * stride + j] = values[r * dim + j];
    },
  };
}

/** `featureRows`, copied to a float64 matrix. */
export function toMatrix(fn: string, name: string, features: Features): Matrix {
  const checked = featureRows(fn, name, features);
  const values = new Float64Array(checked.rows * checked.dim);
  checked.write(values, 0, checked.dim);
  return { values, rows: checked.rows, dim: checked.dim };
}
