import { expectArgError } from '@gan/test-utils';
import { describe, expect, it } from 'vitest';
import { trainingCharts } from './training-charts';

const metrics = Array.from({ length: 10 }, (_, i) => ({
  iteration: (i + 1) * 5,
  epoch: Math.floor(i / 4),
  discriminatorLoss: -1 + i / 10,
  generatorLoss: 0.5 - i / 20,
  wasserstein: 1 - i / 10,
  penalty: 0.01,
  imagesPerSecond: 100 + i,
}));

describe('trainingCharts', () => {
  it('one chart per kind of metric there is data for, smoothed where per-iteration', () => {
    const charts = trainingCharts(metrics, [], { smoothing: 0.3 });
    expect(charts.map((c) => c.title)).toEqual([
      'Losses',
      "Critic's Wasserstein estimate",
      'Gradient penalty',
      'Throughput',
    ]);
    expect(charts[0].series.map((s) => s.name)).toEqual(['discriminatorLoss', 'generatorLoss']);
    expect(charts[0].series[0].points[2]).toEqual([15, -0.8]);
    expect(charts.every((c) => c.smoothing === 0.3)).toBe(true);
  });

  it('gradient norms and ADA’s p and r when the run has them (p and r unsmoothed)', () => {
    const rows = metrics.map((m) => ({
      ...m,
      discriminatorGradientNorm: 2,
      augmentP: 0.1,
      augmentR: 0.6,
    }));
    const charts = trainingCharts(rows);
    expect(charts.find((c) => c.title === 'Gradient norms')?.series.map((s) => s.name)).toEqual([
      'discriminatorGradientNorm',
    ]);
    expect(charts.find((c) => c.title === 'Adaptive augmentation')?.smoothing).toBe(0);
  });

  it('scores: FID, KID, precision/recall per feature network, the label as subtitle', () => {
    const scores = [
      { iteration: 0, kid: 2, extractor: 'pixels', label: 'KID-like (pixels)' },
      { iteration: 50, kid: 0.5, extractor: 'pixels', label: 'KID-like (pixels)' },
      {
        iteration: 0,
        fid: 300,
        kid: 0.3,
        precision: 0.1,
        recall: 0.2,
        extractor: 'inception',
        label: 'FID-like',
      },
      {
        iteration: 50,
        fid: 100,
        kid: 0.1,
        precision: 0.6,
        recall: 0.4,
        extractor: 'inception',
        label: 'FID-like',
      },
    ];
    const charts = trainingCharts([], scores);
    expect(charts.map((c) => c.title)).toEqual([
      'KID — pixels',
      'FID — inception',
      'KID — inception',
      'Precision and recall — inception',
    ]);
    expect(charts[0].subtitle).toBe('KID-like (pixels)');
    expect(charts[1].series[0].points).toEqual([
      [0, 300],
      [50, 100],
    ]);
    expect(charts[3].series.map((s) => s.name)).toEqual(['precision', 'recall']);
  });

  it('nothing to draw: no charts; bad arguments named', () => {
    expect(trainingCharts([{ iteration: 1 }])).toEqual([]);
    expect(() => trainingCharts('x' as never)).toThrow(/^trainingCharts: metrics/);
    expectArgError(
      () => trainingCharts([], [], { smoothing: 1 }),
      'trainingCharts',
      'options.smoothing',
    );
  });
});
