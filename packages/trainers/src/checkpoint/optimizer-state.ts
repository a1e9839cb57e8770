import {
  dispose,
  type Optimizer,
  scalar,
  type Tensor,
  tidy,
  type Variable,
} from '@tensorflow/tfjs-core';

type NamedTensor = { name: string; tensor: Tensor };

/**
 * An optimizer's whole internal state as named tensors, and back — exactly. tfjs's own
 * `getWeights`/`setWeights` leave holes (tfjs-core 4.22):
 * - Adam: `setWeights` recomputes the accumulated powers β₁ᵗ, β₂ᵗ as `pow(β, t + 1)`, rounded
 *   once, while training multiplies them step by step in float32. They differ in the last bit for
 *   most step counts (β₂ = 0.999: 167 of the first 200), and a resumed run then drifts.
 * - Adamax: `getWeights`/`setWeights` throw; its state (moments, a float32 step counter, β₁ᵗ)
 *   lives in private fields.
 * SGD, Momentum, RMSProp (plain, centred, with momentum), Adagrad and Adadelta save everything
 * that shapes their updates; they go through tfjs's methods unchanged. The private fields are
 * saved under names no slot can take (slots are `<variable>/<suffix>`).
 */
const PRIVATE = '@gan/trainers:';

type Slot = { originalName: string; variable: Variable };
interface AdamInternals {
  accBeta1: Variable;
  accBeta2: Variable;
  beta1: number;
  beta2: number;
}
interface AdamaxInternals {
  accBeta1: Variable;
  beta1: number;
  iteration: Variable;
  iterations_: number;
  accumulatedFirstMoment: Slot[];
  accumulatedWeightedInfNorm: Slot[];
}

const slots = (list: Slot[]): NamedTensor[] =>
  list.map((s) => ({ name: s.originalName, tensor: s.variable }));

/**
 * The optimizer's state: tfjs's weights (`iter` first) plus its private fields. Tensors that are
 * the optimizer's own variables are shared, not copied: the caller disposes only the others.
 */
export async function optimizerWeights(optimizer: Optimizer): Promise<NamedTensor[]> {
  const className = optimizer.getClassName();
  if (className === 'Adamax') {
    const o = optimizer as unknown as AdamaxInternals;
    return [
      { name: 'iter', tensor: scalar(optimizer.iterations, 'int32') },
      ...slots(o.accumulatedFirstMoment),
      ...slots(o.accumulatedWeightedInfNorm),
      { name: `${PRIVATE}iteration`, tensor: o.iteration },
      { name: `${PRIVATE}accBeta1`, tensor: o.accBeta1 },
    ];
  }
  const weights = await optimizer.getWeights();
  if (className !== 'Adam') return weights;
  const o = optimizer as unknown as AdamInternals;
  return [
    ...weights,
    { name: `${PRIVATE}accBeta1`, tensor: o.accBeta1 },
    { name: `${PRIVATE}accBeta2`, tensor: o.accBeta2 },
  ];
}

/**
 * βᵗ⁺¹ as Adam and Adamax accumulate it — a float32 product rounded at every step — for
 * checkpoints written before the accumulated powers were saved.
 */
function accumulatedPower(beta: number, iterations: number): number {
  const b = Math.fround(beta);
  let power = b;
  for (let i = 0; i < iterations; i++) power = Math.fround(power * b);
  return power;
}

/**
 * Writes a state from {@link optimizerWeights} into a fresh optimizer of the same class and
 * config. The caller keeps (and disposes) `values`.
 */
export async function setOptimizerWeights(
  optimizer: Optimizer,
  values: NamedTensor[],
): Promise<void> {
  const extra = new Map(
    values
      .filter((v) => v.name.startsWith(PRIVATE))
      .map((v) => [v.name.slice(PRIVATE.length), v.tensor]),
  );
  const own = values.filter((v) => !v.name.startsWith(PRIVATE));
  const className = optimizer.getClassName();
  if (className === 'Adamax') {
    const o = optimizer as unknown as AdamaxInternals;
    const [iter, ...rest] = own;
    o.iterations_ = iter ? (await iter.tensor.data())[0] : 0;
    const half = rest.length / 2;
    const toSlot = (v: NamedTensor): Slot => ({
      originalName: v.name,
      variable: v.tensor.variable(false),
    });
    dispose([...o.accumulatedFirstMoment, ...o.accumulatedWeightedInfNorm].map((s) => s.variable));
    o.accumulatedFirstMoment = rest.slice(0, half).map(toSlot);
    o.accumulatedWeightedInfNorm = rest.slice(half).map(toSlot);
    assign(o.iteration, extra.get('iteration') ?? o.iterations_);
    assign(o.accBeta1, extra.get('accBeta1') ?? accumulatedPower(o.beta1, o.iterations_));
    return;
  }
  if (own.length > 0) await optimizer.setWeights(own);
  if (className === 'Adam') {
    const o = optimizer as unknown as AdamInternals;
    const iterations = optimizer.iterations;
    assign(o.accBeta1, extra.get('accBeta1') ?? accumulatedPower(o.beta1, iterations));
    assign(o.accBeta2, extra.get('accBeta2') ?? accumulatedPower(o.beta2, iterations));
  }
}

function assign(variable: Variable, value: Tensor | number): void {
  tidy(() => variable.assign(typeof value === 'number' ? scalar(value) : value));
}
