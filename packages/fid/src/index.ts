export { FeatureStats } from './feature-stats';
export {
  type Features,
  type KidOptions,
  type KidResult,
  kernelInceptionDistance,
  polynomialMmd2,
} from './kid';
