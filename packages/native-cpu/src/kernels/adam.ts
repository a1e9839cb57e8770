import {
  AdamOptimizer,
  engine,
  getBackend,
  mul,
  type NamedTensorMap,
  type Tensor,
  tensor,
  tidy,
  type Variable,
  zerosLike,
} from '@tensorflow/tfjs-core';
import type { Addon } from '../addon';

type NamedTensor = { name: string; tensor: Tensor };
type Gradients = Parameters<AdamOptimizer['applyGradients']>[0];

import { type CpuBackend, floatsOut, values } from './shared';

type Slot = { originalName: string; variable: Variable };
interface AdamInternals {
  accBeta1: Variable;
  accBeta2: Variable;
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
  incrementIterations(): void;
}

let original: AdamOptimizer['applyGradients'] | undefined;

/**
 * Adam's update in one native pass per variable on the cpu backend, instead of tfjs's thirteen
 * kernels: `AdamOptimizer.prototype.applyGradients` does what tfjs's does — the same slots (named
 * and created lazily alike), the same float32 arithmetic in the same order, so the same bits —
 * whenever the active backend is cpu; elsewhere it is tfjs's own. {@link uninstallFusedAdam}
 * puts tfjs's back.
 */
export function installFusedAdam(addon: Addon): void {
  if (original) return;
  const tfjs = AdamOptimizer.prototype.applyGradients;
  original = tfjs;
  AdamOptimizer.prototype.applyGradients = function (
    this: AdamOptimizer,
    variableGradients: Gradients,
  ): void {
    if (getBackend() !== 'cpu') {
      tfjs.call(this, variableGradients);
      return;
    }
    const self = this as unknown as AdamInternals;
    const list = Array.isArray(variableGradients);
    const names = list
      ? (variableGradients as NamedTensor[]).map((v) => v.name)
      : Object.keys(variableGradients);
    const gradientOf = (name: string, i: number): Tensor | undefined =>
      list
        ? (variableGradients as NamedTensor[])[i].tensor
        : (variableGradients as NamedTensorMap)[name];
    const variables = engine().registeredVariables;
    if (
      names.some(
        (name, i) =>
          variables[name]?.dtype !== 'float32' ||
          (gradientOf(name, i) ?? { dtype: 'float32' }).dtype !== 'float32',
      )
    ) {
      tfjs.call(this, variableGradients);
      return;
    }
    const backend = engine().backend as unknown as CpuBackend;
    const read = (t: Tensor) => values(backend, t);
    tidy(() => {
      // tfjs: sub(1, accBeta) — a float32 subtraction.
      const c1 = Math.fround(1 - read(self.accBeta1)[0]);
      const c2 = Math.fround(1 - read(self.accBeta2)[0]);
      names.forEach((name, i) => {
        const value = variables[name];
        self.accumulatedFirstMoment[i] ??= {
          originalName: `${name}/m`,
          variable: tidy(() => zerosLike(value).variable(false)),
        };
        self.accumulatedSecondMoment[i] ??= {
          originalName: `${name}/v`,
          variable: tidy(() => zerosLike(value).variable(false)),
        };
        const gradient = gradientOf(name, i);
        if (gradient == null) return;
        const m = self.accumulatedFirstMoment[i].variable;
        const v = self.accumulatedSecondMoment[i].variable;
        const n = read(value).length;
        const [outValue, outM, outV] = [floatsOut(n), floatsOut(n), floatsOut(n)];
        addon.adam(
          read(value),
          read(m),
          read(v),
          read(gradient),
          outValue,
          outM,
          outV,
          self.beta1,
          self.beta2,
          self.learningRate,
          self.epsilon,
          c1,
          c2,
        );
        m.assign(tensor(outM, value.shape, 'float32'));
        v.assign(tensor(outV, value.shape, 'float32'));
        value.assign(tensor(outValue, value.shape, 'float32'));
      });
      self.accBeta1.assign(mul(self.accBeta1, self.beta1));
      self.accBeta2.assign(mul(self.accBeta2, self.beta2));
    });
    self.incrementIterations();
  };
}

export function uninstallFusedAdam(): void {
  if (!original) return;
  AdamOptimizer.prototype.applyGradients = original;
  original = undefined;
}
