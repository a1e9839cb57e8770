export { FeatureStats } from './feature-stats';
