import { type TensorInfo, util } from '@tensorflow/tfjs-core';
import { Unary } from '../addon';

export type Activation = 'linear' | 'relu' | 'relu6' | 'leakyrelu' | 'elu' | 'sigmoid' | 'prelu';

export interface FusedInputs {
  bias?: TensorInfo;
  preluActivationWeights?: TensorInfo;
}
export interface FusedAttrs {
  activation?: Activation;
  leakyreluAlpha?: number;
}

/** tfjs's fused activations → the addon's unary op (−1: none); prelu stays tfjs's. */
const ACTIVATIONS: Record<string, number> = {
  linear: -1,
  relu: Unary.relu,
  relu6: Unary.relu6,
  leakyrelu: Unary.leakyRelu,
  elu: Unary.elu,
  sigmoid: Unary.sigmoid,
};

/**
 * The fused op's epilogue as the addon takes it — the activation's code and the bias's size —
 * or undefined when the combination is not covered (the caller falls back to tfjs's kernel).
 */
export function epilogueOf(
  activation: Activation | undefined,
  bias: TensorInfo | undefined,
  channels: number,
): { code: number; biasSize: number } | undefined {
  const code = ACTIVATIONS[activation ?? 'linear'];
  const biasSize = bias ? util.sizeFromShape(bias.shape) : 0;
  if (code === undefined) return undefined;
  if (bias && (bias.dtype !== 'float32' || (biasSize !== channels && biasSize !== 1)))
    return undefined;
  return { code, biasSize };
}

/** An empty bias, for the addon's calls without one. */
export const NO_BIAS = new Float32Array(0);
