import { describe, expect, it } from 'vitest';
import { mountChart } from './render';

// In Chromium (the webgl project): the dashboard's live chart.
describe('mountChart', () => {
  it('draws a spec into an element and redraws it with new points', () => {
    const element = document.createElement('div');
    element.style.cssText = 'width: 480px; height: 260px';
    document.body.append(element);
    const spec = (n: number) => ({
      title: 'Losses',
      series: [
        {
          name: 'generatorLoss',
          points: Array.from({ length: n }, (_, i) => [i, i] as [number, number]),
        },
      ],
    });
    const chart = mountChart(element, spec(3));
    const texts = () => [...element.querySelectorAll('svg text')].map((t) => t.textContent);
    expect(element.querySelector('svg')).not.toBeNull();
    expect(texts()).toContain('Losses');
    expect(texts()).toContain('generatorLoss');
    chart.update({ ...spec(40), title: 'Losses, later' });
    expect(texts()).toContain('Losses, later');
    expect(texts()).toContain('40'); // a y tick of the new points
    chart.dispose();
    expect(element.querySelector('svg')).toBeNull();
    element.remove();
  });
});
