import { numberArg, optionsArg } from '@gan/core';
import type { ChartSeries, ChartSpec } from './chart-spec';
import { SMOOTHING_RANGE } from './smoothing';

/** A metrics line (`StepMetrics` from @gan/trainers, or one line of `metrics.jsonl`). */
export interface MetricsRecord {
  iteration: number;
  epoch?: number;
  imagesPerSecond?: number;
}

/** A score line (`ScorePoint` from @gan/fid's `fidEvaluator`, or one line of its JSONL file). */
export interface ScoreRecord {
  iteration: number;
  fid?: number;
  kid?: number;
  kidStd?: number;
  precision?: number;
  recall?: number;
  /** The feature network: one chart per network and score. */
  extractor?: string;
  /** What the score is (and is not comparable to): the chart's subtitle. */
  label?: string;
}

export interface TrainingChartsOptions {
  /** Smoothing weight of the per-iteration charts (`smoothSeries`). Default 0.6. */
  smoothing?: number;
}

/** The metrics charts: title, y axis, and the `StepMetrics` keys drawn. */
const METRIC_CHARTS: { title: string; y?: string; keys: string[]; smooth: boolean }[] = [
  {
    title: 'Losses',
    keys: [
      'discriminatorLoss',
      'generatorLoss',
      'discriminatorAuxiliaryLoss',
      'generatorAuxiliaryLoss',
    ],
    smooth: true,
  },
  {
    title: "Critic's Wasserstein estimate",
    y: 'D(x) − D(G(z))',
    keys: ['wasserstein'],
    smooth: true,
  },
  { title: 'Gradient penalty', keys: ['penalty'], smooth: true },
  {
    title: 'Gradient norms',
    y: 'global L2 norm',
    keys: ['discriminatorGradientNorm', 'generatorGradientNorm'],
    smooth: true,
  },
  { title: 'Adaptive augmentation', keys: ['augmentP', 'augmentR'], smooth: false },
  { title: 'Throughput', y: 'real images / s', keys: ['imagesPerSecond'], smooth: true },
];

const SCORES = [
  { key: 'fid', title: 'FID' },
  { key: 'kid', title: 'KID' },
  { key: 'precision', title: 'Precision and recall' },
] as const;

function seriesOf(rows: readonly { iteration: number }[], key: string): ChartSeries {
  const points = rows
    .map((r) => [r.iteration, (r as Record<string, unknown>)[key]] as const)
    .filter((p): p is readonly [number, number] => typeof p[1] === 'number');
  return { name: key, points };
}

const hasPoints = (s: ChartSeries) => s.points.some(([, y]) => Number.isFinite(y));

/**
 * The charts of a run: losses (smoothed, raw faint), the critic's Wasserstein estimate, the
 * gradient penalty, gradient norms, adaptive augmentation's p and r, images/s — then FID, KID
 * (and precision/recall) for each feature network in `scores`. Charts without data are left out.
 */
export function trainingCharts(
  metrics: readonly MetricsRecord[],
  scores: readonly ScoreRecord[] = [],
  options: TrainingChartsOptions = {},
): ChartSpec[] {
  const fn = 'trainingCharts';
  if (!Array.isArray(metrics)) throw new TypeError(`${fn}: metrics must be an array of records`);
  if (!Array.isArray(scores)) throw new TypeError(`${fn}: scores must be an array of records`);
  optionsArg(fn, options);
  const smoothing = numberArg(fn, 'options.smoothing', options.smoothing ?? 0.6, SMOOTHING_RANGE);
  const charts: ChartSpec[] = [];
  for (const c of METRIC_CHARTS) {
    const series = c.keys.map((k) => seriesOf(metrics, k)).filter(hasPoints);
    if (series.length)
      charts.push({ title: c.title, y: c.y, series, smoothing: c.smooth ? smoothing : 0 });
  }
  const extractors = [...new Set(scores.map((s) => s.extractor ?? ''))];
  for (const extractor of extractors) {
    const rows = scores.filter((s) => (s.extractor ?? '') === extractor);
    for (const score of SCORES) {
      const keys = score.key === 'precision' ? ['precision', 'recall'] : [score.key];
      const series = keys.map((k) => seriesOf(rows, k)).filter(hasPoints);
      if (!series.length) continue;
      const label = [...rows].reverse().find((r) => r[score.key] != null)?.label;
      charts.push({
        title: extractor ? `${score.title} — ${extractor}` : score.title,
        subtitle: label,
        series,
      });
    }
  }
  return charts;
}
