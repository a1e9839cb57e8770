/**
 * The compiled addon's functions (src/native/addon.cc). Every function works in place on the
 * caller's typed arrays and checks their sizes before touching memory.
 */
export interface Addon {
  sgemm(
    transposeA: boolean,
    transposeB: boolean,
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
  ): void;
  conv2d(x: Float32Array, filter: Float32Array, y: Float32Array, dims: Int32Array): void;
  conv2dBackpropInput(
    dy: Float32Array,
    filter: Float32Array,
    dx: Float32Array,
    dims: Int32Array,
  ): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, dims: Int32Array): void;
  binary(
    op: BinaryOp,
    a: Float32Array,
    aShape: Int32Array,
    b: Float32Array,
    bShape: Int32Array,
    out: Float32Array,
    outShape: Int32Array,
  ): void;
  reduceSum(
    x: Float32Array,
    xShape: Int32Array,
    outShape: Int32Array,
    out: Float32Array,
    divisor: number,
  ): void;
  setThreads(n: number): number;
  config(): string;
  /** The op codes as the C++ side numbers them (checked against {@link BinaryOp} by the tests). */
  opCodes(): Record<string, Record<string, number>>;
}

/** Element-wise binary ops of `Addon.binary`; the numbers are `enum class BinaryOp` in addon.cc. */
export const BinaryOp = { add: 0, sub: 1, mul: 2, div: 3 } as const;
export type BinaryOp = (typeof BinaryOp)[keyof typeof BinaryOp];
