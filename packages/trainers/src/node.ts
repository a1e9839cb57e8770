export { type MetricsJsonlOptions, metricsJsonl } from './node/callbacks/metrics-jsonl';
export {
  defaultProgressFormat,
  type ProgressLineOptions,
  progressLine,
} from './node/callbacks/progress-line';
export { type SampleGridOptions, sampleGrid } from './node/callbacks/sample-grid';
export { fileCheckpoints } from './node/file-checkpoints';
