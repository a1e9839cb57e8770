#!/usr/bin/env node
import { ArgumentError, type BackendCandidate, setupBackend } from '@gan/core';
import { type FidFlags, parseFidArgs } from './cli/flags';
import { runFid } from './cli/run';
import { DEFAULT_BATCH_SIZE } from './extract';
import type { FeatureExtractor } from './extractor';
import { loadInceptionV3 } from './inception-v3';
import { nsfwjsInceptionV3 } from './nsfwjs-extractor';
import { randomConvExtractor } from './random-conv-extractor';

const HELP = `gan-fid — FID (and KID, precision/recall) between two image folders or saved statistics

  gan-fid <dirOrStats> <dirOrStats> [options]

  a dirOrStats is an image folder, pytorch-fid statistics (.npz with mu, sigma), or statistics
  saved by --save-stats / FeatureStats.save()

options:
  --extractor E     nsfwjs (default: the InceptionV3 in npm nsfwjs; offline; FID-LIKE, not
                    comparable to published FID) | inception=PATH_OR_URL (the standard FID
                    network from converted weights: see @gan/fid's README) | random (tiny test net)
  --kid             also KID (needs two folders)
  --precision-recall
                    also improved precision and recall, k = 3 (needs two folders; the first
                    is the real set, the second the generated one)
  --samples N       use at most N images per folder
  --batch N         images per forward pass (default ${DEFAULT_BATCH_SIZE})
  --save-stats OUT  save the first input's statistics (.npz: pytorch-fid format; else @gan/fid's)
  --backend NAME    tensorflow-gpu | tensorflow | webgpu | native-cpu | wasm | cpu (default: the best available)
  --json            print the result as one JSON line
  -h, --help
`;

async function chooseExtractor(spec: FidFlags['extractor']): Promise<FeatureExtractor> {
  if (spec.kind === 'nsfwjs') return nsfwjsInceptionV3();
  if (spec.kind === 'random') return randomConvExtractor({ dim: 64, size: 64 });
  return loadInceptionV3({ from: spec.from });
}

/**
 * The cpu backend with @gan/native-cpu's kernels (an optional peer) as a candidate, tried before
 * wasm; when that package is not installed, a candidate that says so in the backend line.
 */
async function nativeCpu(): Promise<BackendCandidate> {
  try {
    const { nativeCpuBackend } = await import('@gan/native-cpu');
    return nativeCpuBackend();
  } catch (error) {
    const missing = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    const reason = `@gan/native-cpu: ${missing ? 'not installed' : (error as Error).message.split('\n')[0]}`;
    return { name: 'native-cpu', setup: async () => ({ ok: false, reason }) };
  }
}

async function main(): Promise<void> {
  // Every flag is checked before a backend or a model is loaded.
  const flags = parseFidArgs(process.argv.slice(2));
  if (flags.help) {
    process.stdout.write(HELP);
    process.exitCode = flags.help === 'asked' ? 0 : 2;
    return;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  // setupBackend's one line (the choice and why not the better ones), on stderr with the rest.
  await setupBackend({
    candidates: [await nativeCpu()],
    prefer: flags.backend ? [flags.backend] : undefined,
    logger: log,
  });
  const extractor = await chooseExtractor(flags.extractor);
  log(`extractor: ${extractor.name}`);
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  const result = await runFid(flags.inputs[0], flags.inputs[1], {
    extractor,
    samples: flags.samples,
    batchSize: flags.batchSize,
    kid: flags.kid,
    precisionRecall: flags.precisionRecall,
    saveStats: flags.saveStats,
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
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  process.stdout.write(`${result.label}: ${result.fid.toFixed(4)}\n`);
  if (result.kid)
    process.stdout.write(
      `${result.kid.label}: ${result.kid.mean.toFixed(6)} ± ${result.kid.std.toFixed(6)}\n`,
    );
  if (result.precisionRecall) {
    const { label, precision, recall } = result.precisionRecall;
    process.stdout.write(
      `${label}: precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)}\n`,
    );
  }
  process.stdout.write(
    `extractor: ${result.extractor}\nresize: ${result.resize}\nimages: ${result.counts.join(' vs ')}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).message}\n`);
  // A misused flag is a usage error (2), like a wrong number of inputs.
  process.exitCode =
    error instanceof ArgumentError && (error as ArgumentError).fn === 'gan-fid' ? 2 : 1;
});
