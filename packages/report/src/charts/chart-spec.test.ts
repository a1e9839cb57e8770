import { describe, expect, it } from 'vitest';
import { chartOption, formatNumber } from './chart-spec';

type Option = {
  legend: { top: number };
  grid: { top: number };
  title: { text: string; subtext: string };
  series: { name: string; data: [number, number | null][]; lineStyle?: { opacity: number } }[];
  xAxis: { name: string };
  yAxis: { type: string; name?: string };
};

describe('chartOption', () => {
  const spec = {
    title: 'Losses',
    series: [
      {
        name: 'a',
        points: [
          [0, 1],
          [1, 3],
          [2, Number.NaN],
        ] as [number, number][],
      },
      {
        name: 'b',
        points: [
          [0, 2],
          [1, 2],
        ] as [number, number][],
      },
    ],
  };

  it('puts the title and legend above the plot, never over the data', () => {
    const option = chartOption(spec) as unknown as Option;
    expect(option.title.text).toBe('Losses');
    expect(option.legend.top).toBeLessThan(option.grid.top);
    expect(option.xAxis.name).toBe('iteration');
    expect(option.series.map((s) => s.name)).toEqual(['a', 'b']);
    // A gap for a non-finite value, not a line to 0.
    expect(option.series[0].data).toEqual([
      [0, 1],
      [1, 3],
      [2, null],
    ]);
  });

  it('with smoothing: a faint raw line under each smoothed one, of the same name and colour', () => {
    const option = chartOption({ ...spec, smoothing: 0.5 }) as unknown as Option & {
      series: { color: string; z: number }[];
    };
    expect(option.series.map((s) => s.name)).toEqual(['a', 'a', 'b', 'b']);
    const [raw, smooth] = option.series;
    expect(raw.lineStyle?.opacity).toBe(0.25);
    expect(raw.color).toBe(smooth.color);
    expect(smooth.z).toBeGreaterThan(raw.z);
    expect(smooth.data[1][1]).toBeCloseTo((0.25 + 1.5) / 0.75, 12);
    expect(option.title.subtext).toMatch(/smoothed 0\.5/);
  });

  it('a log axis when asked', () => {
    expect((chartOption({ ...spec, logY: true }) as unknown as Option).yAxis.type).toBe('log');
  });
});

describe('formatNumber', () => {
  it('4 significant digits, exponents outside [1e-3, 1e5), no trailing zeros', () => {
    expect(formatNumber(2e-4)).toBe('2e-4');
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(1798.4)).toBe('1798');
    expect(formatNumber(2.899e-4)).toBe('2.899e-4');
    expect(formatNumber(123456)).toBe('1.235e+5');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(undefined)).toBe('–');
  });
});
