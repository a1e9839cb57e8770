/**
 * A small SVG line chart of metrics against iterations (the critic's Wasserstein estimate and
 * both losses, say): `rows` are {@link StepMetrics}-like records, `keys` the series to draw.
 * @deprecated Hand-drawn: no ticks, no smoothing, the legend over the data. Use `@gan/report`:
 * `renderChartSvg(trainingCharts(rows)[0])` in Node, `mountChart` in a page, and its
 * `runReport` callback for a whole run.
 */
export function lossChart(
  rows: { iteration: number; [k: string]: number }[],
  keys: string[],
): string {
  const [w, h, pad] = [640, 320, 40];
  const xs = rows.map((r) => r.iteration);
  const values = rows.flatMap((r) => keys.map((k) => r[k]).filter(Number.isFinite));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1)];
  const [y0, y1] = [Math.min(...values, 0), Math.max(...values, 1e-9)];
  const px = (x: number) => pad + ((x - x0) / (x1 - x0)) * (w - 2 * pad);
  const py = (y: number) => h - pad - ((y - y0) / (y1 - y0 || 1)) * (h - 2 * pad);
  const colours = ['#c0392b', '#2471a3', '#229954', '#7d3c98'];
  const lines = keys.map((k, i) => {
    const points = rows
      .filter((r) => Number.isFinite(r[k]))
      .map((r) => `${px(r.iteration).toFixed(1)},${py(r[k]).toFixed(1)}`);
    return (
      `<polyline fill="none" stroke="${colours[i % 4]}" stroke-width="1.5" points="${points.join(' ')}"/>` +
      `<text x="${w - pad - 150}" y="${pad + 16 * i}" fill="${colours[i % 4]}" font-size="12">${k}</text>`
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<line x1="${pad}" y1="${py(0)}" x2="${w - pad}" y2="${py(0)}" stroke="#999" stroke-dasharray="4"/>
<text x="${pad}" y="${h - 10}" font-size="12">iteration ${x0}…${x1}</text>
<text x="4" y="${pad}" font-size="12">${y1.toPrecision(3)}</text><text x="4" y="${h - pad}" font-size="12">${y0.toPrecision(3)}</text>
${lines.join('\n')}
</svg>
`;
}
