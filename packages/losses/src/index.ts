export { type AcganLossOptions, acganDiscriminatorLoss, acganGeneratorLoss } from './acgan';
export {
  type Critic,
  type DraganPenaltyOptions,
  draganPenalty,
  type GradientPenaltyOptions,
  gradientPenalty,
  type R1PenaltyOptions,
  r1Penalty,
  r2Penalty,
} from './gradient-penalty';
export { hingeDiscriminatorLoss, hingeGeneratorLoss } from './hinge';
export {
  type LeastSquaresDiscriminatorLossOptions,
  type LeastSquaresGeneratorLossOptions,
  leastSquaresDiscriminatorLoss,
  leastSquaresGeneratorLoss,
} from './least-squares';
export {
  bceWithLogits,
  type MinimaxDiscriminatorLossOptions,
  minimaxDiscriminatorLoss,
  minimaxGeneratorLoss,
  type NonSaturatingGeneratorLossOptions,
  nonSaturatingGeneratorLoss,
} from './minimax';
export type { DiscriminatorLossOptions, LossOptions, Reduced, Reduction, Weights } from './reduce';
export {
  relativisticAverageDiscriminatorLoss,
  relativisticAverageGeneratorLoss,
} from './relativistic';
export { wassersteinDiscriminatorLoss, wassersteinGeneratorLoss } from './wasserstein';
export { type ClippableWeights, weightClipping } from './weight-clipping';
