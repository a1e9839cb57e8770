import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { fashionMnist } from '@gan/data/node';
import { expectNoLeaksAsync, testBackend } from '@gan/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from './recipe';
import { train } from './train';

const run = promisify(execFile);
const cli = resolve(__dirname, '../dist/cli.js');
const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'fashion-cgan-'));
  dirs.push(dir);
  return dir;
};
let data: string;

/** IDX files of n 28×28 images: class c is a bright band at rows 2c…2c+5 (10 classes in turn) on a dim texture. */
function writeIdx(dir: string, prefix: string, n: number, salt: number) {
  const header = (dims: number[]) => {
    const b = Buffer.alloc(4 + 4 * dims.length);
    b.set([0, 0, 8, dims.length]);
    for (const [i, d] of dims.entries()) b.writeUInt32BE(d, 4 + 4 * i);
    return b;
  };
  const labels = Array.from({ length: n }, (_, i) => i % 10);
  // A little per-image texture, so that no two images (and no two splits) are identical.
  const pixels = Buffer.from(
    Array.from({ length: n * 784 }, (_, p) => ((p + salt) * 2654435761) % 41),
  );
  labels.forEach((c, i) => {
    for (let r = 2 * c; r < 2 * c + 6; r++)
      pixels.fill(230, i * 784 + r * 28 + 4, i * 784 + r * 28 + 24);
  });
  writeFileSync(
    join(dir, `${prefix}-images-idx3-ubyte.gz`),
    gzipSync(Buffer.concat([header([n, 28, 28]), pixels])),
  );
  writeFileSync(
    join(dir, `${prefix}-labels-idx1-ubyte.gz`),
    gzipSync(Buffer.concat([header([n]), Buffer.from(labels)])),
  );
}

beforeAll(() => {
  data = scratch();
  mkdirSync(data, { recursive: true });
  writeIdx(data, 'train', 100, 0);
  writeIdx(data, 't10k', 40, 12345);
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const small = ['--filters', '2', '--latent', '4', '--batch', '20', '--log-every', '5'];

describe(`fashion-cgan [${testBackend()}]`, () => {
  it('train(): per-class grids, the label set and every output, leak-free', async () => {
    const dir = scratch();
    const images = await fashionMnist({ dir: data });
    const result = await expectNoLeaksAsync(() =>
      train({
        ...DEFAULTS,
        filters: 2,
        latentDim: 4,
        batchSize: 20,
        data: images,
        epochs: 2,
        outDir: dir,
        logEvery: 5,
        gridEvery: 5,
      }),
    );
    expect(result).toMatchObject({ iterations: 10, epochs: 2, stopped: false });
    expect(readdirSync(dir).sort()).toEqual(
      [
        'checkpoints',
        'classes.json',
        'charts',
        'generator',
        'index.html',
        'metrics.jsonl',
        'progress.gif',
        'real.png',
        'real.raw.png',
        'samples-final.png',
        'samples-final.raw.png',
        'samples-iteration-0000005.png',
        'samples-iteration-0000005.raw.png',
        'samples-iteration-0000010.png',
        'samples-iteration-0000010.raw.png',
        'run.json',
      ].sort(),
    );
    expect(JSON.parse(readFileSync(join(dir, 'classes.json'), 'utf8'))).toEqual(images.classes);
    const saved = JSON.parse(readFileSync(join(dir, 'generator', 'model.json'), 'utf8'));
    expect(saved.userDefinedMetadata.classes).toEqual(images.classes);
    const metrics = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(metrics.at(-1)).toMatchObject({ iteration: 10 });
    expect(metrics.at(-1).discriminatorAuxiliaryLoss).toBeGreaterThan(0);
  });

  it('CLI: classifier, train, resume, generate --label, score; plain lines without a TTY', async () => {
    expect(existsSync(cli), 'build the example first (npm test does)').toBe(true);
    const dir = scratch();
    const classifier = join(dir, 'classifier');
    const made = await run(process.execPath, [
      cli,
      'classifier',
      '--data',
      data,
      '--epochs',
      '1',
      '--out',
      classifier,
    ]);
    expect(made.stdout).toMatch(
      /^classifier accuracy on the real test split: \d+\.\d\d% \(40 images;/m,
    );
    const out = join(dir, 'run');
    const first = await run(process.execPath, [
      cli,
      '--data',
      data,
      ...small,
      '--epochs',
      '1',
      '--out',
      out,
    ]);
    expect(first.stdout).toMatch(/100 images of 10 classes \(T-shirt\/top, Trouser, /);
    expect(first.stdout).toMatch(/^epoch 1\/1 it 5\/5 {2}D -?\d.* classes D \d/m);
    expect(first.stdout).not.toContain('\r');
    const second = await run(process.execPath, [
      cli,
      '--data',
      data,
      ...small,
      '--epochs',
      '2',
      '--out',
      out,
      '--resume',
    ]);
    expect(second.stdout).toMatch(/done: 10 iterations, 2 epochs .*, resumed from ckpt-000000005/);
    // config.json repeats the run: from scratch with the saved options, the same losses.
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({
      data,
      epochs: 2,
      outDir: out,
    });
    const again = join(dir, 'again');
    await run(process.execPath, [cli, '--config', join(out, 'config.json'), '--out', again]);
    const losses = (d: string) =>
      readFileSync(join(d, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .map((m) => [m.iteration, m.discriminatorLoss, m.generatorLoss]);
    expect(losses(again)).toEqual(losses(out));
    const compared = await run(process.execPath, [
      cli,
      'compare',
      out,
      again,
      '--out',
      join(dir, 'c.html'),
    ]);
    expect(compared.stdout).toMatch(/^wrote .*c\.html$/m);
    const grid = join(dir, 'dress.png');
    const dress = await run(process.execPath, [
      cli,
      'generate',
      '--model',
      join(out, 'generator'),
      '--label',
      'dress',
      '--n',
      '4',
      '--out',
      grid,
    ]);
    expect(dress.stdout).toMatch(/wrote 4 images of Dress to /);
    expect(readFileSync(grid).subarray(1, 4).toString()).toBe('PNG');
    const all = await run(process.execPath, [
      cli,
      'generate',
      '--model',
      join(out, 'generator'),
      '--n',
      '3',
      '--out',
      grid,
    ]);
    expect(all.stdout).toMatch(/wrote 30 images of T-shirt\/top, Trouser, /);
    const scored = await run(process.execPath, [
      cli,
      'score',
      '--data',
      data,
      '--model',
      join(out, 'generator'),
      '--classifier',
      classifier,
      '--samples',
      '4',
    ]);
    expect(scored.stdout).toMatch(/^classifier on the real test split: \d+\.\d% \(40 images\)$/m);
    expect(scored.stdout).toMatch(
      /^GAN-test: \d+\.\d% of 40 generated images classified as their class$/m,
    );
    expect(scored.stdout).toMatch(
      /^intra-class FID-like \(fashion-classifier features-128; not comparable to published FID\): \d+\.\d{3} \(4 real and 4 generated images per class; real training vs real test images: \d+\.\d{3}, so \d+\.\d× the floor\)$/m,
    );
    const scores = JSON.parse(readFileSync(join(out, 'scores.json'), 'utf8'));
    expect(scores.ganTest.perClass).toHaveLength(10);
  });

  it('ends every misuse and failure with one error line', async () => {
    const fails = (args: string[]) =>
      run(process.execPath, [cli, ...args]).then(
        () => {
          throw new Error(`fashion-cgan ${args.join(' ')} succeeded`);
        },
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
    const model = join(scratch(), 'run');
    await run(process.execPath, [cli, '--data', data, ...small, '--steps', '1', '--out', model]);
    const cases: [string[], number, RegExp][] = [
      [
        ['--conditioning', 'cbn'],
        2,
        /^error: --conditioning must be both, projection, acgan; got cbn$/m,
      ],
      [
        ['frobnicate'],
        2,
        /^error: unknown command frobnicate: train, classifier, score, generate, compare/m,
      ],
      [['compare', data], 2, /^error: compare needs two or more run folders, got 1$/m],
      [
        ['--config', join(data, 'config.json'), '--conditioning', 'acgan'],
        2,
        /^error: --config repeats a run as it was: --conditioning cannot go with it/m,
      ],
      [
        ['generate', '--model', join(model, 'generator'), '--label', '42'],
        2,
        /^error: --label 42 is no class: 0…9 or one of "T-shirt\/top", /m,
      ],
      [['--data', join(data, 'missing')], 1, /^error: imageFolder: cannot read /m],
      [
        [
          'score',
          '--data',
          data,
          '--model',
          join(model, 'generator'),
          '--classifier',
          join(model, 'none'),
        ],
        1,
        /^error: no classifier in .*: train one first/m,
      ],
      [
        ['--data', data, ...small, '--batch', '200', '--out', scratch()],
        1,
        /^error: 100 images make no batch of 200: lower --batch$/m,
      ],
    ];
    for (const [args, code, line] of cases) {
      const failed = await fails(args);
      expect(failed.code, args.join(' ')).toBe(code);
      expect(failed.stderr, args.join(' ')).toMatch(line);
      expect(failed.stderr, args.join(' ')).not.toMatch(/^\s+at /m);
    }
  });
});
