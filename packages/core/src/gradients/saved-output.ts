import { engine, type GradConfig, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';

/**
 * Kernels whose tfjs gradient reads the kernel's own output (`outputsToSave`), with the names of
 * the kernel's inputs (tfjs-core 4.x kernel_names).
 *
 * Why they break under double backprop: the engine saves outputs as clones whose tape node is
 * pushed *before* the kernel's own node, so when the gradient itself is differentiated the tape
 * filter sees the clone as unreachable from x and silently drops every term that flows through
 * y (tanh, sigmoid, exp) or throws "Cannot compute gradient of y=f(x)".
 */
export const SAVED_OUTPUT_KERNELS: Readonly<Record<string, readonly string[]>> = {
  Elu: ['x'],
  Exp: ['x'],
  Sigmoid: ['x'],
  Tanh: ['x'],
  Softmax: ['logits'],
  LogSoftmax: ['logits'],
  Pow: ['a', 'b'],
  Max: ['x'],
  Min: ['x'],
  MaxPool: ['x'],
  MaxPool3D: ['x'],
  LRN: ['x'],
};

/** True while the engine records ops on a tape, i.e. while a gradient is itself being differentiated. */
function tapeIsRecording(): boolean {
  const { gradientDepth, kernelDepth } = engine().state;
  return gradientDepth > 0 && kernelDepth === 0;
}

/**
 * Wraps a tfjs gradient that reads saved outputs: it additionally saves every input, and when the
 * gradient is being recorded for a higher-order derivative it recomputes the outputs from those
 * inputs so the tape connects them to x. First-order backprop keeps tfjs's fast path (the saved
 * output is a correct value; only its tape connection is missing).
 */
export function recomputeSavedOutputs(
  original: GradConfig,
  inputNames: readonly string[],
): GradConfig {
  const { kernelName, gradFunc } = original;
  const originalInputs = original.inputsToSave ?? [];
  const outputsToSave = original.outputsToSave ?? [];
  const inputIndex = originalInputs.map((name) => {
    const i = inputNames.indexOf(name);
    if (i < 0) throw new Error(`@gan/core: ${kernelName} saves unknown input '${name}'`);
    return i;
  });
  return {
    kernelName,
    inputsToSave: [...inputNames],
    outputsToSave,
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
      const inputs = saved.slice(0, inputNames.length);
      let outputs = saved.slice(inputNames.length);
      if (tapeIsRecording()) {
        const named = Object.fromEntries(inputNames.map((name, i) => [name, inputs[i]]));
        const result = engine().runKernel(kernelName, named, attrs) as Tensor | Tensor[];
        const all = Array.isArray(result) ? result : [result];
        outputs = all.filter((_, i) => outputsToSave[i]);
      }
      return gradFunc(dy, [...inputIndex.map((i) => inputs[i]), ...outputs], attrs);
    },
  };
}
