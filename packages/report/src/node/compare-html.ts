import { numberArg, optionsArg } from '@gan/core';
import type { ChartSpec } from '../charts/chart-spec';
import { SMOOTHING_RANGE } from '../charts/smoothing';
import { trainingCharts } from '../charts/training-charts';
import { cell, escapeHtml, flatten, gridImage, inlineSvg, page, runFacts } from './html';
import { type RunRecord, scorePoints } from './read-run';

export interface CompareRunsHtmlOptions {
  title?: string;
  /** Smoothing of the per-iteration charts. Default 0.6. */
  smoothing?: number;
}

/**
 * The runs' charts merged: one chart per metric (and per score), one line per run — charts of
 * one series keep their title, the others get one chart per series ('Losses — generatorLoss').
 */
export function compareCharts(runs: readonly RunRecord[], smoothing = 0.6): ChartSpec[] {
  const merged = new Map<string, ChartSpec & { series: ChartSpec['series'][number][] }>();
  for (const run of runs) {
    for (const chart of trainingCharts(run.metrics, scorePoints(run), { smoothing })) {
      for (const s of chart.series) {
        const title = chart.series.length === 1 ? chart.title : `${chart.title} — ${s.name}`;
        const into = merged.get(title) ?? { ...chart, title, series: [] };
        into.series.push({ name: run.name, points: s.points });
        merged.set(title, into);
      }
    }
  }
  return [...merged.values()];
}

/** One column per run: the last value of each score of each score file. */
function lastScores(runs: readonly RunRecord[]): [string, unknown[]][] {
  const rows = new Map<string, unknown[]>();
  runs.forEach((run, i) => {
    for (const { file, points } of run.scores)
      for (const key of ['fid', 'kid', 'precision', 'recall'] as const) {
        const last = [...points].reverse().find((p) => typeof p[key] === 'number');
        if (!last) continue;
        const name = `${file}: ${key.length === 3 ? key.toUpperCase() : key} (last, iteration ${last.iteration})`;
        const values = rows.get(name) ?? new Array(runs.length).fill(undefined);
        values[i] = last[key];
        rows.set(name, values);
      }
  });
  return [...rows.entries()];
}

/**
 * Two or more runs side by side, as one self-contained HTML page: facts and last scores, the
 * options that differ (then those that agree), the latest grids, and every chart with a line
 * per run.
 */
export function compareRunsHtml(
  runs: readonly RunRecord[],
  options: CompareRunsHtmlOptions = {},
): string {
  const fn = 'compareRunsHtml';
  if (!Array.isArray(runs) || runs.length < 2)
    throw new Error(
      `${fn}: runs must be two or more run folders, got ${Array.isArray(runs) ? runs.length : typeof runs}`,
    );
  optionsArg(fn, options);
  const smoothing = numberArg(fn, 'options.smoothing', options.smoothing ?? 0.6, SMOOTHING_RANGE);
  const names = runs.map((r) => r.name);
  const head = `<tr><th></th>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}</tr>`;
  const row = (key: string, values: unknown[], differs = false, exact = false) =>
    `<tr${differs ? ' class="differs"' : ''}><th>${escapeHtml(key)}</th>${values.map((v) => `<td>${cell(v, exact)}</td>`).join('')}</tr>`;

  const facts = runs.map((r) => runFacts(r.run, r.metrics));
  const factRows = facts[0]
    .map(([key], k) => [key, facts.map((f) => f[k][1])] as [string, unknown[]])
    .filter(([, values]) => values.some((v) => v !== undefined));
  const summary = [...factRows, ...lastScores(runs)].map(([k, v]) => row(k, v));

  const configs = runs.map((r) => new Map(flatten(r.config ?? {})));
  const keys = [...new Set(configs.flatMap((c) => [...c.keys()]))].filter(Boolean);
  const same = (k: string) =>
    configs.every((c) => JSON.stringify(c.get(k)) === JSON.stringify(configs[0].get(k)));
  const differing = keys.filter((k) => !same(k));
  const agreeing = keys.filter(same);

  const grids = runs
    .map((r) => {
      const g = r.grids.at(-1);
      if (!g) return `<figure><p class="none">${escapeHtml(r.name)}: no grids</p></figure>`;
      const link = () => {
        throw new Error(`${fn}: ${r.dir}/${g.raw ?? g.file} is too large to embed`);
      };
      return `<figure>${gridImage(r, g, link, 384)}<figcaption>${escapeHtml(r.name)}, ${escapeHtml(g.caption)}</figcaption></figure>`;
    })
    .join('');
  const charts = compareCharts(runs, smoothing).map(inlineSvg);
  const title = options.title ?? `Runs compared: ${names.join(', ')}`;
  const body = `<h1>${escapeHtml(title)}</h1>
<p class="muted">${runs.map((r) => escapeHtml(r.dir)).join(' · ')} · written ${new Date().toISOString()} by @gan/report</p>
<h2>Summary</h2><table class="scores">${head}${summary.join('')}</table>
<h2>Configuration</h2>${
    keys.length
      ? `<p class="muted">${differing.length} of ${keys.length} options differ (highlighted)</p><table class="scores">${head}${differing
          .map((k) =>
            row(
              k,
              configs.map((c) => c.get(k)),
              true,
            ),
          )
          .join('')}${agreeing
          .map((k) =>
            row(
              k,
              configs.map((c) => c.get(k)),
            ),
          )
          .join('')}</table>`
      : '<p class="none">no config.json in these runs</p>'
  }
<h2>Latest samples</h2><div class="row">${grids}</div>
<h2>Charts</h2>${charts.length ? `<div class="charts">${charts.join('')}</div>` : '<p class="none">no metrics</p>'}`;
  return page(title, body);
}
