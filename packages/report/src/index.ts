export {
  CHART_COLOURS,
  type ChartSeries,
  type ChartSpec,
  chartOption,
  formatNumber,
} from './charts/chart-spec';
export { type ChartSize, type MountedChart, mountChart, renderChartSvg } from './charts/render';
export { smoothSeries } from './charts/smoothing';
export {
  type MetricsRecord,
  type ScoreRecord,
  type TrainingChartsOptions,
  trainingCharts,
} from './charts/training-charts';
