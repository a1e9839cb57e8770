export {
  type Classifier,
  type ClassifierAccuracy,
  type ClassifierAccuracyOptions,
  classifierAccuracy,
  ganTest,
  type IntraClassFidOptions,
  type IntraClassFidResult,
  intraClassFid,
  type LabelledImages,
} from './conditional';
export {
  type EvaluatedTrainer,
  type FidEvaluator,
  type FidEvaluatorOptions,
  fidEvaluator,
  type ScorePoint,
} from './evaluator';
export {
  DEFAULT_BATCH_SIZE,
  type ExtractOptions,
  type ExtractResult,
  extractFeatures,
  type FeatureResize,
  type ImageSource,
  RESIZE_POLICY,
  type ResizeMethod,
} from './extract';
export { type FeatureExtractor, scoreLabel } from './extractor';
export { FeatureStats } from './feature-stats';
export type { Features } from './features';
export {
  type FrechetOptions,
  frechetDistance,
  type GaussianStats,
} from './frechet';
export { type InceptionV3Options, inceptionV3Parameters, loadInceptionV3 } from './inception-v3';
export {
  type KidOptions,
  type KidResult,
  kernelInceptionDistance,
  polynomialMmd2,
} from './kid';
export { traceSqrtProduct } from './linalg';
export { type NpyArray, readNpy, readNpzStats, writeNpy, writeNpzStats } from './npz';
export { nsfwjsInceptionV3 } from './nsfwjs-extractor';
export { type PixelExtractorOptions, pixelExtractor } from './pixel-extractor';
export {
  type PrecisionRecallOptions,
  type PrecisionRecallResult,
  precisionRecall,
} from './precision-recall';
export { type RandomConvExtractorOptions, randomConvExtractor } from './random-conv-extractor';
export { simdAvailable } from './wasm/runtime';
