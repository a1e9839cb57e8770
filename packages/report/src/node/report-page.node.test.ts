import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { testBackend } from '@gan/test-utils';
import { CHROMIUM, CHROMIUM_ARGS, scratchDirs } from '@gan/test-utils/node';
import { chromium } from 'playwright';
import { describe, expect, it } from 'vitest';
import { testRun } from './test-runs';
import { compareRuns, writeRunReport } from './write';

const scratch = scratchDirs('gan-report-page-');

// The pages opened from the file system in Debian's Chromium (never a downloaded browser), once,
// on the cpu project's turn: every picture decodes, every chart draws, nothing is fetched.
describe.runIf(testBackend() === 'cpu' && process.env.GAN_SKIP_BROWSER !== '1')(
  'run report pages in Chromium',
  () => {
    it('index.html and compare.html show their pictures and charts offline', async () => {
      const [a, b] = [
        await testRun(scratch, 'a', 1e-4, 0.2),
        await testRun(scratch, 'b', 2e-3, 0.1),
      ];
      const pages = [
        await writeRunReport(a),
        await compareRuns([a, b], join(await scratch(), 'compare.html')),
      ];
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      try {
        const results = resolve(__dirname, '../../../../test-results');
        mkdirSync(results, { recursive: true });
        for (const [k, path] of pages.entries()) {
          const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
          page.setDefaultTimeout(0);
          const errors: string[] = [];
          const fetched: string[] = [];
          page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
          page.on('pageerror', (e) => errors.push(e.message));
          page.on('request', (r) => !/^(file|data):/.test(r.url()) && fetched.push(r.url()));
          await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
          const images = await page.$$eval('img', (all) =>
            all.map((i) => ({
              ok: i.complete && i.naturalWidth > 0,
              width: i.getBoundingClientRect().width,
            })),
          );
          expect(images.length).toBeGreaterThanOrEqual(k === 0 ? 1 : 2);
          for (const image of images) expect(image.ok).toBe(true);
          // A 4-pixel grid drawn at a readable size (pixelated), not a postage stamp.
          expect(Math.min(...images.map((i) => i.width))).toBeGreaterThanOrEqual(300);
          const charts = await page.$$eval('.charts svg', (all) =>
            all.map((s) => s.getBoundingClientRect().width),
          );
          expect(charts.length).toBeGreaterThanOrEqual(3);
          for (const width of charts) expect(width).toBeGreaterThan(300);
          await page.screenshot({
            path: resolve(results, `run-report-${k ? 'compare' : 'index'}.png`),
            fullPage: true,
          });
          expect(errors, errors.join('\n')).toEqual([]);
          expect(fetched).toEqual([]);
          await page.close();
        }
      } finally {
        await browser.close();
      }
    });
  },
);
