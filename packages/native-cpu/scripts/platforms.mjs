#!/usr/bin/env node
// Release helpers for the prebuilt-binary packages in npm/<platform>/ (as esbuild and
// @rollup/rollup-* ship theirs):
//   node scripts/platforms.mjs sync      every platform package at @gan/native-cpu's version, and
//                                        @gan/native-cpu's optionalDependencies listing exactly them
//                                        (run after `changeset version`)
//   node scripts/platforms.mjs publish   `npm publish` each platform package that holds its binary
//                                        (run on each platform's release machine, after the build)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const read = (file) => JSON.parse(readFileSync(file, 'utf8'));
const write = (file, json) => writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
const main = read(join(root, 'package.json'));
const platforms = readdirSync(join(root, 'npm')).map((dir) => join(root, 'npm', dir));

const command = process.argv[2];
if (command === 'sync') {
  const optional = {};
  for (const dir of platforms) {
    const manifest = read(join(dir, 'package.json'));
    manifest.version = main.version;
    write(join(dir, 'package.json'), manifest);
    optional[manifest.name] = main.version;
  }
  main.optionalDependencies = optional;
  write(join(root, 'package.json'), main);
  console.log(`synced ${platforms.length} platform package(s) to ${main.version}`);
} else if (command === 'publish') {
  const ready = platforms.filter((dir) => existsSync(join(dir, 'gan_native_cpu.node')));
  if (ready.length === 0) throw new Error('no platform package holds a binary: build first');
  for (const dir of ready)
    execFileSync('npm', ['publish', '--access', 'public'], { cwd: dir, stdio: 'inherit' });
} else {
  console.error('usage: node scripts/platforms.mjs sync|publish');
  process.exit(2);
}
