import type { EChartsCoreOption } from 'echarts/core';
import { smoothSeries } from './smoothing';

/** One line of a chart: `[x, y]` points (non-finite y values leave a gap). */
export interface ChartSeries {
  name: string;
  points: readonly (readonly [number, number])[];
}

/**
 * A chart as data: what `renderChartSvg` draws in Node and `mountChart` draws live in a page,
 * through the same `chartOption`.
 */
export interface ChartSpec {
  title: string;
  /** A line under the title (what a score is computed on, say). */
  subtitle?: string;
  series: readonly ChartSeries[];
  /** The x axis's name. Default 'iteration'. */
  x?: string;
  /** The y axis's name. */
  y?: string;
  /**
   * TensorBoard-style smoothing weight in [0, 1) (`smoothSeries`): the smoothed line is drawn
   * over the raw one, which stays visible, faint. Default 0 (raw only).
   */
  smoothing?: number;
  /** A logarithmic y axis (every y must be > 0). Default false. */
  logY?: boolean;
}

/** Colour-blind-safe (Okabe & Ito 2008), in the order series get them. */
export const CHART_COLOURS = [
  '#0072b2',
  '#d55e00',
  '#009e73',
  '#cc79a7',
  '#e69f00',
  '#56b4e9',
  '#000000',
  '#f0e442',
];

const finite = (points: ChartSeries['points']) =>
  points.map(([x, y]) => [x, Number.isFinite(y) ? y : null]);

/**
 * The Apache ECharts option of `spec`: title and legend above the plot (never over the data),
 * axes with ticks and names, a light grid, no animation (a rendered file and a live page look the
 * same), a tooltip in pages.
 */
export function chartOption(spec: ChartSpec, width = 640): EChartsCoreOption {
  const smoothing = spec.smoothing ?? 0;
  const series = spec.series.flatMap((s, i) => {
    const color = CHART_COLOURS[i % CHART_COLOURS.length];
    // Markers where points are few (scores), so that a line of two evaluations reads as two.
    const line = { type: 'line', name: s.name, showSymbol: s.points.length <= 40, color };
    if (smoothing === 0) return [{ ...line, data: finite(s.points) }];
    const smooth = smoothSeries(
      s.points.map(([, y]) => y),
      smoothing,
    );
    return [
      // The same name: the legend toggles both lines.
      { ...line, data: finite(s.points), lineStyle: { opacity: 0.25 }, silent: true, z: 1 },
      { ...line, data: finite(s.points.map(([x], k) => [x, smooth[k]])), z: 2 },
    ];
  });
  const subtitle = [spec.subtitle, smoothing ? `smoothed ${smoothing} (faint: raw)` : '']
    .filter(Boolean)
    .join(' · ');
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: 'sans-serif' },
    title: {
      text: spec.title,
      subtext: subtitle,
      left: 8,
      top: 4,
      textStyle: { fontSize: 14 },
      // A long score label is cut, not run past the edge (the report's tables have it whole).
      subtextStyle: { fontSize: 11, width: width - 24, overflow: 'truncate' },
    },
    legend: { top: subtitle ? 46 : 28, left: 8, type: 'scroll', itemHeight: 8 },
    // ECharts 6 keeps tick labels and axis names inside the chart by itself (`grid.outerBounds`).
    grid: { top: subtitle ? 82 : 64, left: spec.y ? 64 : 48, right: 24, bottom: 44 },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => formatNumber(v) },
    xAxis: {
      type: 'value',
      name: spec.x ?? 'iteration',
      nameLocation: 'middle',
      nameGap: 24,
      splitLine: { show: true, lineStyle: { color: '#eeeeee' } },
    },
    yAxis: {
      type: spec.logY ? 'log' : 'value',
      name: spec.y,
      nameLocation: 'middle',
      nameGap: 44,
      scale: true,
      splitLine: { show: true, lineStyle: { color: '#eeeeee' } },
    },
    series,
  };
}

/** 4 significant digits (no trailing zeros), exponent form outside [1e-3, 1e5). */
export function formatNumber(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return String(value ?? '–');
  const rounded = Number(value.toPrecision(4));
  const a = Math.abs(value);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? rounded.toExponential() : rounded.toString();
}
