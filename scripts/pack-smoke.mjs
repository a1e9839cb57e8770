#!/usr/bin/env node
// Packs every published @gan/* package (after `npm run build`), installs the tarballs in a scratch
// directory the way a user would (`npm i` + tfjs from the registry), and checks that each one
// loads with require() and with import() and computes something real. Exits non-zero on failure.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({
    dir: join(root, 'packages', dir),
    manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')),
  }))
  .filter(({ manifest }) => !manifest.private);
const scratch = mkdtempSync(join(tmpdir(), 'gan-pack-'));
const quiet = { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' };

try {
  const tarballs = packages.map(({ dir }) => {
    const [info] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], {
        ...quiet,
        cwd: dir,
      }),
    );
    const leaked = info.files
      .map((f) => f.path)
      .filter((p) => !/^(dist\/|README\.md$|package\.json$|LICENSE)/.test(p));
    if (leaked.length)
      throw new Error(`${info.name} would publish unexpected files: ${leaked.join(', ')}`);
    return join(scratch, info.filename);
  });
  const app = join(scratch, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true }));
  const tfjs = ['core', 'layers', 'backend-cpu'].map((p) => `@tensorflow/tfjs-${p}@4.22.0`);
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, ...tfjs],
    { ...quiet, cwd: app },
  );

  // Subpath entry points load too.
  const names = [
    ...packages.map(({ manifest }) => manifest.name),
    '@gan/trainers/node',
    '@gan/data/node',
    '@gan/data/browser',
  ];
  // One program, run as CommonJS and as ESM: every package loads; core + losses really compute.
  const body = (load) => `
    const tf = ${load('@tensorflow/tfjs-core')};
    ${load('@tensorflow/tfjs-backend-cpu')};
    const loaded = {};
    for (const name of ${JSON.stringify(names)}) loaded[name] = ${load('name')};
    const empty = Object.entries(loaded).filter(([, m]) => Object.keys(m).length === 0).map(([n]) => n);
    if (empty.length) throw new Error('no exports: ' + empty.join(', '));
    const { setupBackend } = loaded['@gan/core'];
    const { gradientPenalty, wassersteinDiscriminatorLoss } = loaded['@gan/losses'];
    await setupBackend({ prefer: ['cpu'], logger: false });
    const critic = (w) => (x) => tf.sum(tf.tanh(tf.mul(x, w)), [1]);
    const [real, fake] = [tf.ones([2, 3]), tf.zeros([2, 3])];
    const gp = tf.grad((w) => gradientPenalty(critic(w), real, fake, { alpha: tf.tensor1d([0.5, 0.5]) }))(tf.scalar(0.3));
    const loss = wassersteinDiscriminatorLoss(critic(tf.scalar(0.3))(real), critic(tf.scalar(0.3))(fake));
    if (!Number.isFinite(gp.dataSync()[0]) || !Number.isFinite(loss.dataSync()[0])) throw new Error('not finite');
    // A trainer with tfjs-layers models: two iterations and a checkpoint.
    const tfl = ${load('@tensorflow/tfjs-layers')};
    const { createTrainer, dcgan, memoryCheckpoints } = loaded['@gan/trainers'];
    const mlp = (i, o) => tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [i], units: o })] });
    const trainer = createTrainer({ ...dcgan(), generator: mlp(2, 2), discriminator: mlp(2, 1), logEvery: 1 });
    const fitted = await trainer.fit(tf.randomNormal([8, 2]), { batchSize: 4, steps: 2 });
    if (!Number.isFinite(fitted.last.discriminatorLoss)) throw new Error('trainer loss not finite');
    await trainer.save(memoryCheckpoints());
    // @gan/fid's WebAssembly kernels travel in the bundle: ‖μ₁−μ₂‖² + (√1 − √4)² = 2.
    const { frechetDistance, simdAvailable } = loaded['@gan/fid'];
    const fd = frechetDistance({ mean: [0, 0], covariance: [1, 0, 0, 1] }, { mean: [1, 0], covariance: [4, 0, 0, 1] });
    if (Math.abs(fd - 2) > 1e-12 || !simdAvailable()) throw new Error('frechetDistance: ' + fd);
    console.log('ok', Object.keys(loaded).length, 'entry points');`;
  writeFileSync(
    join(app, 'check.cjs'),
    `(async () => {${body((m) => (m === 'name' ? 'require(name)' : `require('${m}')`))}})().catch((e) => { console.error(e); process.exit(1); });`,
  );
  writeFileSync(
    join(app, 'check.mjs'),
    body((m) => (m === 'name' ? 'await import(name)' : `await import('${m}')`)),
  );
  for (const file of ['check.cjs', 'check.mjs']) {
    const out = execFileSync('node', [file], { ...quiet, cwd: app }).trim();
    console.log(`pack-smoke: ${file}: ${out}`);
  }
  // The published command runs from node_modules/.bin.
  const help = execFileSync(join(app, 'node_modules', '.bin', 'gan-fid'), ['--help'], quiet);
  if (!help.includes('gan-fid <dirOrStats>')) throw new Error('gan-fid --help printed no usage');
  console.log('pack-smoke: the gan-fid command runs');
  console.log(
    `pack-smoke: ${packages.length} tarballs install; ${names.length} entry points load from CommonJS and ESM`,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
