#!/usr/bin/env node
// Packs every published @gan/* package (after `npm run build`) and the @gan/native-cpu platform
// package of this machine when it holds a binary, installs the tarballs in a scratch app the way a
// user would (`npm i` + tfjs from the registry), and checks that each one loads with require()
// and with import() and computes something real — the native kernels included. Exits non-zero on
// failure. As root it runs the install and the checks in a private mount namespace with OpenBLAS's
// libraries and headers hidden (tmpfs over their folders), as on a machine that never had them.
// CI=true (or GAN_REQUIRE_NATIVE=1) makes a missing platform binary an error.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const quiet = { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' };
const say = (message) => console.log(`pack-smoke: ${message}`);

if (process.argv[2] === 'check') check(process.argv[3], JSON.parse(process.argv[4]));
else pack();

function manifest(dir) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
}

function pack() {
  const packages = readdirSync(join(root, 'packages'))
    .map((dir) => join(root, 'packages', dir))
    .filter((dir) => !manifest(dir).private);
  const { platformPackage } = JSON.parse(
    execFileSync(
      'node',
      [
        '--input-type=module',
        '-e',
        `import { platformPackage } from '${join(root, 'packages/native-cpu/dist/index.js')}';
         console.log(JSON.stringify({ platformPackage: platformPackage() }))`,
      ],
      quiet,
    ),
  );
  const platformDir = join(
    root,
    'packages/native-cpu/npm',
    platformPackage.replace('@gan/native-cpu-', ''),
  );
  const requireNative = process.env.CI === 'true' || process.env.GAN_REQUIRE_NATIVE === '1';
  const withBinary = existsSync(join(platformDir, 'gan_native_cpu.node'));
  if (withBinary) packages.push(platformDir);
  else if (requireNative)
    throw new Error(`pack-smoke: ${platformPackage} has no binary to publish`);
  else
    say(
      `${platformPackage} has no binary here (no compiler or OpenBLAS): native kernels not checked`,
    );

  const scratch = mkdtempSync(join(tmpdir(), 'gan-pack-'));
  try {
    const tarballs = packages.map((dir) => {
      const [info] = JSON.parse(
        execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], {
          ...quiet,
          cwd: dir,
        }),
      );
      const leaked = info.files
        .map((f) => f.path)
        .filter(
          (p) => !/^(dist\/|README\.md$|package\.json$|LICENSE|gan_native_cpu\.node$)/.test(p),
        );
      if (leaked.length)
        throw new Error(`${info.name} would publish unexpected files: ${leaked.join(', ')}`);
      if (dir === platformDir) say(`${info.name}: ${(info.size / 2 ** 20).toFixed(1)} MB packed`);
      return join(scratch, info.filename);
    });
    const hidden = openblasFolders();
    const args = [
      scratch,
      JSON.stringify({ tarballs, native: withBinary, platformPackage, hidden }),
    ];
    const self = [process.execPath, new URL(import.meta.url).pathname, 'check', ...args];
    // Root can unshare a mount namespace and hide OpenBLAS there; others check as they are.
    const canHide =
      hidden.length > 0 &&
      process.getuid?.() === 0 &&
      spawnSync('unshare', ['-m', 'true']).status === 0;
    const mounts = hidden.map((d) => `mount -t tmpfs tmpfs '${d}'`).join(' && ');
    const result = canHide
      ? spawnSync('unshare', ['-m', 'sh', '-c', `${mounts} && exec "$@"`, 'sh', ...self], {
          stdio: 'inherit',
        })
      : spawnSync(self[0], self.slice(1), { stdio: 'inherit' });
    if (!canHide && hidden.length) say('OpenBLAS stays visible (hiding it needs root and unshare)');
    if (result.status !== 0) process.exit(result.status ?? 1);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The folders holding OpenBLAS's libraries and headers on this machine (pkg-config's view). */
function openblasFolders() {
  const variable = (name) => {
    const r = spawnSync('pkg-config', [`--variable=${name}`, 'openblas'], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : '';
  };
  const cflags = spawnSync('pkg-config', ['--cflags-only-I', 'openblas'], { encoding: 'utf8' });
  const includes = (cflags.stdout ?? '')
    .split(/\s+/)
    .filter((f) => f.startsWith('-I'))
    .map((f) => f.slice(2));
  // Only folders of OpenBLAS's own (Debian's openblas-pthread/ and the like), never /usr/lib itself.
  return [...new Set([variable('libdir'), ...includes])]
    .map((d) => d.replace(/\/$/, ''))
    .filter((d) => d && /openblas/i.test(d) && existsSync(d));
}

function check(scratch, { tarballs, native, platformPackage, hidden }) {
  for (const dir of hidden)
    if (readdirSync(dir).length > 0) throw new Error(`pack-smoke: ${dir} is not hidden`);
  if (hidden.length) say(`OpenBLAS hidden (${hidden.join(', ')} empty in this mount namespace)`);
  const app = join(scratch, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true }));
  const tfjs = ['core', 'layers', 'backend-cpu'].map((p) => `@tensorflow/tfjs-${p}@4.22.0`);
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, ...tfjs],
    { ...quiet, cwd: app },
  );
  const names = tarballs
    .map((t) => JSON.parse(execFileSync('tar', ['-xOzf', t, 'package/package.json'], quiet)).name)
    .filter((n) => n !== platformPackage);
  // Subpath entry points load too.
  names.push(
    '@gan/core/node',
    '@gan/trainers/node',
    '@gan/data/node',
    '@gan/data/browser',
    '@gan/report/node',
  );
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
    await setupBackend({ prefer: ['cpu'], logger: null });
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
    // @gan/core/node: a model directory written (atomically) and read back into tfjs-layers.
    const { join } = ${load('node:path')};
    const { modelDir } = loaded['@gan/core/node'];
    const saved = mlp(2, 3);
    // In the scratch app (removed with it); replaced on the second run (ESM after CommonJS).
    const modelPath = join(process.cwd(), 'generator');
    await saved.save(modelDir(modelPath));
    const back = await tfl.loadLayersModel(modelDir(modelPath));
    const [p, q] = [saved, back].map((m) => Array.from(m.predict(tf.ones([1, 2])).dataSync()));
    if (p.join() !== q.join()) throw new Error('modelDir round trip: ' + p + ' vs ' + q);
    // @gan/fid's WebAssembly kernels travel in the bundle: ‖μ₁−μ₂‖² + (√1 − √4)² = 2.
    const { frechetDistance, simdAvailable } = loaded['@gan/fid'];
    const fd = frechetDistance({ mean: [0, 0], covariance: [1, 0, 0, 1] }, { mean: [1, 0], covariance: [4, 0, 0, 1] });
    if (Math.abs(fd - 2) > 1e-12 || !simdAvailable()) throw new Error('frechetDistance: ' + fd);
    // @gan/report: ECharts draws a chart to SVG with no DOM, as CommonJS and as ESM.
    const svg = loaded['@gan/report'].renderChartSvg({ title: 'Losses', series: [{ name: 'g', points: [[0, 1], [1, 2]] }] });
    if (!svg.includes('<svg') || !svg.includes('Losses')) throw new Error('renderChartSvg: ' + svg.slice(0, 80));
    let native = 'native kernels not checked';
    if (${native}) {
      // The prebuilt binary from the platform package: a convolution equal to tfjs's own kernel.
      const { registerNativeKernels, unregisterNativeKernels } = loaded['@gan/native-cpu'];
      const conv = () => tf.tidy(() => tf.conv2d(tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 1), tf.randomNormal([3, 3, 3, 5], 0, 1, 'float32', 2), 2, 'same').dataSync());
      const js = conv();
      const result = registerNativeKernels();
      if (!result.ok) throw new Error('registerNativeKernels: ' + result.reason);
      if (result.binary.source !== 'prebuilt' || !result.binary.path.includes('node_modules/${platformPackage}/'))
        throw new Error('native kernels from ' + result.binary.path + ', not the platform package');
      const fast = conv();
      unregisterNativeKernels();
      const worst = Math.max(...fast.map((v, i) => Math.abs(v - js[i])));
      if (!(worst < 1e-4)) throw new Error('native conv2d differs from tfjs by ' + worst);
      // The same kernels as @gan/core's setupBackend candidate: two packages that know nothing of each other.
      const chosen = await setupBackend({ candidates: [loaded['@gan/native-cpu'].nativeCpuBackend()], prefer: ['native-cpu'], logger: null });
      if (chosen.name !== 'native-cpu' || chosen.backend !== 'cpu') throw new Error('setupBackend chose ' + chosen.summary);
      unregisterNativeKernels();
      native = 'native kernels from ${platformPackage} (' + result.library.split(' ').slice(0, 2).join(' ') + '), conv2d = tfjs to ' + worst.toExponential(1) + ', chosen by setupBackend';
    }
    console.log('ok', Object.keys(loaded).length, 'entry points;', native);`;
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
    say(`${file}: ${out}`);
  }
  // The published command runs from node_modules/.bin.
  const help = execFileSync(join(app, 'node_modules', '.bin', 'gan-fid'), ['--help'], quiet);
  if (!help.includes('gan-fid <dirOrStats>')) throw new Error('gan-fid --help printed no usage');
  say('the gan-fid command runs');
  say(
    `${tarballs.length} tarballs install; ${names.length} entry points load from CommonJS and ESM`,
  );
}
