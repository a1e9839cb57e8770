export { binaryName, platformId, platformPackage, prebuiltPlatforms } from './loader';
export {
  type NativeKernelsOptions,
  type NativeKernelsResult,
  registerNativeKernels,
  unregisterNativeKernels,
} from './register';
