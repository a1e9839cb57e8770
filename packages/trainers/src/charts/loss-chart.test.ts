import { describe, expect, it } from 'vitest';
import { lossChart } from './loss-chart';

describe('lossChart', () => {
  it('draws one polyline per series, skipping missing values, scaled into the frame', () => {
    const rows = [
      { iteration: 10, a: 1, b: -1 },
      { iteration: 20, a: 3 },
      { iteration: 30, a: 2, b: 0.5 },
    ];
    const svg = lossChart(rows as never, ['a', 'b']);
    const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => m[1].split(' '));
    expect(lines.map((l) => l.length)).toEqual([3, 2]);
    // x: iterations 10…30 across 40…600; y: values −1…3 across 280…40.
    expect(lines[0][0]).toBe('40.0,160.0');
    expect(lines[0][1]).toBe('320.0,40.0');
    expect(lines[1][0]).toBe('40.0,280.0');
    expect(svg).toContain('>iteration 10…30<');
  });
});
