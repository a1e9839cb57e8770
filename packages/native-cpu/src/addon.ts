/**
 * The compiled addon's functions (src/native/*.cc). Every function works in place on the
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
  /** bias: cout, 1 or 0 values; activation: a {@link Unary} code or −1. */
  conv2d(
    x: Float32Array,
    filter: Float32Array,
    y: Float32Array,
    dims: Int32Array,
    bias?: Float32Array,
    activation?: number,
    alpha?: number,
  ): void;
  /** The fused ops' epilogue in place: bias (channels, 1 or 0 values) and a {@link Unary} activation (−1: none). */
  epilogue(
    y: Float32Array,
    channels: number,
    bias: Float32Array,
    activation: number,
    alpha: number,
  ): void;
  conv2dBackpropInput(
    dy: Float32Array,
    filter: Float32Array,
    dx: Float32Array,
    dims: Int32Array,
  ): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, dims: Int32Array): void;
  unary(op: Unary, x: Float32Array, y: Float32Array, alpha: number, beta: number): void;
  binarySame(op: Binary, a: Float32Array, b: Float32Array, out: Float32Array): void;
  binaryScalar(
    op: Binary,
    a: Float32Array,
    value: number,
    out: Float32Array,
    scalarFirst: boolean,
  ): void;
  binary(
    op: Binary,
    a: Float32Array,
    aShape: Int32Array,
    b: Float32Array,
    bShape: Int32Array,
    out: Float32Array,
    outShape: Int32Array,
  ): void;
  compareSame(op: Compare, a: Float32Array, b: Float32Array, out: Uint8Array): void;
  compareScalar(
    op: Compare,
    a: Float32Array,
    value: number,
    out: Uint8Array,
    scalarFirst: boolean,
  ): void;
  compare(
    op: Compare,
    a: Float32Array,
    aShape: Int32Array,
    b: Float32Array,
    bShape: Int32Array,
    out: Uint8Array,
    outShape: Int32Array,
  ): void;
  logicalSame(op: Compare, a: Uint8Array, b: Uint8Array, out: Uint8Array): void;
  logical(
    op: Compare,
    a: Uint8Array,
    aShape: Int32Array,
    b: Uint8Array,
    bShape: Int32Array,
    out: Uint8Array,
    outShape: Int32Array,
  ): void;
  logicalNot(x: Uint8Array, out: Uint8Array): void;
  /** out = cond ? t : e, one condition per `inner` elements. */
  select(
    cond: Uint8Array,
    t: Float32Array,
    e: Float32Array,
    out: Float32Array,
    inner: number,
  ): void;
  grad(op: Grad, dy: Float32Array, v: Float32Array, out: Float32Array, alpha: number): void;
  /** op 0 sum (÷ divisor), 1 max, 2 min over the axes where outShape is 1. */
  reduce(
    op: 0 | 1 | 2,
    x: Float32Array,
    xShape: Int32Array,
    outShape: Int32Array,
    out: Float32Array,
    divisor: number,
  ): void;
  tile(x: Float32Array, xShape: Int32Array, reps: Int32Array, out: Float32Array): void;
  transpose(x: Float32Array, xShape: Int32Array, perm: Int32Array, out: Float32Array): void;
  pad(
    x: Float32Array,
    xShape: Int32Array,
    before: Int32Array,
    out: Float32Array,
    outShape: Int32Array,
    value: number,
  ): void;
  slice(
    x: Float32Array,
    xShape: Int32Array,
    begin: Int32Array,
    size: Int32Array,
    out: Float32Array,
  ): void;
  batchNorm(
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    offset: Float32Array,
    scale: Float32Array,
    out: Float32Array,
    epsilon: number,
  ): void;
  adam(
    value: Float32Array,
    m: Float32Array,
    v: Float32Array,
    gradient: Float32Array,
    outValue: Float32Array,
    outM: Float32Array,
    outV: Float32Array,
    beta1: number,
    beta2: number,
    learningRate: number,
    epsilon: number,
    oneMinusAccBeta1: number,
    oneMinusAccBeta2: number,
  ): void;
  setThreads(n: number): number;
  config(): string;
  /** The op codes as the C++ side numbers them (src/native/ops.h; checked against these by a test). */
  opCodes(): Record<string, Record<string, number>>;
}

/** The addon's op codes: `enum class … : int` in src/native/ops.h, number for number. */
export const Unary = {
  relu: 0,
  relu6: 1,
  leakyRelu: 2,
  elu: 3,
  selu: 4,
  sigmoid: 5,
  tanh: 6,
  exp: 7,
  log: 8,
  sqrt: 9,
  rsqrt: 10,
  square: 11,
  abs: 12,
  neg: 13,
  reciprocal: 14,
  softplus: 15,
  step: 16,
  clip: 17,
} as const;
export type Unary = (typeof Unary)[keyof typeof Unary];

export const Binary = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  max: 4,
  min: 5,
  pow: 6,
  squaredDifference: 7,
} as const;
export type Binary = (typeof Binary)[keyof typeof Binary];

export const Compare = {
  greater: 0,
  greaterEqual: 1,
  less: 2,
  lessEqual: 3,
  equal: 4,
  notEqual: 5,
  logicalAnd: 6,
  logicalOr: 7,
} as const;
export type Compare = (typeof Compare)[keyof typeof Compare];

export const Grad = { leakyRelu: 0, relu: 1, tanh: 2, sigmoid: 3 } as const;
export type Grad = (typeof Grad)[keyof typeof Grad];

/** All of them, as `opCodes()` returns them. */
export const OP_CODES = { unary: Unary, binary: Binary, compare: Compare, grad: Grad };
