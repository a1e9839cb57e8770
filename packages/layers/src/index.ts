export { applyConstraints } from './apply-constraints';
export { ClassProjection, type ClassProjectionArgs, classProjection } from './class-projection';
export { ClipConstraint, type ClipConstraintArgs, clipConstraint } from './clip-constraint';
export {
  ConditionalBatchNormalization,
  type ConditionalBatchNormalizationArgs,
  conditionalBatchNormalization,
} from './conditional-batch-normalization';
export {
  InstanceNormalization,
  type InstanceNormalizationArgs,
  instanceNormalization,
  instanceNormalize,
} from './instance-normalization';
export type { Initializer, InitializerLike } from './internal';
export {
  MinibatchDiscrimination,
  type MinibatchDiscriminationArgs,
  minibatchDiscrimination,
  minibatchFeatures,
} from './minibatch-discrimination';
export {
  MinibatchStdDev,
  type MinibatchStdDevArgs,
  minibatchStdDev,
  minibatchStdDevFeatures,
} from './minibatch-stddev';
export {
  PixelNormalization,
  type PixelNormalizationArgs,
  pixelNormalization,
  pixelNormalize,
} from './pixel-normalization';
export {
  SpectralNormalization,
  type SpectralNormalizationArgs,
  type SpectralNormResult,
  spectralNormalization,
  spectralNormalize,
} from './spectral-normalization';
