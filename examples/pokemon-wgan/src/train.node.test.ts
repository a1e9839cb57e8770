import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { randomConvExtractor } from '@gan/fid';
import { registerNativeKernels, unregisterNativeKernels } from '@gan/native-cpu';
import { expectNoLeaksAsync, testBackend } from '@gan/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { train } from './train';

const run = promisify(execFile);
const cli = resolve(__dirname, '../dist/cli.js');
const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pokemon-wgan-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const tiny = (outDir: string) => ({
  data: 'synthetic',
  epochs: 2,
  batchSize: 32,
  resolution: 8,
  latentDim: 4,
  filters: 2,
  nCritic: 2,
  seed: 1,
  outDir,
  logEvery: 4,
  augment: true,
  emaDecay: 0.9,
});

describe(`pokemon-wgan train() [${testBackend()}]`, () => {
  it('trains, writes every output, and leaks nothing', async () => {
    const dir = scratch();
    const seen: number[] = [];
    const result = await expectNoLeaksAsync(() =>
      train({
        ...tiny(dir),
        callbacks: [{ onStep: (_, m) => void seen.push(m.iteration) }],
        // Inception-feature scores, with the tiny extractor standing in for InceptionV3.
        fidSamples: 20,
        fidEvery: 1,
        fidExtractor: async () => randomConvExtractor({ dim: 16, size: 16 }),
      }),
    );
    expect(result).toMatchObject({ iterations: 16, epochs: 2, stopped: false, images: 256 });
    expect(seen).toEqual([4, 8, 12, 16]);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(
      [
        'checkpoints',
        'generator',
        'kid.jsonl',
        'fid.jsonl',
        'charts',
        'config.json',
        'index.html',
        'run.json',
        'metrics.jsonl',
        'progress.gif',
        'real.png',
        'real.raw.png',
        'samples-epoch-001.png',
        'samples-epoch-001.raw.png',
        'samples-epoch-002.png',
        'samples-epoch-002.raw.png',
        'samples-final.png',
        'samples-final.raw.png',
      ].sort(),
    );
    const metrics = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(
      metrics.every((m) => Number.isFinite(m.discriminatorLoss) && Number.isFinite(m.wasserstein)),
    ).toBe(true);
    expect(readFileSync(join(dir, 'progress.gif')).subarray(0, 6).toString()).toBe('GIF89a');
    // Pixel-space KID before training, every kidEvery epochs, and at the end.
    const kid = readFileSync(join(dir, 'kid.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(kid.map((k) => [k.iteration, k.epoch])).toEqual([
      [0, 0],
      [16, 2],
    ]);
    expect(kid.every((k) => Number.isFinite(k.kid) && k.kidStd >= 0)).toBe(true);
    expect(result.kid).toEqual(kid);
    const fid = readFileSync(join(dir, 'fid.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(fid.map((f) => f.epoch)).toEqual([0, 1, 2]);
    expect(fid.every((f) => f.fid > 0 && Number.isFinite(f.kid) && f.samples === 20)).toBe(true);
    expect(fid[0].label).toMatch(/^FID-like \(random-conv .* from 20 samples/);
    expect(fid[0].resize).toMatch(/bilinear/);
    expect(result.fid).toEqual(fid);
    // The run report: the options to repeat the run, and a page with the charts and pictures.
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({
      ...tiny(dir),
      fidSamples: 20,
      fidEvery: 1,
    });
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'))).toMatchObject({
      status: 'done',
      iteration: 16,
      epoch: 2,
    });
    const page = readFileSync(join(dir, 'index.html'), 'utf8');
    for (const text of ['kid.jsonl', 'fid.jsonl', 'Losses', 'epoch 2', 'synthetic'])
      expect(page).toContain(text);
    expect(readdirSync(join(dir, 'charts'))).toContain('losses.svg');
    expect(
      JSON.parse(readFileSync(join(dir, 'generator', 'model.json'), 'utf8')).weightsManifest[0]
        .paths,
    ).toEqual(['weights.bin']);
  });

  it('with ADA: holds images out for r_v, reports p and r, and resumes p exactly', async () => {
    const dir = scratch();
    const options = { ...tiny(dir), augment: 'ada' as const, epochs: 3, fidSamples: 0 };
    const result = await expectNoLeaksAsync(() => train(options));
    // 256 synthetic images: an eighth (32) held out, 224 trained on (7 batches of 32).
    expect(result).toMatchObject({ images: 224, heldOut: 32, iterations: 21 });
    const lines = (d: string) =>
      readFileSync(join(d, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
    const whole = lines(dir);
    expect(whole.every((m) => m.augmentP >= 0 && m.augmentP <= 1)).toBe(true);
    expect(whole.every((m) => Number.isFinite(m.augmentR))).toBe(true);
    // Stopped after 2 epochs and resumed: the same p and r at every later report.
    const other = scratch();
    await train({ ...options, outDir: other, epochs: 2 });
    await train({ ...options, outDir: other, resume: true });
    const resumed = lines(other);
    expect(resumed.map((m) => [m.iteration, m.augmentP, m.augmentR])).toEqual(
      whole.map((m) => [m.iteration, m.augmentP, m.augmentR]),
    );
  });
});

// The CLI end to end, once (on cpu's turn; it picks its own backend: cpu + native kernels when
// the addon loads, else wasm).
describe.runIf(testBackend() === 'cpu')('pokemon-wgan CLI', () => {
  it('prints plain progress lines without a TTY, resumes, and generates from the saved model', async () => {
    expect(existsSync(cli), 'build the example first (npm test does)').toBe(true);
    const dir = scratch();
    const args = [
      '--data',
      'synthetic',
      '--res',
      '8',
      '--filters',
      '2',
      '--latent',
      '4',
      '--n-critic',
      '2',
      '--log-every',
      '8',
      '--fid-samples',
      '4',
      '--out',
      dir,
    ];
    const first = await run(process.execPath, [cli, ...args, '--epochs', '1']);
    // The one backend line: the CLI passes @gan/native-cpu's candidate, tried before wasm.
    const probe = registerNativeKernels();
    unregisterNativeKernels();
    if (!probe.ok && process.env.GAN_REQUIRE_NATIVE === '1') throw new Error(probe.reason);
    expect(first.stdout).toMatch(
      probe.ok
        ? /^\[@gan\/core\] backend native-cpu \(tfjs cpu \+ \d+ native kernels, OpenBLAS \S+, \d+ threads?\); skipped /m
        : /^\[@gan\/core\] backend wasm \(.*; native-cpu \(@gan\/native-cpu: .*\)$/m,
    );
    const lines = first.stdout.split('\n');
    expect(lines.some((l) => /^epoch 1\/1 it 8\/8 {2}critic -?\d/.test(l))).toBe(true);
    expect(first.stdout).not.toContain('\r');
    expect(first.stdout).toMatch(/done: 8 iterations, 1 epochs/);
    expect(first.stdout).toMatch(
      /pixel-space KID vs the real images .* at iteration 0 → .* at iteration 8/,
    );
    // The real offline InceptionV3 (nsfwjs) on 4 + 4 images, before and after.
    expect(first.stdout).toMatch(
      /FID-like \(nsfwjs InceptionV3.*not comparable to published FID\) from 4 samples .*: \d+\.\d+ at iteration 0 → \d+\.\d+ at iteration 8/,
    );
    const second = await run(process.execPath, [cli, ...args, '--epochs', '2', '--resume']);
    expect(second.stdout).toMatch(/done: 16 iterations, 2 epochs .* resumed from ckpt-000000008/);
    const grid = join(dir, 'interpolation.png');
    const third = await run(process.execPath, [
      cli,
      'generate',
      '--model',
      join(dir, 'generator'),
      '--n',
      '16',
      '--interpolate',
      '--out',
      grid,
    ]);
    expect(third.stdout).toMatch(/wrote 16 images/);
    expect(readFileSync(grid).subarray(1, 4).toString()).toBe('PNG');

    // The report saw both segments; --config repeats the run exactly (resume is exact, so a
    // run from scratch with the saved options has the same losses at every logged iteration).
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).segments).toHaveLength(2);
    const again = `${dir}-again`;
    dirs.push(again);
    const repeat = await run(process.execPath, [
      cli,
      '--config',
      join(dir, 'config.json'),
      '--out',
      again,
    ]);
    expect(repeat.stdout).toMatch(
      /training WGAN-GP on synthetic \(the options of .*config\.json\)/,
    );
    expect(repeat.stdout).toMatch(/done: 16 iterations, 2 epochs/);
    const losses = (d: string) =>
      readFileSync(join(d, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .map((m) => [m.iteration, m.discriminatorLoss, m.generatorLoss]);
    expect(losses(again)).toEqual(losses(dir));
    const out = join(again, 'compare.html');
    const compared = await run(process.execPath, [cli, 'compare', dir, again, '--out', out]);
    expect(compared.stdout).toBe(`wrote ${out}\n`);
    expect(readFileSync(out, 'utf8')).toMatch(/<p class="muted">1 of \d+ options differ/); // outDir
  });

  it('ends every misuse and failure with one error line, the stack only with --verbose', async () => {
    /** The CLI's exit code and stderr, from a run expected to fail. */
    const fails = (args: string[]) =>
      run(process.execPath, [cli, ...args]).then(
        () => {
          throw new Error(`pokemon-wgan ${args.join(' ')} succeeded`);
        },
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
    const small = ['--data', 'synthetic', '--res', '8', '--filters', '2', '--fid-samples', '0'];
    const cases: [string[], number, RegExp][] = [
      [['--batch', '0'], 2, /^error: --batch must be a positive integer, got 0$/m],
      [['--bogus'], 2, /^error: Unknown option '--bogus'/m],
      [['frobnicate'], 2, /^error: unknown command frobnicate: train, generate or compare/m],
      [['compare', scratch()], 2, /^error: compare needs two or more run folders, got 1$/m],
      [
        ['--config', 'config.json', '--epochs', '3', '--lr', '1'],
        2,
        /^error: --config repeats a run as it was: --epochs, --lr cannot go with it/m,
      ],
      [
        ['--config', '/no/such/config.json'],
        2,
        /^error: --config \/no\/such\/config\.json: ENOENT/m,
      ],
      [
        [...small, '--batch', '300', '--out', scratch()],
        1,
        /^error: 256 images make no batch of 300: lower --batch$/m,
      ],
    ];
    for (const [args, code, line] of cases) {
      const failed = await fails(args);
      expect(failed.code, args.join(' ')).toBe(code);
      expect(failed.stderr, args.join(' ')).toMatch(line);
      expect(failed.stderr, args.join(' ')).not.toMatch(/^\s+at /m);
    }
    const verbose = await fails([...small, '--batch', '300', '--out', scratch(), '--verbose']);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(
      /^Error: 256 images make no batch of 300: lower --batch\n\s+at /m,
    );
  });

  it('trains the quick run for fewer epochs on wasm, and says so, unless --epochs is given', async () => {
    const dir = scratch();
    const args = ['--backend', 'wasm', '--data', 'synthetic', '--res', '8', '--filters', '2'];
    const small = [
      ...args,
      '--latent',
      '4',
      '--steps',
      '2',
      '--log-every',
      '1',
      '--fid-samples',
      '0',
    ];
    const portable = await run(process.execPath, [cli, ...small, '--out', dir]);
    expect(portable.stdout).toMatch(/^quick run on wasm: 80 epochs, about 7 minutes \(/m);
    expect(portable.stdout).toMatch(/^epoch 1\/80 it 2\//m);
    const asked = await run(process.execPath, [cli, ...small, '--epochs', '3', '--out', scratch()]);
    expect(asked.stdout).not.toContain('quick run on wasm');
    expect(asked.stdout).toMatch(/^epoch 1\/3 it 2\//m);
  });
});
