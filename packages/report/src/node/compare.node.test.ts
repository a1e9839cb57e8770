import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expectArgError } from '@gan/test-utils';
import { scratchDirs } from '@gan/test-utils/node';
import { describe, expect, it } from 'vitest';
import { compareCharts, compareRunsHtml } from './compare-html';
import { readRun } from './read-run';
import { testRun } from './test-runs';
import { compareRuns } from './write';

const scratch = scratchDirs('gan-compare-');
const runDir = (name: string, lr: number, kid: number) => testRun(scratch, name, lr, kid);
const cli = new URL('../../dist/cli.js', import.meta.url).pathname;

describe('compare', () => {
  it('readRun reads a run folder, skipping a torn last metrics line', async () => {
    const run = readRun(await runDir('a', 1e-4, 0.2));
    expect(run.name).toBe('a');
    expect(run.metrics.map((m) => m.iteration)).toEqual([2, 4, 6]);
    expect(run.scores).toEqual([{ file: 'kid.jsonl', points: expect.any(Array) }]);
    expect(run.grids).toEqual([
      {
        file: 'samples-final.png',
        raw: 'samples-final.raw.png',
        caption: 'final',
        at: Number.POSITIVE_INFINITY,
      },
    ]);
    expect(() => readRun(join(run.dir, 'missing'))).toThrow(/^readRun: .*missing is not a folder/);
  });

  it('puts two runs side by side: differing options first and marked, last scores, a line per run', async () => {
    const runs = [await runDir('slow', 1e-4, 0.2), await runDir('fast', 2e-3, 0.1)].map(readRun);
    const html = compareRunsHtml(runs);
    const differs = [...html.matchAll(/<tr class="differs"><th>([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(differs).toEqual(['lr']);
    expect(html).toMatch(/<p class="muted">1 of 3 options differ/);
    expect(html).toMatch(/kid\.jsonl: KID \(last, iteration 6\)<\/th><td>0\.2<\/td><td>0\.1<\/td>/);
    expect((html.match(/src="data:image\/png;base64,/g) ?? []).length).toBe(2);
    const charts = compareCharts(runs);
    expect(charts.map((c) => c.title)).toEqual([
      'Losses — discriminatorLoss',
      'Losses — generatorLoss',
      'Throughput',
      'KID — pixels',
    ]);
    for (const c of charts) expect(c.series.map((s) => s.name)).toEqual(['slow', 'fast']);
    expect(charts[0].series[1].points).toEqual([
      [2, -0.004],
      [4, -0.008],
      [6, -0.012],
    ]);
  });

  it('refuses fewer than two runs and bad options', async () => {
    const a = readRun(await runDir('a', 1e-4, 0.2));
    expect(() => compareRunsHtml([a])).toThrow(/^compareRunsHtml: runs must be two or more/);
    expectArgError(
      () => compareRunsHtml([a, a], { smoothing: -1 }),
      'compareRunsHtml',
      'options.smoothing',
    );
    await expect(compareRuns([a.dir], 'x.html')).rejects.toThrow(
      /^compareRuns: dirs must be two or more/,
    );
  });

  it('gan-report: compare writes the page; misuse prints one line and exits 2', async () => {
    const run = promisify(execFile);
    const [a, b] = [await runDir('a', 1e-4, 0.2), await runDir('b', 2e-3, 0.1)];
    const out = join(await scratch(), 'both.html');
    const ok = await run(process.execPath, [cli, 'compare', a, b, '--out', out]);
    expect(ok.stdout).toBe(`wrote ${out}\n`);
    expect(readFileSync(out, 'utf8')).toContain('Runs compared: a, b');
    const report = await run(process.execPath, [cli, 'report', a]);
    expect(report.stdout).toBe(`wrote ${join(a, 'index.html')}\n`);
    expect(existsSync(join(a, 'index.html'))).toBe(true);
    // Usage errors exit 2, failures (a folder that is not there) 1; one line each.
    for (const [args, code, line] of [
      [['compare', a], 2, 'error: compare takes two or more run folders, got 1\n'],
      [['plot', a], 2, 'error: unknown command plot: report or compare (--help)\n'],
      [['compare', a, b, '--bogus'], 2, /^error: Unknown option '--bogus'/],
      [['compare', a, join(a, 'nope')], 1, `error: readRun: ${join(a, 'nope')} is not a folder\n`],
    ] as const) {
      const failed = await run(process.execPath, [cli, ...args]).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(failed.code, args.join(' ')).toBe(code);
      if (typeof line === 'string') expect(failed.stderr).toBe(line);
      else expect(failed.stderr).toMatch(line);
      expect(failed.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
