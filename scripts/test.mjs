#!/usr/bin/env node
// `npm test`: installs what the suites need (Debian's Chromium for the WebGL project), builds
// every package, then runs every suite on cpu and wasm (Node) and webgl (headless Chromium).
// Extra arguments go to vitest (`npm test -- packages/core`). GAN_SKIP_BROWSER=1 skips the
// webgl project, GAN_SKIP_PACK=1 the packaging check; GAN_CHROMIUM points at another Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
process.env.TURBO_TELEMETRY_DISABLED = '1';
const chromium = process.env.GAN_CHROMIUM ?? '/usr/bin/chromium';
const skipBrowser = process.env.GAN_SKIP_BROWSER === '1';

function run(command, args, options = {}) {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function ensureChromium() {
  if (skipBrowser || existsSync(chromium)) return;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    console.error(
      `Chromium not found at ${chromium}. Install Debian's chromium (apt-get install chromium), ` +
        'set GAN_CHROMIUM to a Chromium binary, or set GAN_SKIP_BROWSER=1 to skip the webgl suites.',
    );
    process.exit(1);
  }
  console.log('Installing Debian chromium for the WebGL test project…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (
    run('apt-get', ['update', '-qq'], { env }) !== 0 ||
    run('apt-get', ['install', '-y', '-qq', 'chromium'], { env }) !== 0
  ) {
    console.error('apt-get could not install chromium');
    process.exit(1);
  }
}

ensureChromium();
if (run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only']) !== 0) process.exit(1);
// The packed tarballs must install and load (CJS + ESM) the way a user gets them.
if (process.env.GAN_SKIP_PACK !== '1' && run('node', ['scripts/pack-smoke.mjs']) !== 0)
  process.exit(1);

const reportDir = mkdtempSync(join(tmpdir(), 'gan-test-'));
const report = join(reportDir, 'vitest.json');
const projects = skipBrowser ? ['--project', 'cpu', '--project', 'wasm'] : [];
const status = run('npx', [
  'vitest',
  'run',
  ...projects,
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);

// One closing line in the form CI tools read: "N passed, N failed, N skipped".
if (existsSync(report)) {
  const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = JSON.parse(
    readFileSync(report, 'utf8'),
  );
  console.log(
    `\n${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped`,
  );
}
rmSync(reportDir, { recursive: true, force: true });
if (skipBrowser) console.log('(webgl suites skipped: GAN_SKIP_BROWSER=1)');
process.exit(status);
