import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@gan/core/node';
import { type CompareRunsHtmlOptions, compareRunsHtml } from './compare-html';
import { readRun } from './read-run';
import { type RunReportHtmlOptions, runReportHtml } from './report-html';

/** (Re)writes `index.html` of a run folder from its files (a run from before `runReport`, say); returns its path. */
export async function writeRunReport(
  dir: string,
  options: RunReportHtmlOptions = {},
): Promise<string> {
  const path = join(resolve(dir), 'index.html');
  await writeFileAtomic(path, runReportHtml(readRun(dir), options));
  return path;
}

/** Writes `compareRunsHtml` of the run folders `dirs` to `out`; returns its path. */
export async function compareRuns(
  dirs: readonly string[],
  out: string,
  options: CompareRunsHtmlOptions = {},
): Promise<string> {
  if (!Array.isArray(dirs) || dirs.length < 2)
    throw new Error(
      `compareRuns: dirs must be two or more run folders, got ${Array.isArray(dirs) ? dirs.length : typeof dirs}`,
    );
  if (typeof out !== 'string' || out === '')
    throw new TypeError(`compareRuns: out must be a file path, got ${String(out)}`);
  const html = compareRunsHtml(dirs.map(readRun), options);
  await writeFileAtomic(resolve(out), html);
  return resolve(out);
}
