#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { setupBackend } from '@gan/core';
import { runFid } from './cli/run';
import type { FeatureExtractor } from './extractor';
import { loadInceptionV3 } from './inception-v3';
import { nsfwjsInceptionV3 } from './nsfwjs-extractor';
import { randomConvExtractor } from './random-conv-extractor';

const HELP = `gan-fid — FID (and KID) between two image folders or saved statistics

  gan-fid <dirOrStats> <dirOrStats> [options]

  a dirOrStats is an image folder, pytorch-fid statistics (.npz with mu, sigma), or statistics
  saved by --save-stats / FeatureStats.save()

options:
  --extractor E     nsfwjs (default: the InceptionV3 in npm nsfwjs; offline; FID-LIKE, not
                    comparable to published FID) | inception=PATH_OR_URL (the standard FID
                    network from converted weights: see @gan/fid's README) | random (tiny test net)
  --kid             also KID (needs two folders)
  --samples N       use at most N images per folder
  --batch N         images per forward pass (default 16)
  --save-stats OUT  save the first input's statistics (.npz: pytorch-fid format; else @gan/fid's)
  --backend NAME    tensorflow-gpu | tensorflow | webgpu | native-cpu | wasm | cpu (default: the best available)
  --json            print the result as one JSON line
  -h, --help
`;

async function chooseExtractor(spec: string): Promise<FeatureExtractor> {
  if (spec === 'nsfwjs') return nsfwjsInceptionV3();
  if (spec === 'random') return randomConvExtractor({ dim: 64, size: 64 });
  if (spec.startsWith('inception='))
    return loadInceptionV3({ from: spec.slice('inception='.length) });
  throw new Error(`gan-fid: unknown --extractor ${spec} (nsfwjs | inception=PATH | random)`);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      extractor: { type: 'string', default: 'nsfwjs' },
      kid: { type: 'boolean', default: false },
      samples: { type: 'string' },
      batch: { type: 'string', default: '16' },
      'save-stats': { type: 'string' },
      backend: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length !== 2) {
    process.stdout.write(HELP);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  // setupBackend's one line (the choice and why not the better ones), on stderr with the rest.
  await setupBackend({
    prefer: values.backend ? [values.backend as never] : undefined,
    logger: log,
  });
  const extractor = await chooseExtractor(values.extractor);
  log(`extractor: ${extractor.name}`);
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  const result = await runFid(positionals[0], positionals[1], {
    extractor,
    samples: values.samples ? Number(values.samples) : undefined,
    batchSize: Number(values.batch),
    kid: values.kid,
    saveStats: values['save-stats'],
    log,
    onProgress(path, done, total) {
      const fraction = total ? done / total : 0;
      if (tty) {
        const bar = '█'.repeat(Math.round(fraction * 30)).padEnd(30, '·');
        process.stderr.write(
          `\r${path} ${bar} ${done}/${total ?? '?'}${done === total ? '\n' : ''}`,
        );
      } else if (Math.floor(fraction * 10) !== lastTenth || done === total) {
        lastTenth = Math.floor(fraction * 10);
        log(`${path}: ${done}/${total ?? '?'} images`);
      }
    },
  });
  extractor.dispose();
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  process.stdout.write(`${result.label}: ${result.fid.toFixed(4)}\n`);
  if (result.kid)
    process.stdout.write(
      `${result.kid.label}: ${result.kid.mean.toFixed(6)} ± ${result.kid.std.toFixed(6)}\n`,
    );
  process.stdout.write(
    `extractor: ${result.extractor}\nresize: ${result.resize}\nimages: ${result.counts.join(' vs ')}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
});
