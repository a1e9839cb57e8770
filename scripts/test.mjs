#!/usr/bin/env node
// `npm test`: builds every package, checks the packed tarballs, then runs every suite on cpu and
// wasm (Node) and webgl (headless Chromium). It installs nothing: without a Chromium the webgl
// suites are skipped and it says so (CI installs Debian's chromium and sets GAN_REQUIRE_BROWSER=1,
// which makes a missing one an error). Extra arguments go to vitest (`npm test -- packages/core`).
// GAN_SKIP_BROWSER=1 skips the webgl project, GAN_SKIP_PACK=1 the packaging check;
// GAN_CHROMIUM points at another Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
process.env.TURBO_TELEMETRY_DISABLED = '1';
const chromium = process.env.GAN_CHROMIUM ?? '/usr/bin/chromium';

function run(command, args, options = {}) {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** Why the webgl suites cannot run here, or undefined when they can. */
function browserMissing() {
  if (process.env.GAN_SKIP_BROWSER === '1') return 'GAN_SKIP_BROWSER=1';
  if (existsSync(chromium)) return undefined;
  const why = `no Chromium at ${chromium} (apt-get install chromium, or set GAN_CHROMIUM)`;
  if (process.env.GAN_REQUIRE_BROWSER === '1') {
    console.error(`GAN_REQUIRE_BROWSER=1 but ${why}`);
    process.exit(1);
  }
  return why;
}

const skipBrowser = browserMissing();
if (skipBrowser) {
  console.log(`webgl suites skipped: ${skipBrowser}`);
  // The example's dashboard test and the browser suites read this too.
  process.env.GAN_SKIP_BROWSER = '1';
}
if (run('npx', ['turbo', 'run', 'build', 'build:addon', '--output-logs=errors-only']) !== 0)
  process.exit(1);
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
  const { numPassedTests, numFailedTests, numPendingTests, numTodoTests, testResults } = JSON.parse(
    readFileSync(report, 'utf8'),
  );
  // A file that fails before its tests run (an import, a describe body) counts as one failure.
  const brokenFiles = testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((t) => t.status === 'failed'),
  ).length;
  console.log(
    `\n${numPassedTests} passed, ${numFailedTests + brokenFiles} failed, ${numPendingTests + numTodoTests} skipped`,
  );
}
rmSync(reportDir, { recursive: true, force: true });
if (skipBrowser) console.log(`(webgl suites skipped: ${skipBrowser})`);
process.exit(status);
