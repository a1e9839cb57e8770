#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { exitOnError, usageError } from '@gan/core/node';
import { compareRuns, writeRunReport } from './node/write';

exitOnError({ verbose: process.argv.includes('--verbose') });

const HELP = `gan-report — look at GAN runs (folders written by @gan/trainers' callbacks)

  gan-report report DIR                     (re)write DIR/index.html from the run's files
  gan-report compare DIR DIR... [--out F]   two or more runs side by side (default compare.html)

  --verbose   an error's stack trace too
`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string', short: 'o' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
const [command, ...dirs] = positionals;
if (values.help || command == null) {
  console.log(HELP);
  process.exit(command == null && !values.help ? 2 : 0);
}
// No top-level await: the command builds as CommonJS too. A rejection reaches exitOnError.
async function main(): Promise<void> {
  if (command === 'report') {
    if (dirs.length !== 1) usageError('report takes one run folder');
    console.log(`wrote ${await writeRunReport(dirs[0])}`);
  } else if (command === 'compare') {
    if (dirs.length < 2) usageError(`compare takes two or more run folders, got ${dirs.length}`);
    console.log(`wrote ${await compareRuns(dirs, values.out ?? 'compare.html')}`);
  } else usageError(`unknown command ${command}: report or compare (--help)`);
}
void main();
