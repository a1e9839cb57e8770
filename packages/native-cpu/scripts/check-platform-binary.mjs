#!/usr/bin/env node
// Run in a platform package's folder (its `prepack`): refuses to pack a package without its
// binary, or with a binary that needs more than the C runtime of the machine it will run on.
// `node check-platform-binary.mjs [dir]` also prints the facts a release note states: size,
// shared libraries, the newest glibc symbol version it needs.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? process.cwd());
const { name, os = [] } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const binary = join(dir, 'gan_native_cpu.node');
const fail = (message) => {
  console.error(`${name}: ${message}`);
  process.exit(1);
};
if (!existsSync(binary))
  fail(
    'no gan_native_cpu.node: build it first (npm run build -w @gan/native-cpu with a C++ compiler and a static OpenBLAS)',
  );
const facts = [`${(statSync(binary).size / 2 ** 20).toFixed(2)} MB`];
if (os.includes('linux') && process.platform === 'linux') {
  // Only the C and C++ runtimes may be needed: OpenBLAS is linked in.
  const allowed =
    /^(linux-vdso|libc|libm|libpthread|libdl|librt|libstdc\+\+|libgcc_s|ld-linux[-\w]*)\.so/;
  const libs = execFileSync('ldd', [binary], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s/)[0])
    .filter(Boolean);
  const extra = libs.filter((l) => !allowed.test(l.replace(/^.*\//, '')));
  if (extra.length)
    fail(`the binary needs ${extra.join(', ')} (only the C and C++ runtimes are allowed)`);
  facts.push(`needs ${libs.filter((l) => !l.startsWith('linux-vdso')).join(' ')}`);
  const symbols = execFileSync('objdump', ['-T', binary], { encoding: 'utf8' });
  for (const [lib, prefix] of [
    ['glibc', 'GLIBC_'],
    ['libstdc++', 'GLIBCXX_'],
  ]) {
    const newest = [...new Set(symbols.match(new RegExp(`${prefix}[0-9.]+`, 'g')) ?? [])]
      .map((v) => v.slice(prefix.length))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .at(-1);
    if (newest) facts.push(`${lib} symbols ≤ ${prefix}${newest}`);
  }
}
// stderr: `npm pack --json` owns stdout.
console.error(`${name}: ${facts.join(', ')}`);
