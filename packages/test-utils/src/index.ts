export { expectArgError, expectArgErrorAsync } from './args';
export { runOnBackend, type TestBackend, testBackend } from './backend';
export { type CloseOptions, expectClose, type Numeric, relativeError, toArray } from './close';
export { type RawCritic, type RawCriticLayer, rawCritic } from './critic';
export {
  checkGradients,
  type GradientCheckOptions,
  type GradientCheckResult,
  gradientNormSquared,
} from './gradcheck';
export { expectSamePredictions, forwardBackward, saveAndLoad } from './layers-io';
export { expectNoLeaks, expectNoLeaksAsync } from './leaks';
export { type MlpGanOptions, mlpGan } from './tiny-gan';
