#!/usr/bin/env node
// Compiles the addon with node-gyp (part of `npm run build`, never an install script). Needs a
// C++ compiler and Debian's libopenblas-dev (its static libopenblas.a is linked in, so the
// .node file stands alone). Without them the build says why and stops short of failing:
// registerNativeKernels() then reports { ok: false, reason } and tfjs keeps its own kernels.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const openblas = '/usr/lib/x86_64-linux-gnu/libopenblas.a';
const missing = [
  !existsSync(openblas) && `${openblas} (apt-get install libopenblas-dev)`,
  !existsSync('/usr/bin/g++') && 'g++ (apt-get install g++)',
].filter(Boolean);
if (missing.length) {
  console.warn(`@gan/native-cpu: not building the addon, missing ${missing.join(', ')}`);
  process.exit(0);
}
const gyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
// Headers from the local Node install when it has them: node-gyp would otherwise download them.
const nodedir = existsSync('/usr/include/node/node_api.h') ? ['--nodedir=/usr'] : [];
execFileSync(process.execPath, [gyp, 'rebuild', ...nodedir, '--jobs=max'], { stdio: 'inherit' });
