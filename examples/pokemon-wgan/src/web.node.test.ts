import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { modelDir } from '@gan/core/node';
import { dcganGenerator } from '@gan/models';
import { testBackend } from '@gan/test-utils';
import { CHROMIUM, CHROMIUM_ARGS } from '@gan/test-utils/node';
import { chromium } from 'playwright';
import { createServer } from 'vite';
import { describe, expect, it } from 'vitest';

// The dashboard in Debian's Chromium on SwiftShader WebGL (never a downloaded browser), once, on
// the cpu project's turn (the page picks its own backend: webgl).
describe.runIf(testBackend() === 'cpu' && process.env.GAN_SKIP_BROWSER !== '1')(
  'pokemon-wgan browser dashboard',
  () => {
    it('loads sprites, trains on WebGL, updates the grid and chart, with no console errors', async () => {
      const server = await createServer({
        configFile: resolve(__dirname, '../web/vite.config.ts'),
        server: { port: 0, strictPort: false },
        logLevel: 'error',
      });
      await server.listen();
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
      });
      try {
        const page = await browser.newPage();
        // Bounded work: wait as long as the machine needs, never a wall-clock limit.
        page.setDefaultTimeout(0);
        const errors: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${server.resolvedUrls?.local[0]}?sprites=48&batch=8`);
        await page.waitForSelector('body[data-ready="true"]');
        expect(await page.textContent('#backend')).toMatch(/^webgl/);
        expect(await page.textContent('#stats')).toMatch(/^\d+ sprites loaded \(0 skipped\)/);
        await page.click('#start');
        await page.waitForFunction(() => {
          const d = document.body.dataset;
          return (
            Number(d.iteration ?? 0) >= 10 &&
            Number(d.grids ?? 0) >= 1 &&
            Number(d.charts ?? 0) >= 2
          );
        });
        // @gan/report's charts, drawn by ECharts: losses, the Wasserstein estimate, images/s.
        const titles = await page.locator('#charts .chart svg text').allTextContents();
        for (const title of ['Losses', "Critic's Wasserstein estimate", 'Throughput'])
          expect(titles).toContain(title);
        expect(titles).toContain('discriminatorLoss');
        await page.click('#pause');
        await page.waitForSelector('#save:not([disabled])');
        expect(await page.textContent('#start')).toBe('Resume');
        await page.click('#save');
        await page.waitForFunction(() =>
          /saved to indexeddb:/.test(document.getElementById('stats')?.textContent ?? ''),
        );
        // A generator as the Node CLI writes it (tfjs format), sampled in the page.
        const dir = mkdtempSync(join(tmpdir(), 'pokemon-web-'));
        const generator = dcganGenerator({ resolution: 16, latentDim: 8, baseFilters: 4, seed: 3 });
        await generator.save(modelDir(dir));
        generator.dispose();
        const grids = Number(await page.getAttribute('body', 'data-grids'));
        await page.setInputFiles('#load', [join(dir, 'model.json'), join(dir, 'weights.bin')]);
        await page.waitForFunction(() =>
          /sampled 64 images from model.json/.test(
            document.getElementById('stats')?.textContent ?? '',
          ),
        );
        expect(Number(await page.getAttribute('body', 'data-grids'))).toBe(grids + 1);
        rmSync(dir, { recursive: true, force: true });
        const results = resolve(__dirname, '../../../test-results');
        mkdirSync(results, { recursive: true });
        await page.screenshot({ path: resolve(results, 'pokemon-dashboard.png') });
        expect(errors, errors.join('\n')).toEqual([]);
      } finally {
        await browser.close();
        await server.close();
      }
    });
  },
);
