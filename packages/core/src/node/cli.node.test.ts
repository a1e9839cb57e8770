import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Runs a script against the built package (`node --input-type=module -e …`); its exit code and stderr. */
async function script(body: string) {
  const source = `import * as cli from ${JSON.stringify(new URL('../../dist/node.js', import.meta.url).pathname)};\n${body}`;
  return run(process.execPath, ['--input-type=module', '-e', source]).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

describe('@gan/core/node command-line helpers', () => {
  it('exitOnError: one line, exit 2 for usage errors and 1 for failures, the stack only when verbose', async () => {
    const failure = await script(
      "cli.exitOnError(); throw new Error('the disk is full\\nmore detail');",
    );
    expect(failure).toMatchObject({ code: 1, stderr: 'error: the disk is full\n' });
    const rejected = await script(
      "cli.exitOnError(); await Promise.reject(new Error('no network'));",
    );
    expect(rejected).toMatchObject({ code: 1, stderr: 'error: no network\n' });
    const usage = await script(
      "import { parseArgs } from 'node:util'; cli.exitOnError(); parseArgs({ args: ['--bogus'], options: {} });",
    );
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^error: Unknown option '--bogus'.*\n$/);
    const verbose = await script("cli.exitOnError({ verbose: true }); throw new Error('boom');");
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/^Error: boom\n\s+at /);
  });

  it('positiveFlag and choiceFlag: the value, the fallback, or a usage error naming the flag', async () => {
    const ok = await script(
      "console.log(cli.positiveFlag('n', '3', 1), cli.positiveFlag('n', undefined, 7), cli.positiveFlag('lr', '2e-4', 1, false), cli.choiceFlag('k', 'b', ['a', 'b'], 'a'), cli.choiceFlag('k', undefined, ['a', 'b'], 'a'));",
    );
    expect(ok).toMatchObject({ code: 0, stdout: '3 7 0.0002 b a\n' });
    for (const [call, line] of [
      ["cli.positiveFlag('batch', '0', 1)", 'error: --batch must be a positive integer, got 0\n'],
      [
        "cli.positiveFlag('batch', '2.5', 1)",
        'error: --batch must be a positive integer, got 2.5\n',
      ],
      ["cli.positiveFlag('lr', '-1', 1, false)", 'error: --lr must be a positive number, got -1\n'],
      [
        "cli.choiceFlag('norm', 'group', ['layer', 'none'], 'none')",
        'error: --norm must be layer, none; got group\n',
      ],
    ])
      expect(await script(`${call};`)).toMatchObject({ code: 2, stderr: line });
  });

  it('configFlag: the saved options, or one usage line for other flags and unreadable files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gan-config-'));
    try {
      const file = join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({ epochs: 3, data: 'pokemon' }));
      writeFileSync(join(dir, 'list.json'), '[1, 2]');
      const ok = await script(
        `console.log(JSON.stringify(cli.configFlag(${JSON.stringify(file)}, ['config', 'out'], ['out', 'backend'])));`,
      );
      expect(ok).toMatchObject({ code: 0, stdout: '{"epochs":3,"data":"pokemon"}\n' });
      const other = await script(
        `cli.configFlag(${JSON.stringify(file)}, ['config', 'epochs', 'lr'], ['out']);`,
      );
      expect(other).toMatchObject({
        code: 2,
        stderr:
          'error: --config repeats a run as it was: --epochs, --lr cannot go with it (only --out)\n',
      });
      const missing = await script(
        `cli.configFlag(${JSON.stringify(join(dir, 'none.json'))}, [], []);`,
      );
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/^error: --config .*none\.json: ENOENT[^\n]*\n$/);
      const list = await script(
        `cli.configFlag(${JSON.stringify(join(dir, 'list.json'))}, [], []);`,
      );
      expect(list).toMatchObject({
        code: 2,
        stderr: `error: --config ${join(dir, 'list.json')}: not a JSON object of options\n`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
