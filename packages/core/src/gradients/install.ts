import {
  type GradConfig,
  getGradient,
  registerGradient,
  unregisterGradient,
} from '@tensorflow/tfjs-core';
import { FUSED_GRADIENTS } from './fused';
import { MISSING_GRADIENTS } from './missing-gradients';
import { resizeBilinearGradient } from './resize-bilinear';
import { recomputeSavedOutputs, SAVED_OUTPUT_KERNELS } from './saved-output';
import { tfjsGradientConfigs } from './tfjs-gradient-configs';

/** Marks configs registered by @gan/core, so that a re-install after tfjs re-registers its own is detected. */
const FIXED = Symbol.for('@gan/core/gradient-fix');
type MarkedConfig = GradConfig & { [FIXED]?: true };

/**
 * What was in the registry before our first install, restored by {@link uninstallGradientFixes}.
 * Global like tfjs's own registries, so that copies of @gan/core (ESM and CJS builds loaded side
 * by side) share it.
 */
const REPLACED = Symbol.for('@gan/core/replaced-gradients');
const registryHost = globalThis as { [REPLACED]?: Map<string, GradConfig | undefined> };
registryHost[REPLACED] ??= new Map();
const replaced = registryHost[REPLACED];

export interface GradientFixReport {
  /** tfjs-core's own gradients that were missing (bare tfjs-core registers none) and are now registered. */
  registeredTfjsGradients: number;
  /** Kernels whose gradient @gan/core (re)registered in this call; empty when already installed. */
  fixed: string[];
}

function isFixed(kernelName: string): boolean {
  return (getGradient(kernelName) as MarkedConfig | undefined)?.[FIXED] === true;
}

function install(config: GradConfig): void {
  if (!replaced.has(config.kernelName))
    replaced.set(config.kernelName, getGradient(config.kernelName));
  registerGradient(Object.assign({}, config, { [FIXED]: true as const }));
}

/**
 * Makes tfjs gradients correct to second order (gradient penalty, R1). Idempotent and cheap to
 * call again; every @gan/* function that differentiates a gradient calls it.
 *
 * 1. Registers tfjs-core's own gradients where missing (bare `@tensorflow/tfjs-core` has none).
 * 2. Gradients that reuse their output (tanh, sigmoid, exp, elu, softmax, pow, max, …) recompute
 *    it from the inputs when they are themselves differentiated, so no term is dropped.
 * 3. Adds the gradients tfjs lacks: zero for comparisons (fixes "gradient function not found for
 *    Greater" in leakyRelu/selu/prelu), and the adjoints of EluGrad, AvgPoolGrad and
 *    Conv2DBackpropFilter.
 * 4. Replaces resizeBilinear's gradient, which tfjs computes wrongly with halfPixelCenters, by an
 *    exact one that is differentiable again.
 * 5. leakyRelu's, relu's, tanh's and sigmoid's gradients run a backend's fused gradient kernel when
 *    it has one ({@link FUSED_GRADIENT_KERNELS}: one pass instead of three to seven kernels, on
 *    @gan/native-cpu), tfjs's composite otherwise.
 */
export function installGradientFixes(): GradientFixReport {
  let registeredTfjsGradients = 0;
  for (const config of tfjsGradientConfigs) {
    if (getGradient(config.kernelName) == null) {
      registerGradient(config);
      registeredTfjsGradients++;
    }
  }
  const fixed: string[] = [];
  for (const config of FUSED_GRADIENTS) {
    if (isFixed(config.kernelName)) continue;
    // Tanh and sigmoid read their output: recomputed under a tape, as below.
    const inputNames = SAVED_OUTPUT_KERNELS[config.kernelName];
    install(inputNames ? recomputeSavedOutputs(config, inputNames) : config);
    fixed.push(config.kernelName);
  }
  for (const [kernelName, inputNames] of Object.entries(SAVED_OUTPUT_KERNELS)) {
    const current = getGradient(kernelName);
    if (current == null || isFixed(kernelName)) continue;
    install(recomputeSavedOutputs(current, inputNames));
    fixed.push(kernelName);
  }
  for (const config of [...MISSING_GRADIENTS, resizeBilinearGradient]) {
    if (isFixed(config.kernelName)) continue;
    install(config);
    fixed.push(config.kernelName);
  }
  return { registeredTfjsGradients, fixed };
}

/** Restores the gradients that {@link installGradientFixes} replaced (for comparisons and tests). */
export function uninstallGradientFixes(): void {
  for (const [kernelName, original] of replaced) {
    if (original) registerGradient(original);
    else unregisterGradient(kernelName);
  }
  replaced.clear();
}
