import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { modelDir } from '@gan/core/node';
import { conditionalDcganGenerator } from '@gan/models';
import { testBackend } from '@gan/test-utils';
import { CHROMIUM, CHROMIUM_ARGS } from '@gan/test-utils/node';
import { chromium } from 'playwright';
import { createServer } from 'vite';
import { describe, expect, it } from 'vitest';
import { setClassNames } from './classes';

// The page in Debian's Chromium on SwiftShader WebGL (never a downloaded browser), once, on the
// cpu project's turn (the page picks its own backend: webgl).
describe.runIf(testBackend() === 'cpu' && process.env.GAN_SKIP_BROWSER !== '1')(
  'fashion-cgan page',
  () => {
    it('loads a conditional generator saved in Node, lists its classes, draws the class picked', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fashion-web-'));
      const generator = conditionalDcganGenerator({
        resolution: 28,
        channels: 1,
        latentDim: 4,
        numClasses: 3,
        baseFilters: 2,
        seed: 3,
      });
      setClassNames(generator, ['Sock', 'Hat', 'Scarf']);
      await generator.save(modelDir(dir));
      generator.dispose();
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
        page.setDefaultTimeout(0); // bounded work: wait as long as the machine needs
        const errors: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(server.resolvedUrls?.local[0] as string);
        await page.waitForSelector('body[data-ready="true"]');
        expect(await page.textContent('#backend')).toMatch(/^webgl/);
        await page.setInputFiles(
          '#load',
          ['model.json', 'weights.bin'].map((f) => join(dir, f)),
        );
        await page.waitForSelector('body[data-grids="1"], body[data-error]');
        expect(await page.getAttribute('body', 'data-error')).toBeNull();
        expect(await page.locator('#class option').allTextContents()).toEqual([
          'Sock',
          'Hat',
          'Scarf',
        ]);
        expect(await page.textContent('#stats')).toBe(
          '64 samples of class 0, Sock (latent seed 1)',
        );
        await page.selectOption('#class', '2');
        await page.waitForSelector('body[data-grids="2"], body[data-error]');
        expect(await page.textContent('#stats')).toBe(
          '64 samples of class 2, Scarf (latent seed 1)',
        );
        const results = resolve(__dirname, '../../../test-results');
        mkdirSync(results, { recursive: true });
        await page.screenshot({ path: resolve(results, 'fashion-page.png') });
        expect(errors, errors.join('\n')).toEqual([]);
      } finally {
        await browser.close();
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
