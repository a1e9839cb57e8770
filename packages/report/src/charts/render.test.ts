import { expectArgError } from '@gan/test-utils';
import { describe, expect, it } from 'vitest';
import { renderChartSvg } from './render';

// The same function in Node (cpu, wasm projects) and in Chromium (webgl project).
describe('renderChartSvg', () => {
  const spec = {
    title: 'Critic loss',
    y: 'loss',
    series: [
      {
        name: 'discriminatorLoss',
        points: Array.from({ length: 50 }, (_, i) => [i * 10, -i / 10] as [number, number]),
      },
      {
        name: 'generatorLoss',
        points: Array.from({ length: 50 }, (_, i) => [i * 10, i / 20] as [number, number]),
      },
    ],
  };

  it('draws an SVG document with the title, the legend, axis names and tick labels', () => {
    const svg = renderChartSvg(spec, { width: 500, height: 300 });
    expect(svg).toMatch(/^(<\?xml[^>]*>\s*)?<svg[^>]* width="500" height="300"/);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    for (const t of ['Critic loss', 'discriminatorLoss', 'generatorLoss', 'iteration', 'loss'])
      expect(texts).toContain(t);
    // Ticks on both axes: x from 0 to 490, y around [−4.9, 2.45].
    expect(texts).toContain('0');
    expect(texts.some((t) => /^-\d/.test(t))).toBe(true);
    expect(texts.filter((t) => /^-?\d[\d,.]*$/.test(t)).length).toBeGreaterThan(6);
    // One polyline path per series (a legend icon is a path too): at least two long data paths.
    const long = [...svg.matchAll(/<path d="([^"]+)"/g)].filter((m) => m[1].split('L').length > 40);
    expect(long.length).toBeGreaterThanOrEqual(2);
  });

  it('renders the same spec to the same SVG, but for the per-chart class prefix', () => {
    // zrender numbers CSS classes (zr1-cls-0, …) across charts: charts inlined in one page must
    // not share style rules.
    const [a, b] = [renderChartSvg(spec), renderChartSvg(spec)];
    expect(a).not.toBe(b);
    const stable = (svg: string) => svg.replace(/zr\d+-(cls-)?[a-z]*\d+/g, 'zr');
    expect(stable(a)).toBe(stable(b));
  });

  it('refuses sizes that are not positive integers, naming them', () => {
    expectArgError(() => renderChartSvg(spec, { width: 0 }), 'renderChartSvg', 'size.width');
    expectArgError(() => renderChartSvg(spec, { height: 2.5 }), 'renderChartSvg', 'size.height');
  });
});
