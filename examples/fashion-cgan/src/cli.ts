import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ArgumentError, setupBackend } from '@gan/core';
import { choiceFlag, configFlag, exitOnError, positiveFlag, usageError } from '@gan/core/node';
import { nativeCpuBackend } from '@gan/native-cpu';
import { compareRuns, writeRunReport } from '@gan/report/node';
import { progressLine } from '@gan/trainers/node';
import { trainClassifier } from './classifier';
import { loadLabelled } from './data';
import { generate } from './generate';
import { DEFAULTS } from './recipe';
import { score } from './score';
import { train } from './train';

// Every error ends the run with one line, `error: …` (the stack too with --verbose): exit 2 for a
// usage error (a flag's value, an unknown flag, an argument a function refused), 1 for a failure.
exitOnError({ verbose: process.argv.includes('--verbose') });

const HELP = `fashion-cgan — a class-conditional GAN on Fashion-MNIST with @gan/*

  fashion-cgan [train] [options]      train (the default command)
  fashion-cgan classifier [--out runs/classifier] [--epochs 5]
                                      train the classifier GAN-test uses; prints its test accuracy
  fashion-cgan score --model DIR [--classifier runs/classifier] [--samples 1000] [--inception N]
                                      GAN-test, the classifier's accuracy and intra-class FID-like scores
  fashion-cgan generate --model DIR [--label N|NAME] [--n 10] [--out grid.png] [--seed N]
  fashion-cgan compare DIR DIR... [--out compare.html]
                                      runs side by side: options that differ, scores, grids, charts

Every run folder gets index.html (open it in a browser: configuration, charts, grids, scores),
config.json (the resolved options) and run.json (backend, machine, timings).

Data: Fashion-MNIST from Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist),
or --data DIR: a folder of the four IDX files, or of images in one subfolder per class.

train options:
  --data SRC      fashion (default) | a directory (see above)
  --epochs N      epochs (default ${DEFAULTS.epochs}: about 12 minutes on 2 CPU cores with @gan/native-cpu)
  --steps N       stop after N iterations of this run
  --limit N       train on the first N images only
  --batch N       batch size (default ${DEFAULTS.batchSize})
  --filters N     base filters of both networks (default ${DEFAULTS.filters})
  --latent N      latent size (default ${DEFAULTS.latentDim})
  --conditioning  both (default: projection + auxiliary classifier) | projection | acgan
  --norm NAME     the discriminator's normalisation: spectral (default) | layer | none
  --lr N          Adam's learning rate of both networks (default ${DEFAULTS.learningRate})
  --ema N         EMA decay of the sampled generator (default ${DEFAULTS.emaDecay}; 0 = none)
  --grid-every N  a per-class sample grid every N iterations (default 250)
  --seed N        run seed (default 1)
  --out DIR       run folder (default runs/quick)
  --resume        continue the run folder's latest checkpoint
  --config FILE   repeat a run exactly: the options of its config.json (with --out, --backend,
                  --score only; default folder: the run's own with -repeat)
  --score         after training, score as \`score\` does (needs the classifier)
  --backend NAME  tensorflow-gpu | tensorflow | webgpu | native-cpu | wasm | cpu (default: the best available)
  --log-every N   iterations between progress reports (default 50)

  --verbose       an error's stack trace too (errors print one line: exit 2 for usage, 1 otherwise)
`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    data: { type: 'string' },
    epochs: { type: 'string' },
    steps: { type: 'string' },
    limit: { type: 'string' },
    batch: { type: 'string' },
    filters: { type: 'string' },
    latent: { type: 'string' },
    conditioning: { type: 'string' },
    norm: { type: 'string' },
    lr: { type: 'string' },
    ema: { type: 'string' },
    'grid-every': { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    resume: { type: 'boolean' },
    config: { type: 'string' },
    score: { type: 'boolean' },
    backend: { type: 'string' },
    'log-every': { type: 'string' },
    model: { type: 'string' },
    classifier: { type: 'string' },
    samples: { type: 'string' },
    inception: { type: 'string' },
    label: { type: 'string' },
    n: { type: 'string' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const command = positionals[0] ?? 'train';
const COMMANDS = ['train', 'classifier', 'score', 'generate', 'compare'];
if (!COMMANDS.includes(command))
  usageError(`unknown command ${command}: ${COMMANDS.join(', ')} (--help lists every option)`);
if (command === 'compare') {
  const dirs = positionals.slice(1);
  if (dirs.length < 2) usageError(`compare needs two or more run folders, got ${dirs.length}`);
  console.log(`wrote ${await compareRuns(dirs, values.out ?? 'compare.html')}`);
  process.exit(0);
}

const backend = await setupBackend({
  candidates: [nativeCpuBackend()],
  prefer: values.backend ? [values.backend] : undefined,
}).catch((error: Error) =>
  error instanceof ArgumentError
    ? usageError(`--backend: ${error.message}`)
    : Promise.reject(error),
);

const data = values.data ?? 'fashion';
const seed = positiveFlag('seed', values.seed, DEFAULTS.seed);
const limit = values.limit == null ? undefined : positiveFlag('limit', values.limit, 1);
const classifierDir = values.classifier ?? 'runs/classifier';
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

async function scoreRun(model: string): Promise<void> {
  if (!existsSync(join(classifierDir, 'model.json')))
    throw new Error(
      `no classifier in ${classifierDir}: train one first (fashion-cgan classifier), or pass --classifier DIR`,
    );
  const scores = await score(
    {
      model,
      classifier: classifierDir,
      data,
      samplesPerClass: positiveFlag('samples', values.samples, 1000),
      inceptionPerClass:
        values.inception === '0' ? 0 : positiveFlag('inception', values.inception, 0),
      seed,
    },
    (line) => console.log(line),
  );
  const path = join(dirname(model), 'scores.json');
  writeFileSync(path, `${JSON.stringify(scores, null, 2)}\n`);
  console.log(
    `per class (GAN-test / classifier on real):\n${scores.classes.map((c, i) => `  ${c.padEnd(12)} ${(100 * scores.ganTest.perClass[i]).toFixed(1).padStart(5)}% / ${(100 * scores.classifierAccuracy.perClass[i]).toFixed(1)}%`).join('\n')}\nscores: ${path}`,
  );
}

if (command === 'generate') {
  if (!values.model)
    usageError('generate needs --model DIR (a generator folder, e.g. runs/quick/generator)');
  const done = await generate({
    model: values.model,
    label: values.label,
    n: positiveFlag('n', values.n, 10),
    out: values.out ?? 'grid.png',
    seed,
  }).catch((error: Error) =>
    // A --label the model has no class for is a usage error.
    error.message.startsWith('--label') ? usageError(error.message) : Promise.reject(error),
  );
  console.log(`wrote ${done.images} images of ${done.classes.join(', ')} to ${done.path}`);
  process.exit(0);
}

if (command === 'score') {
  if (!values.model)
    usageError('score needs --model DIR (a generator folder, e.g. runs/quick/generator)');
  await scoreRun(values.model);
  process.exit(0);
}

if (command === 'classifier') {
  const out = values.out ?? classifierDir;
  console.log(`training the classifier on ${data}'s training split; saved to ${out}/`);
  const accuracy = await trainClassifier({
    train: await loadLabelled(data, 'train', limit),
    test: await loadLabelled(data, 'test'),
    epochs: positiveFlag('epochs', values.epochs, 5),
    seed,
    out,
    onEpoch: (epoch, loss) => console.log(`epoch ${epoch}: loss ${loss.toFixed(4)} (${elapsed()})`),
  });
  console.log(
    `classifier accuracy on the real test split: ${(100 * accuracy.accuracy).toFixed(2)}% (${accuracy.count} images; ${elapsed()})`,
  );
  process.exit(0);
}

// Ctrl-C stops between iterations and writes a checkpoint and the outputs; twice quits at once.
const controller = new AbortController();
process.once('SIGINT', () => {
  console.log('\nstopping after this iteration (Ctrl-C again to quit at once)…');
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});

/** The train flags as options, the data as its source (what config.json records). */
function flagOptions() {
  return {
    data,
    limit,
    epochs: positiveFlag('epochs', values.epochs, DEFAULTS.epochs),
    steps: values.steps == null ? undefined : positiveFlag('steps', values.steps, 1),
    batchSize: positiveFlag('batch', values.batch, DEFAULTS.batchSize),
    latentDim: positiveFlag('latent', values.latent, DEFAULTS.latentDim),
    filters: positiveFlag('filters', values.filters, DEFAULTS.filters),
    conditioning: choiceFlag(
      'conditioning',
      values.conditioning,
      ['both', 'projection', 'acgan'] as const,
      DEFAULTS.conditioning,
    ),
    norm: choiceFlag('norm', values.norm, ['spectral', 'layer', 'none'] as const, DEFAULTS.norm),
    emaDecay: values.ema === '0' ? 0 : positiveFlag('ema', values.ema, DEFAULTS.emaDecay, false),
    learningRate: positiveFlag('lr', values.lr, DEFAULTS.learningRate, false),
    criticLearningRate: positiveFlag('lr', values.lr, DEFAULTS.criticLearningRate, false),
    seed,
    gridEvery: positiveFlag('grid-every', values['grid-every'], 250),
    logEvery: positiveFlag('log-every', values['log-every'], 50),
    outDir: values.out ?? 'runs/quick',
  };
}
type Config = ReturnType<typeof flagOptions>;

/** `--config`: a run's saved options, into a folder of its own. */
function configOptions(path: string): Config {
  const given = Object.keys(values).filter((k) => values[k as keyof typeof values] !== undefined);
  const saved = configFlag(path, given, [
    'out',
    'backend',
    'score',
    'verbose',
  ]) as unknown as Config;
  return { ...saved, outDir: values.out ?? `${saved.outDir}-repeat` };
}

const config = values.config ? configOptions(values.config) : flagOptions();
const { outDir } = config;
const images = await loadLabelled(config.data, 'train', config.limit);
console.log(
  `training a class-conditional GAN on ${config.data}: ${images.length} images of ${images.classes?.length} classes (${images.classes?.join(', ')}); outputs in ${outDir}/ (open index.html)`,
);
const result = await train({
  ...config,
  data: images,
  config,
  backend: backend.name,
  resume: values.resume === true,
  signal: controller.signal,
  callbacks: [
    progressLine({
      format: (m) =>
        `D ${m.discriminatorLoss?.toFixed(3)}  G ${m.generatorLoss?.toFixed(3)}` +
        (m.discriminatorAuxiliaryLoss === undefined
          ? ''
          : `  classes D ${m.discriminatorAuxiliaryLoss.toFixed(3)} G ${m.generatorAuxiliaryLoss?.toFixed(3)}`) +
        `  ${m.imagesPerSecond.toFixed(0)} img/s`,
    }),
  ],
});
console.log(
  `${result.stopped ? 'stopped' : 'done'}: ${result.iterations} iterations, ${result.epochs} epochs in ${elapsed()}${result.resumedFrom ? `, resumed from ${result.resumedFrom}` : ''}.\n` +
    `report: ${outDir}/index.html (configuration, charts, grids, scores; compare runs: npm run start -w fashion-cgan -- compare DIR DIR)\n` +
    `outputs: ${outDir}/ (real.png, samples-iteration-*.png a row per class, samples-final.png, progress.gif, charts/*.svg, metrics.jsonl, config.json, run.json, generator/, checkpoints/)\n` +
    `one class: npm run start -w fashion-cgan -- generate --model ${outDir}/generator --label Sneaker`,
);
if (values.score) {
  await scoreRun(join(outDir, 'generator'));
  await writeRunReport(outDir); // with the scores
}
