export { testBackend, runOnBackend, type TestBackend } from './backend';
export { expectNoLeaks, expectNoLeaksAsync } from './leaks';
export { expectClose, relativeError, toArray, type CloseOptions, type Numeric } from './close';
export {
  checkGradients,
  gradientNormSquared,
  type GradientCheckOptions,
  type GradientCheckResult,
} from './gradcheck';
export { rawCritic, type RawCritic, type RawCriticLayer } from './critic';
