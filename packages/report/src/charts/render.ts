import { optionsArg, positiveInteger } from '@gan/core';
import { LineChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import { type ECharts, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { type ChartSpec, chartOption } from './chart-spec';

let registered = false;
/** ECharts' parts registered on first use (not at import: the package has no side effects). */
function register(): void {
  if (registered) return;
  use([LineChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, SVGRenderer]);
  registered = true;
}

export interface ChartSize {
  /** Pixels. Default 640. */
  width?: number;
  /** Pixels. Default 320. */
  height?: number;
}

/**
 * `spec` drawn as an SVG document string, in Node or a page alike: ECharts' server-side
 * rendering needs no DOM, no canvas and no browser.
 */
export function renderChartSvg(spec: ChartSpec, size: ChartSize = {}): string {
  const fn = 'renderChartSvg';
  optionsArg(fn, size, { arg: 'size' });
  const width = positiveInteger(fn, 'size.width', size.width ?? 640);
  const height = positiveInteger(fn, 'size.height', size.height ?? 320);
  register();
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(chartOption(spec, width));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** A chart live in a page (`mountChart`). */
export interface MountedChart {
  /** Redraws with a new spec (new points, say). */
  update(spec: ChartSpec): void;
  /** Follows the element's size. */
  resize(): void;
  dispose(): void;
}

/** `spec` drawn into `element` (which has a size), updatable as training goes on. */
export function mountChart(element: HTMLElement, spec: ChartSpec): MountedChart {
  register();
  const chart: ECharts = init(element, null, { renderer: 'svg' });
  chart.setOption(chartOption(spec, chart.getWidth()));
  return {
    update: (next) => chart.setOption(chartOption(next, chart.getWidth()), { notMerge: true }),
    resize: () => chart.resize(),
    dispose: () => chart.dispose(),
  };
}
