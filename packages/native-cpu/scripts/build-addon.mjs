#!/usr/bin/env node
// Compiles the addon (part of `npm run build`, after tsup; never an install script, so
// `npm install` never compiles). It needs a C++17 compiler and a CBLAS:
//   compiler  $CXX, else `c++`
//   BLAS      $GAN_BLAS_LIB (a libopenblas.a / .so / .dylib, with $GAN_BLAS_INCLUDE holding cblas.h),
//             else pkg-config's `openblas`, else the compiler's own search path (libopenblas.a),
//             else (macOS) Apple's Accelerate framework.
// Without them it prints one line saying what is missing and exits 0: registerNativeKernels()
// then uses a prebuilt binary package if one is installed, or tfjs keeps its JavaScript kernels.
// Built against a static OpenBLAS, the stripped binary is also copied into the matching
// platform package (npm/<platform>/), which is what a release publishes.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { binaryName, platformId } from '../dist/index.js';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const out = join(root, 'build', 'Release', binaryName);
const say = (message) => console.log(`@gan/native-cpu: ${message}`);

/** stdout of a command, or undefined when it cannot run or fails. */
function output(command, args) {
  const r = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function findCompiler() {
  const cxx = process.env.CXX || 'c++';
  // A compiler that cannot compile (no cc1plus, no libstdc++ headers) counts as none.
  const probe = spawnSync(cxx, ['-x', 'c++', '-std=c++17', '-fsyntax-only', '-'], {
    input: '#include <vector>\nint main() { return std::vector<int>(1)[0]; }\n',
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  return probe.status === 0 ? cxx : undefined;
}

/** { description, cflags, libs, static } of the BLAS to link, or undefined. */
function findBlas(cxx) {
  const env = process.env.GAN_BLAS_LIB;
  if (env) {
    if (!existsSync(env)) throw new Error(`GAN_BLAS_LIB=${env} does not exist`);
    const include = process.env.GAN_BLAS_INCLUDE;
    return {
      description: `${env} (GAN_BLAS_LIB)`,
      cflags: include ? [`-I${include}`] : [],
      libs: [env],
      static: env.endsWith('.a'),
    };
  }
  const libdir = output('pkg-config', ['--variable=libdir', 'openblas']);
  if (libdir) {
    const cflags = (output('pkg-config', ['--cflags', 'openblas']) ?? '')
      .split(/\s+/)
      .filter(Boolean);
    const archive = join(libdir, 'libopenblas.a');
    if (existsSync(archive))
      return { description: `${archive} (pkg-config)`, cflags, libs: [archive], static: true };
    const libs = (output('pkg-config', ['--libs', 'openblas']) ?? '').split(/\s+/).filter(Boolean);
    return { description: `${libs.join(' ')} (pkg-config, shared)`, cflags, libs, static: false };
  }
  // The compiler knows its library search path: -print-file-name echoes the name when not found.
  const archive = output(cxx, ['-print-file-name=libopenblas.a']);
  if (archive && archive !== 'libopenblas.a' && existsSync(archive))
    return {
      description: `${archive} (compiler search path)`,
      cflags: [],
      libs: [archive],
      static: true,
    };
  if (process.platform === 'darwin')
    return {
      description: 'Accelerate.framework',
      cflags: ['-DGAN_BLAS_ACCELERATE'],
      libs: ['-framework', 'Accelerate'],
      static: false,
    };
  return undefined;
}

function main() {
  if (process.platform === 'win32') {
    say(
      'not building the addon: this build script does not support Windows yet (tfjs kernels are used)',
    );
    return;
  }
  const cxx = findCompiler();
  const blas = cxx && findBlas(cxx);
  if (!cxx || !blas) {
    const missing = !cxx
      ? 'a C++ compiler (set CXX)'
      : 'OpenBLAS (pkg-config openblas, or set GAN_BLAS_LIB)';
    say(
      `addon not built: no ${missing}. registerNativeKernels() will use a prebuilt binary package ` +
        `if installed; to build: apt-get install g++ libopenblas-dev pkg-config`,
    );
    return;
  }
  const sources = readdirSync(join(root, 'src', 'native'))
    .filter((f) => f.endsWith('.cc') || f.endsWith('.h'))
    .sort()
    .map((f) => join(root, 'src', 'native', f));
  const flags = [
    '-O3',
    '-std=c++17',
    '-fPIC',
    '-shared',
    '-fvisibility=hidden',
    '-fno-exceptions',
    // Each float op rounded on its own (no fused multiply-adds): results equal tfjs's, bit for bit,
    // where the kernels mirror its arithmetic (Adam's update).
    '-ffp-contract=off',
    '-DNAPI_VERSION=8',
    '-DNAPI_DISABLE_CPP_EXCEPTIONS',
    `-I${require('node-api-headers').include_dir}`,
    `-I${require('node-addon-api').include_dir}`,
    ...blas.cflags,
  ];
  const link =
    process.platform === 'darwin'
      ? ['-undefined', 'dynamic_lookup', ...blas.libs]
      : // OpenBLAS linked in with its symbols kept private; the C++ runtime stays shared (Node
        // loads it anyway; linking it in would raise the glibc the binary needs from 2.34 to 2.36).
        [...blas.libs, '-lpthread', '-lm', '-Wl,--exclude-libs,ALL', '-s'];
  const units = sources.filter((f) => f.endsWith('.cc'));
  const command = [...flags, ...units, '-o', `${out}.tmp`, ...link];

  // Rebuild only when the sources, flags, compiler or library changed.
  const hash = createHash('sha256');
  for (const f of sources) hash.update(readFileSync(f));
  hash.update(JSON.stringify(command));
  hash.update(output(cxx, ['--version']) ?? '');
  for (const lib of blas.libs.filter((l) => existsSync(l)))
    hash.update(`${lib}:${statSync(lib).size}:${statSync(lib).mtimeMs}`);
  const key = hash.digest('hex');
  const stamp = `${out}.stamp`;
  const platformDir = join(root, 'npm', platformId());
  const platformBinary = join(platformDir, binaryName);
  const upToDate =
    existsSync(out) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === key &&
    (!blas.static || !existsSync(platformDir) || existsSync(platformBinary));
  if (upToDate) return;

  mkdirSync(dirname(out), { recursive: true });
  const started = performance.now();
  const compile = spawnSync(cxx, command, { cwd: root, encoding: 'utf8' });
  if (compile.status !== 0) {
    rmSync(`${out}.tmp`, { force: true });
    process.stderr.write(compile.stdout + compile.stderr);
    throw new Error(`@gan/native-cpu: ${cxx} failed (exit ${compile.status})`);
  }
  renameSync(`${out}.tmp`, out);
  writeFileSync(stamp, key);
  const size = (statSync(out).size / 2 ** 20).toFixed(1);
  let where = '';
  if (existsSync(platformDir)) {
    // Only a binary that stands alone may be published; a stale one must not linger.
    if (blas.static) {
      copyFileSync(out, platformBinary);
      where = ` and npm/${platformId()}/`;
    } else rmSync(platformBinary, { force: true });
  }
  say(
    `built ${binaryName} (${size} MB, ${blas.description}) in ${((performance.now() - started) / 1000).toFixed(0)} s → build/Release/${where}`,
  );
  // Prove it loads in this Node before anyone relies on it.
  execFileSync(process.execPath, ['-e', `require(${JSON.stringify(out)}).config()`]);
}

main();
