import { parseArgs } from 'node:util';
import { setupBackend } from '@gan/core';
import { type Progress, train } from './train';

const HELP = `pokemon-wgan — WGAN-GP with @gan/* (quick mode: synthetic sprites until @gan/data loads Pokémon)

  --steps N       critic iterations (default 1000; the generator trains every --n-critic)
  --batch N       batch size (default 32)
  --res N         resolution, s·2^k with s in 3…7 (default 16)
  --filters N     base filters of both networks (default 16)
  --latent N      latent size (default 32)
  --n-critic N    critic updates per generator update (default 5)
  --seed N        run seed (default 1)
  --out DIR       output folder (default runs/quick)
  --backend NAME  tensorflow-gpu | tensorflow | webgpu | wasm | cpu (default: the best available)
  --log-every N   iterations between progress lines (default 10)
`;

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value == null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer, got ${value}`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: {
    steps: { type: 'string' },
    batch: { type: 'string' },
    res: { type: 'string' },
    filters: { type: 'string' },
    latent: { type: 'string' },
    'n-critic': { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    backend: { type: 'string' },
    'log-every': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const backend = await setupBackend(values.backend ? { prefer: [values.backend as never] } : {});
const tty = process.stdout.isTTY === true;
const line = (p: Progress) =>
  `step ${p.step}/${p.steps}  critic ${p.criticLoss.toFixed(3)}  generator ${p.generatorLoss.toFixed(3)}  ` +
  `W ≈ ${p.wasserstein.toFixed(3)}  ${p.imagesPerSecond.toFixed(0)} img/s`;

// Ctrl-C stops after the current step and still writes the outputs.
const controller = new AbortController();
process.once('SIGINT', () => {
  console.log('\nstopping after this step (Ctrl-C again to quit at once)…');
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});

const outDir = values.out ?? 'runs/quick';
console.log(`training WGAN-GP on ${backend.name} (${backend.description}); outputs in ${outDir}/`);
const started = performance.now();
const result = await train({
  steps: integer('steps', values.steps, 1000),
  batchSize: integer('batch', values.batch, 32),
  resolution: integer('res', values.res, 16),
  filters: integer('filters', values.filters, 16),
  latentDim: integer('latent', values.latent, 32),
  nCritic: integer('n-critic', values['n-critic'], 5),
  seed: integer('seed', values.seed, 1),
  logEvery: integer('log-every', values['log-every'], 10),
  outDir,
  signal: controller.signal,
  // A TTY gets one updating line; logs and CI get plain lines.
  onProgress: (p) => (tty ? process.stdout.write(`\r${line(p)}   `) : console.log(line(p))),
});
if (tty) process.stdout.write('\n');
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `${result.stopped ? 'stopped' : 'done'} after ${result.steps} steps in ${seconds} s; wrote ${result.files.join(', ')}`,
);
