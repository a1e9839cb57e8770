export {
  setupBackend,
  defaultBackendOrder,
  type BackendChoice,
  type BackendInfo,
  type SetupBackendOptions,
} from './backend';
export {
  installGradientFixes,
  uninstallGradientFixes,
  type GradientFixReport,
} from './gradients/install';
export { SAVED_OUTPUT_KERNELS } from './gradients/saved-output';
export { installKernelFixes, type KernelFixReport } from './kernels/install';
export { conv2dBackpropFilterComposite, conv2dBackpropFilterKernel } from './kernels/conv2d-backprop-filter';
export { SeedStream, type SeedStreamState } from './seed';
