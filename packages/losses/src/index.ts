export type { DiscriminatorLossOptions, LossOptions, Reduced, Reduction, Weights } from './reduce';
export {
  bceWithLogits,
  minimaxDiscriminatorLoss,
  minimaxGeneratorLoss,
  nonSaturatingGeneratorLoss,
  type MinimaxDiscriminatorLossOptions,
  type NonSaturatingGeneratorLossOptions,
} from './minimax';
export { wassersteinDiscriminatorLoss, wassersteinGeneratorLoss } from './wasserstein';
export { hingeDiscriminatorLoss, hingeGeneratorLoss } from './hinge';
export {
  leastSquaresDiscriminatorLoss,
  leastSquaresGeneratorLoss,
  type LeastSquaresDiscriminatorLossOptions,
  type LeastSquaresGeneratorLossOptions,
} from './least-squares';
export { relativisticAverageDiscriminatorLoss, relativisticAverageGeneratorLoss } from './relativistic';
export {
  gradientPenalty,
  r1Penalty,
  r2Penalty,
  draganPenalty,
  type Critic,
  type GradientPenaltyOptions,
  type R1PenaltyOptions,
  type DraganPenaltyOptions,
} from './gradient-penalty';
export { weightClipping, type ClippableWeights } from './weight-clipping';
