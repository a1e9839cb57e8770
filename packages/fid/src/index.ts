export { FeatureStats } from './feature-stats';
export {
  type FrechetOptions,
  frechetDistance,
  type GaussianStats,
  traceSqrtProduct,
} from './frechet';
export {
  type Features,
  type KidOptions,
  type KidResult,
  kernelInceptionDistance,
  polynomialMmd2,
} from './kid';
