import { type DataType, Tensor } from '@tensorflow/tfjs-core';

/**
 * Argument checks for every @gan/* public function, in tfjs's `util.assert` style: each throws
 * an {@link ArgumentError} whose message starts with the function the caller called and names
 * the argument — `fn: arg must be <expected>, got <what it was>` — and builds that message only
 * when the check fails (they run on every training step). Function names are what the user
 * typed: `gradientPenalty`, `FeatureStats.add`, `trainer.fit`; options are dotted
 * (`samples.every`).
 */

/** A misused argument: `fn` is the function the caller called, `arg` the argument (dotted for options). */
export class ArgumentError extends Error {
  constructor(
    readonly fn: string,
    readonly arg: string | undefined,
    message: string,
  ) {
    super(`${fn}: ${message}`);
    this.name = 'ArgumentError';
  }

  // Each package's CJS and ESM bundles may hold a copy of this class: recognise it by name.
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'ArgumentError';
  }
}

/** What a value is, for the "got …" of a message: `3`, `'avg'`, `a float32 tf.Tensor of shape [2,4]`, `an array of 8`, … */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return value.name ? `a function (${value.name})` : 'a function';
  if (value instanceof Tensor)
    return value.isDisposed
      ? 'a disposed tf.Tensor'
      : `a ${value.dtype} tf.Tensor of shape [${value.shape}]`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value))
    return `a ${value.constructor.name} of ${(value as unknown as ArrayLike<number>).length ?? value.byteLength}`;
  if (value instanceof ArrayBuffer) return `an ArrayBuffer of ${value.byteLength} bytes`;
  const name = (value as object).constructor?.name;
  if (name && name !== 'Object') return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
  const keys = Object.keys(value as object);
  return `an object {${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}}`;
}

/** Throws `fn: arg must be <expected>, got <value>[; hint]`. */
export function argError(
  fn: string,
  arg: string,
  expected: string,
  value: unknown,
  hint?: string,
): never {
  throw new ArgumentError(
    fn,
    arg,
    `${arg} must be ${expected}, got ${describe(value)}${hint ? `; ${hint}` : ''}`,
  );
}

/** Throws `fn: <message>` unless `condition` holds (the message is built only then). */
export function assertArg(
  condition: unknown,
  fn: string,
  message: string | (() => string),
  arg?: string,
): asserts condition {
  if (!condition)
    throw new ArgumentError(fn, arg, typeof message === 'string' ? message : message());
}

/**
 * A renamed option: the value of `options[name]`, or of its deprecated old name `deprecated`
 * when only that is given (`undefined` when neither is). Both given is an {@link ArgumentError}
 * naming both: `r1Penalty: gamma: deprecated alias of weight; pass only weight`. Prints nothing:
 * the old name is marked `@deprecated` in the option's JSDoc, so editors strike it through.
 * `prefix` dots the names of a nested object (`'ctx.'`, `'warnings.'`).
 */
export function aliasArg<O extends object, N extends keyof O & string, D extends keyof O & string>(
  fn: string,
  options: O,
  name: N,
  deprecated: D,
  prefix = '',
): O[N] | O[D] {
  const value = options[name];
  const old = options[deprecated];
  if (old === undefined) return value;
  if (value !== undefined)
    throw new ArgumentError(
      fn,
      `${prefix}${deprecated}`,
      `${prefix}${deprecated}: deprecated alias of ${prefix}${name}; pass only ${prefix}${name}`,
    );
  return old;
}

export interface Range {
  min?: number;
  max?: number;
  /** Exclude the bound itself. */
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

function rangeText({ min, max, minExclusive, maxExclusive }: Range): string {
  if (min != null && max != null)
    return `in ${minExclusive ? '(' : '['}${min}, ${max}${maxExclusive ? ')' : ']'}`;
  if (min != null) return `${minExclusive ? '>' : '≥'} ${min}`;
  if (max != null) return `${maxExclusive ? '<' : '≤'} ${max}`;
  return '';
}

const inRange = (v: number, { min, max, minExclusive, maxExclusive }: Range) =>
  (min == null || (minExclusive ? v > min : v >= min)) &&
  (max == null || (maxExclusive ? v < max : v <= max));

/** An integer (in `range`): "a positive integer", "an integer ≥ 0", "an integer in [2, 20]". */
export function integerArg(fn: string, arg: string, value: unknown, range: Range = {}): number {
  if (typeof value === 'number' && Number.isInteger(value) && inRange(value, range)) return value;
  const expected =
    range.min === 1 && range.max == null && !range.minExclusive
      ? 'a positive integer'
      : `an integer${range.min != null || range.max != null ? ` ${rangeText(range)}` : ''}`;
  return argError(fn, arg, expected, value);
}

export const positiveInteger = (fn: string, arg: string, value: unknown) =>
  integerArg(fn, arg, value, { min: 1 });
export const nonNegativeInteger = (fn: string, arg: string, value: unknown) =>
  integerArg(fn, arg, value, { min: 0 });

/** A finite number (in `range`): "a finite number > 0", "a finite number in [0, 1)". */
export function numberArg(fn: string, arg: string, value: unknown, range: Range = {}): number {
  if (typeof value === 'number' && Number.isFinite(value) && inRange(value, range)) return value;
  const text = rangeText(range);
  return argError(fn, arg, `a finite number${text ? ` ${text}` : ''}`, value);
}

export const positiveNumber = (fn: string, arg: string, value: unknown) =>
  numberArg(fn, arg, value, { min: 0, minExclusive: true });

/** A probability: "a probability in [0, 1]". */
export function probability(fn: string, arg: string, value: unknown): number {
  if (typeof value === 'number' && value >= 0 && value <= 1) return value;
  return argError(fn, arg, 'a probability in [0, 1]', value);
}

/** One of `choices` (compared with `includes`: prototype keys like 'toString' never pass). */
export function oneOf<const T extends string>(
  fn: string,
  arg: string,
  value: unknown,
  choices: readonly T[],
): T {
  if ((choices as readonly unknown[]).includes(value)) return value as T;
  return argError(fn, arg, choices.map((c) => `'${c}'`).join(' | '), value);
}

export function functionArg<F extends (...args: never[]) => unknown>(
  fn: string,
  arg: string,
  value: unknown,
): F {
  if (typeof value === 'function') return value as F;
  return argError(fn, arg, 'a function', value);
}

export function booleanArg(fn: string, arg: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  return argError(fn, arg, 'true or false', value);
}

/** An options object: `undefined` is `{}` (unless `required`); `null`, arrays and non-objects throw. */
export function optionsArg<T extends object>(
  fn: string,
  value: T | null | undefined,
  { arg = 'options', required = false }: { arg?: string; required?: boolean } = {},
): T {
  if (value === undefined && !required) return {} as T;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  return argError(fn, arg, required ? 'an options object (it is required)' : 'an object', value);
}

/** A seed for SeedStream and tfjs's random ops: an integer in [0, 2^32). */
export function seedArg(fn: string, arg: string, value: unknown, alternative?: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 32)
    return value;
  return argError(fn, arg, `an integer in [0, 2^32)${alternative ? ` ${alternative}` : ''}`, value);
}

export interface TensorSpec {
  /** Exact rank, or the ranks accepted. */
  rank?: number | readonly number[];
  minRank?: number;
  /** Shown with rank errors: `[n, h, w, c]`. */
  layout?: string;
  /** The shape; `null` entries are free. Checked after the rank. */
  shape?: readonly (number | null)[];
  dtype?: DataType | readonly DataType[];
  /** At least one element along the first axis (and overall). */
  nonEmpty?: boolean;
  /** Appended to the not-a-tensor message ("use add() for arrays"). */
  hint?: string;
}

/**
 * A tf.Tensor as `spec` says: checked for type, disposal, rank, shape, dtype and emptiness, in
 * that order. Never reads the tensor's data (no GPU sync).
 */
export function tensorArg(fn: string, arg: string, value: unknown, spec: TensorSpec = {}): Tensor {
  if (!(value instanceof Tensor)) return argError(fn, arg, 'a tf.Tensor', value, spec.hint);
  if (value.isDisposed) throw new ArgumentError(fn, arg, `${arg} is a disposed tf.Tensor`);
  const { rank, minRank, layout, shape, dtype, nonEmpty } = spec;
  const ranks = rank == null ? undefined : typeof rank === 'number' ? [rank] : rank;
  const where = layout ? ` (${layout})` : '';
  if (ranks && !ranks.includes(value.rank))
    throw new ArgumentError(
      fn,
      arg,
      `${arg} must have rank ${ranks.join(' or ')}${where}, got shape [${value.shape}]`,
    );
  if (minRank != null && value.rank < minRank)
    throw new ArgumentError(
      fn,
      arg,
      `${arg} must have rank ≥ ${minRank}${where}, got shape [${value.shape}]`,
    );
  if (
    shape &&
    (shape.length !== value.rank || shape.some((d, i) => d != null && d !== value.shape[i]))
  )
    throw new ArgumentError(
      fn,
      arg,
      `${arg} must have shape [${shape.map((d) => d ?? '·')}], got [${value.shape}]`,
    );
  const dtypes = dtype == null ? undefined : typeof dtype === 'string' ? [dtype] : dtype;
  if (dtypes && !dtypes.includes(value.dtype))
    throw new ArgumentError(fn, arg, `${arg} must be ${dtypes.join(' or ')}, got ${value.dtype}`);
  if (nonEmpty && (value.size === 0 || (value.rank > 0 && value.shape[0] === 0)))
    throw new ArgumentError(fn, arg, `${arg} is empty (shape [${value.shape}])`);
  return value;
}

/** Numbers: a number[] or a typed array (not a tensor: `hint` says what to call instead). */
export function numbersArg(
  fn: string,
  arg: string,
  value: unknown,
  {
    minLength = 0,
    multipleOf,
    hint,
  }: { minLength?: number; multipleOf?: number; hint?: string } = {},
): ArrayLike<number> {
  const ok =
    (Array.isArray(value) && value.every((v) => typeof v === 'number')) ||
    (ArrayBuffer.isView(value) && !(value instanceof DataView));
  if (!ok) return argError(fn, arg, 'an array of numbers or a typed array', value, hint);
  const { length } = value as ArrayLike<number>;
  if (length < minLength)
    throw new ArgumentError(
      fn,
      arg,
      `${arg} must hold at least ${minLength} numbers, got ${length}`,
    );
  if (multipleOf != null && length % multipleOf !== 0)
    throw new ArgumentError(
      fn,
      arg,
      `${arg} must hold a multiple of ${multipleOf} numbers, got ${length}`,
    );
  return value as ArrayLike<number>;
}
