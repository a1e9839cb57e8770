import { type TensorInfo, util } from '@tensorflow/tfjs-core';
import { type CpuBackend, values } from './shared';

export type Activation = 'linear' | 'relu' | 'relu6' | 'leakyrelu' | 'elu' | 'sigmoid' | 'prelu';

export interface FusedInputs {
  bias?: TensorInfo;
  preluActivationWeights?: TensorInfo;
}
export interface FusedAttrs {
  activation?: Activation;
  leakyreluAlpha?: number;
}

const activations: Record<string, ((v: number, alpha: number) => number) | null> = {
  linear: null,
  // As tfjs writes them: NaN stays NaN (the NaN guard depends on it).
  relu: (v) => (v < 0 ? 0 : v),
  relu6: (v) => Math.min(Math.max(v, 0), 6),
  leakyrelu: (v, alpha) => (v > 0 ? v : alpha * v),
  elu: (v) => (v > 0 ? v : Math.exp(v) - 1),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
};

/**
 * The fused ops' epilogue (bias over the last axis, then the activation) in place; false when
 * this combination is not covered (the caller falls back to tfjs's kernel).
 */
export function epilogue(
  backend: CpuBackend,
  out: Float32Array,
  channels: number,
  bias: TensorInfo | undefined,
  activation: Activation,
  alpha: number,
): boolean {
  if (!(activation in activations)) return false;
  if (bias) {
    const size = util.sizeFromShape(bias.shape);
    if (bias.dtype !== 'float32' || (size !== channels && size !== 1)) return false;
    const b = values(backend, bias);
    for (let i = 0; i < out.length; i++) out[i] += b[size === 1 ? 0 : i % channels];
  }
  const f = activations[activation];
  if (f) for (let i = 0; i < out.length; i++) out[i] = f(out[i], alpha);
  return true;
}
