export { type NativeCpuBackend, type NativeCpuSetup, nativeCpuBackend } from './backend';
export { binaryName, platformId, platformPackage, prebuiltPlatforms } from './loader';
export {
  type NativeKernelsOptions,
  type NativeKernelsResult,
  registerNativeKernels,
  unregisterNativeKernels,
} from './register';
