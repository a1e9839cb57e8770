#!/usr/bin/env node
// `npm run example:pokemon [-- args]` and friends: builds what the example needs (quietly: turbo's
// output only when a build fails), then runs one of its npm scripts with every argument passed
// through — `npm run example:pokemon -- --epochs 200`, `-- --help`.
//   node scripts/example.mjs <workspace> <script> [args…]
import { spawn } from 'node:child_process';

const [workspace, script, ...args] = process.argv.slice(2);
if (!workspace || !script) {
  console.error('usage: node scripts/example.mjs <workspace> <script> [args…]');
  process.exit(2);
}
const root = new URL('..', import.meta.url).pathname;
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

/** Runs a command to its end; its output is kept and shown only if it fails. */
function quietly(command, commandArgs) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = [];
    child.stdout.on('data', (d) => output.push(d));
    child.stderr.on('data', (d) => output.push(d));
    child.on('close', (code) => resolve({ code, output: Buffer.concat(output).toString() }));
  });
}

const started = performance.now();
// A cached build takes a second or two; say something only when it is a real one.
const notice = setTimeout(
  () => console.log('building the @gan/* packages (about a minute the first time)…'),
  2000,
);
const build = await quietly('npx', [
  'turbo',
  'run',
  'build',
  'build:addon',
  `--filter=${workspace}...`,
  '--output-logs=errors-only',
]);
clearTimeout(notice);
if (build.code !== 0) {
  process.stderr.write(build.output);
  console.error(`the build failed (exit ${build.code}); its output is above`);
  process.exit(1);
}
const seconds = (performance.now() - started) / 1000;
if (seconds > 2) console.log(`built in ${seconds.toFixed(0)} s`);

// The example handles Ctrl-C itself (it stops after the iteration and saves): wait for it.
process.on('SIGINT', () => {});
const child = spawn('npm', ['run', '--silent', script, '-w', workspace, '--', ...args], {
  cwd: root,
  env,
  stdio: 'inherit',
});
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
