import { argError, numberArg, optionsArg, positiveInteger } from '@gan/core';
import { SMOOTHING_RANGE } from '../charts/smoothing';
import {
  type ScoreRecord,
  type TrainingChartsOptions,
  trainingCharts,
} from '../charts/training-charts';
import {
  cell,
  escapeHtml,
  flatten,
  gridImage,
  imageSource,
  inlineSvg,
  keyValueTable,
  page,
  runFacts,
  spaced,
} from './html';
import { type RunRecord, scorePoints } from './read-run';

export interface RunReportHtmlOptions extends TrainingChartsOptions {
  /** The page's heading. Default: the run folder's name. */
  title?: string;
  /** Grids in the per-epoch strip (evenly spaced, the latest last). Default 12. */
  strip?: number;
}

/** The options checked, defaults filled in (for `runReport` too, before training). */
export function reportHtmlOptions(fn: string, options: RunReportHtmlOptions) {
  optionsArg(fn, options);
  if (options.title !== undefined && typeof options.title !== 'string')
    argError(fn, 'options.title', 'a string', options.title);
  return {
    strip: positiveInteger(fn, 'options.strip', options.strip ?? 12),
    smoothing: numberArg(fn, 'options.smoothing', options.smoothing ?? 0.6, SMOOTHING_RANGE),
  };
}

const SCORE_COLUMNS = ['fid', 'kid', 'kidStd', 'precision', 'recall'] as const;

/** A score file as a table: every evaluation (or 20 evenly spaced, first and last kept). */
export function scoreTable(file: string, points: readonly ScoreRecord[]): string {
  const columns = SCORE_COLUMNS.filter((k) => points.some((p) => typeof p[k] === 'number'));
  const rows = spaced(points, 20);
  const head = ['iteration', 'epoch', ...columns].map(
    (c) =>
      `<th>${escapeHtml(c === 'kidStd' ? 'KID std' : c.length <= 3 ? c.toUpperCase() : c)}</th>`,
  );
  const body = rows.map((p) => {
    const r = p as ScoreRecord & Record<string, unknown>;
    return `<tr>${[r.iteration, r.epoch, ...columns.map((c) => r[c])].map((v) => `<td>${cell(v)}</td>`).join('')}</tr>`;
  });
  const label = points.at(-1)?.label;
  const note =
    rows.length < points.length ? ` (${rows.length} of ${points.length} evaluations)` : '';
  return `<h3>${escapeHtml(file)}${escapeHtml(note)}</h3>${label ? `<p class="muted">${escapeHtml(label)}</p>` : ''}
<table class="scores"><tr>${head.join('')}</tr>${body.join('')}</table>`;
}

/**
 * One run as a self-contained HTML page: what the run is (status, time, backend), the latest
 * samples beside real images, the progress GIF and a strip of grids over training, score tables,
 * the charts (SVG, inline), and the configuration. Images are embedded; nothing is fetched.
 */
export function runReportHtml(run: RunRecord, options: RunReportHtmlOptions = {}): string {
  const { strip, smoothing } = reportHtmlOptions('runReportHtml', options);
  const title = options.title ?? run.name;
  const link = (file: string) => file; // the page lives in the run folder
  const latest = run.grids.at(-1);
  const samples = [
    latest &&
      `<figure>${gridImage(run, latest, link)}<figcaption>samples, ${escapeHtml(latest.caption)} (fixed latents)</figcaption></figure>`,
    run.real &&
      `<figure>${gridImage(run, run.real, link)}<figcaption>real images</figcaption></figure>`,
    run.gif &&
      `<figure><img class="grid" src="${imageSource(run, run.gif, link)}" alt="progress"><figcaption>every grid, in order (${escapeHtml(run.gif)})</figcaption></figure>`,
  ].filter(Boolean);
  const over = spaced(run.grids, strip)
    .map(
      (g) =>
        `<figure>${gridImage(run, g, link)}<figcaption>${escapeHtml(g.caption)}</figcaption></figure>`,
    )
    .join('');
  const charts = trainingCharts(run.metrics, scorePoints(run), { smoothing }).map(inlineSvg);
  const config = run.config ? flatten(run.config) : [];
  const summaries = run.summaries.map(
    (s) => `<h3>${escapeHtml(s.file)}</h3>${keyValueTable(flatten(s.value))}`,
  );
  const sections = [
    `<h1>${escapeHtml(title)}</h1>
<p class="muted">${escapeHtml(run.dir)} · written ${escapeHtml(run.run?.updated ?? new Date().toISOString())} by @gan/report</p>
<nav><a href="#samples">samples</a><a href="#scores">scores</a><a href="#charts">charts</a><a href="#config">configuration</a></nav>
${keyValueTable(runFacts(run.run, run.metrics))}`,
    `<h2 id="samples">Samples</h2>${samples.length ? `<div class="row">${samples.join('')}</div>` : '<p class="none">no sample grids yet</p>'}
${over && run.grids.length > 1 ? `<h3>Over training</h3><div class="strip">${over}</div>` : ''}`,
    `<h2 id="scores">Scores</h2>${run.scores.length ? run.scores.map((s) => scoreTable(s.file, s.points)).join('') : '<p class="none">no scores yet</p>'}${summaries.join('')}`,
    `<h2 id="charts">Charts</h2>${charts.length ? `<div class="charts">${charts.join('')}</div>` : '<p class="none">no metrics yet</p>'}`,
    `<h2 id="config">Configuration</h2>${config.length ? `<p class="muted">config.json: repeat the run with exactly these options.</p>${keyValueTable(config, true)}` : '<p class="none">no config.json</p>'}`,
  ];
  return page(`${title} — GAN run`, sections.join('\n'));
}
