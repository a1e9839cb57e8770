import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type ChartSpec, formatNumber } from '../charts/chart-spec';
import { renderChartSvg } from '../charts/render';
import type { GridFile, RunInfo, RunRecord } from './read-run';

/** Text made safe for HTML (element content and quoted attributes). */
export const escapeHtml = (text: unknown) =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const MIME: Record<string, string> = { png: 'image/png', gif: 'image/gif', svg: 'image/svg+xml' };

/**
 * Files up to this size are embedded (data: URLs); larger ones (a long run's progress GIF) are
 * linked, relative to the page, which then needs its folder beside it.
 */
export const EMBED_LIMIT = 2 ** 20;

/**
 * `file` of the run folder as an image source: embedded, so that the page works alone (copied,
 * attached, opened offline), unless larger than `EMBED_LIMIT` — then the path `link` gives.
 */
export function imageSource(run: RunRecord, file: string, link: (file: string) => string): string {
  const path = join(run.dir, file);
  if (statSync(path).size > EMBED_LIMIT) return escapeHtml(link(file));
  const mime = MIME[file.split('.').pop() ?? ''] ?? 'application/octet-stream';
  return `data:${mime};base64,${readFileSync(path).toString('base64')}`;
}

/**
 * A grid as an `<img>`: the 1:1 PNG when there is one, drawn `scale`× with hard pixel edges
 * (smaller to embed than the enlarged PNG, and as sharp).
 */
export function gridImage(
  run: RunRecord,
  grid: GridFile,
  link: (file: string) => string,
  width?: number,
): string {
  const file = grid.raw ?? grid.file;
  const style = width ? ` style="width:${width}px"` : '';
  return `<img class="grid" src="${imageSource(run, file, link)}" alt="${escapeHtml(grid.caption)}"${style}>`;
}

/** A chart as an `<svg>` element to inline in a page (the XML prolog dropped). */
export const inlineSvg = (spec: ChartSpec) => renderChartSvg(spec).replace(/^<\?xml[^>]*>\s*/, '');

/** Up to `max` grids, evenly spaced, always the last (the latest samples). */
export function spaced<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const out = new Set<number>();
  for (let k = 0; k < max; k++) out.add(Math.round((k * (items.length - 1)) / (max - 1)));
  return [...out].map((i) => items[i]);
}

/** "1 h 02 min", "3 min 07 s", "12.5 s". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** A value for a table cell: numbers to 4 significant digits (unless `exact`: options), objects as JSON. */
export function cell(value: unknown, exact = false): string {
  if (typeof value === 'number') return escapeHtml(exact ? String(value) : formatNumber(value));
  if (value === undefined) return '<span class="none">–</span>';
  if (typeof value === 'object' && value !== null)
    return `<code>${escapeHtml(JSON.stringify(value))}</code>`;
  return escapeHtml(value);
}

/** Nested options as dotted keys: `{ a: { b: 1 } }` → `[['a.b', 1]]` (arrays stay whole). */
export function flatten(value: unknown, prefix = ''): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [[prefix, value]];
  const entries = Object.entries(value);
  if (entries.length === 0) return [[prefix, {}]];
  return entries.flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

/** The run's one-line facts: status, iterations, time, backend. */
export function runFacts(
  info: RunInfo | undefined,
  metrics: RunRecord['metrics'],
): [string, unknown][] {
  const last = metrics.at(-1);
  const rates = metrics
    .map((m) => m.imagesPerSecond)
    .filter((v): v is number => typeof v === 'number');
  const median = rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)];
  return [
    ['status', info?.status],
    ['iterations', info?.iteration ?? last?.iteration],
    ['epochs', info?.epoch ?? last?.epoch],
    ['training time', info ? formatSeconds(info.seconds) : undefined],
    ['median images/s', median],
    ['backend', info?.backend],
    ['tfjs', info?.tfjs],
    ['machine', info ? `${info.platform}, ${info.cpus} CPU cores, Node ${info.node}` : undefined],
    ['started', info?.started],
    [
      'resumed',
      info && info.segments.length > 1
        ? info.segments
            .slice(1)
            .map((s) => `at iteration ${s.iteration} (${s.started})`)
            .join('; ')
        : undefined,
    ],
  ];
}

/** A two-column table of `[key, value]` rows (undefined values left out; `exact` numbers for options). */
export function keyValueTable(rows: [string, unknown][], exact = false): string {
  const body = rows
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${cell(v, exact)}</td></tr>`)
    .join('');
  return `<table class="kv">${body}</table>`;
}

/** The page around `body`: one file, its styles inline, no script, nothing fetched. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="@gan/report">
<title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; padding: 16px 24px 48px; max-width: 1400px; color: #222; }
h1 { font-size: 22px; margin: 8px 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
nav a { margin-right: 14px; } .muted, .none { color: #888; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 3px 10px 3px 0; vertical-align: top; }
table.kv th { font-weight: 600; white-space: nowrap; } table.scores td, table.scores th { padding-right: 18px; }
table.scores td { font-variant-numeric: tabular-nums; } tr.differs { background: #fff4d6; }
code { font-size: 12px; }
img.grid { image-rendering: pixelated; width: 512px; max-width: 100%; border: 1px solid #ddd; }
figure { display: inline-block; margin: 0 16px 16px 0; vertical-align: top; } figcaption { color: #555; font-size: 13px; }
.strip figure { margin-right: 8px; } .strip img.grid { width: 200px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(640px, 1fr)); gap: 12px; }
.charts svg { max-width: 100%; height: auto; border: 1px solid #eee; }
.row { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; } .row figure { margin: 0; } .row img.grid { width: 420px; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}
