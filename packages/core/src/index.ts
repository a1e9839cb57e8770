export {
  ArgumentError,
  aliasArg,
  argError,
  assertArg,
  booleanArg,
  describe,
  functionArg,
  integerArg,
  nonNegativeInteger,
  numberArg,
  numbersArg,
  oneOf,
  optionsArg,
  positiveInteger,
  positiveNumber,
  probability,
  type Range,
  seedArg,
  type TensorSpec,
  tensorArg,
} from './args';
export {
  type BackendCandidate,
  type BackendCandidateResult,
  type BackendChoice,
  type BackendInfo,
  type BackendName,
  defaultBackendOrder,
  type SetupBackendOptions,
  setupBackend,
} from './backend';
export { type Every, everyArg, isDue } from './every';
export { FUSED_GRADIENT_KERNELS } from './gradients/fused';
export {
  type GradientFixReport,
  installGradientFixes,
  uninstallGradientFixes,
} from './gradients/install';
export { SAVED_OUTPUT_KERNELS } from './gradients/saved-output';
export {
  conv2dBackpropFilterComposite,
  conv2dBackpropFilterKernel,
} from './kernels/conv2d-backprop-filter';
export { installKernelFixes, type KernelFixReport } from './kernels/install';
export {
  type Batch,
  disposeBatch,
  isLabelledBatch,
  type LabelledBatch,
  labelsArg,
  splitBatch,
} from './labels';
export { sampleLatents } from './latents';
export {
  type DecodeModelOptions,
  decodeModelArtifacts,
  encodeModelArtifacts,
  joinModelArtifacts,
  type ModelArtifactsData,
  type ModelFiles,
  parseModelJson,
  type WeightBytes,
} from './model-dir';
export { epochPermutation, SeedStream, type SeedStreamState } from './seed';
