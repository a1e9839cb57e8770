import { mkdir } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { argError, booleanArg, type Every, everyArg, optionsArg } from '@gan/core';
import { writeFileAtomic } from '@gan/core/node';
import type { TrainerCallback } from '@gan/trainers';
import { getBackend, version_core } from '@tensorflow/tfjs-core';
import { renderChartSvg } from '../charts/render';
import { trainingCharts } from '../charts/training-charts';
import { type RunInfo, readJson, readRun, scorePoints } from './read-run';
import { type RunReportHtmlOptions, reportHtmlOptions, runReportHtml } from './report-html';

export interface RunReportOptions extends RunReportHtmlOptions {
  /** The run folder: `index.html`, `config.json` and `run.json` go there (created by other callbacks' files too). */
  dir: string;
  /**
   * The run's resolved options, as JSON (functions and `undefined` are dropped), written to
   * `config.json` when `fit` starts so the run can be repeated exactly.
   */
  config?: object;
  /** The backend's name as chosen (`setupBackend`'s 'native-cpu', say). Default tfjs's `getBackend()`. */
  backend?: string;
  /**
   * When the report is rewritten (and always when `fit` ends). Default `{ epochs: 1 }`; a
   * rewrite reads the folder and draws every chart (about 0.1 s for 2,000 metrics lines on one
   * CPU core), so runs of many short epochs want a coarser `every`.
   */
  every?: number | Every;
  /** Also each chart as its own SVG file in `dir/charts/` (`losses.svg`, …) when `fit` ends. Default true. */
  chartFiles?: boolean;
}

/** 'Critic's Wasserstein estimate' → 'critics-wasserstein-estimate'. */
export const chartFileName = (title: string) =>
  `${title
    .toLowerCase()
    .replace(/['’]/g, '')
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}.svg`;

/**
 * A callback that keeps a run report in `dir`: `config.json` (the options), `run.json` (status,
 * backend, machine, timings over resumed segments) and `index.html` (`runReportHtml` of the
 * folder: the grids, GIF, scores and metrics other callbacks wrote there). Put it after
 * `sampleGrid`, `metricsJsonl` and the evaluators so that it sees their latest files.
 */
export function runReport(options: RunReportOptions): TrainerCallback {
  const fn = 'runReport';
  optionsArg(fn, options, { required: true });
  if (typeof options.dir !== 'string' || options.dir === '')
    argError(fn, 'dir', 'a folder path', options.dir);
  if (
    options.config !== undefined &&
    (typeof options.config !== 'object' || options.config === null)
  )
    argError(fn, 'config', 'an object (the run options)', options.config);
  if (options.backend !== undefined && typeof options.backend !== 'string')
    argError(fn, 'backend', 'a string', options.backend);
  const every = everyArg(fn, 'every', options.every ?? { epochs: 1 });
  const chartFiles = booleanArg(fn, 'chartFiles', options.chartFiles ?? true);
  // Checked now, not at the first write: a bad option fails before training.
  const { smoothing } = reportHtmlOptions(fn, options);
  const { dir } = options;
  const infoPath = join(dir, 'run.json');
  let info: RunInfo | undefined;
  let since = 0;
  let before = 0;

  const write = async (status: RunInfo['status'], at: { iteration: number; epoch: number }) => {
    if (!info) return;
    const now = new Date().toISOString();
    info = {
      ...info,
      status,
      updated: now,
      iteration: at.iteration,
      epoch: at.epoch,
      seconds: before + (performance.now() - since) / 1000,
    };
    await writeFileAtomic(infoPath, `${JSON.stringify(info, null, 2)}\n`);
    const run = readRun(dir);
    await writeFileAtomic(join(dir, 'index.html'), runReportHtml(run, options));
    if (chartFiles && status !== 'running') {
      await mkdir(join(dir, 'charts'), { recursive: true });
      for (const chart of trainingCharts(run.metrics, scorePoints(run), { smoothing }))
        await writeFileAtomic(
          join(dir, 'charts', chartFileName(chart.title)),
          renderChartSvg(chart),
        );
    }
  };

  return {
    name: fn,
    every,
    async onTrainBegin(trainer, plan) {
      await mkdir(dir, { recursive: true });
      const now = new Date().toISOString();
      const previous =
        plan.startIteration > 0 ? (readJson(infoPath) as RunInfo | undefined) : undefined;
      before = previous?.seconds ?? 0;
      since = performance.now();
      info = {
        status: 'running',
        backend: options.backend ?? getBackend(),
        tfjs: version_core,
        node: process.versions.node,
        platform: `${process.platform}-${process.arch}`,
        cpus: cpus().length,
        started: previous?.started ?? now,
        updated: now,
        seconds: before,
        iteration: plan.startIteration,
        epoch: plan.startEpoch,
        segments: [...(previous?.segments ?? []), { started: now, iteration: plan.startIteration }],
      };
      if (options.config !== undefined)
        await writeFileAtomic(
          join(dir, 'config.json'),
          `${JSON.stringify(options.config, null, 2)}\n`,
        );
      await write('running', trainer.state);
    },
    async onStep(trainer) {
      await write('running', trainer.state);
    },
    async onTrainEnd(trainer, result) {
      await write(result.stopped === 'aborted' ? 'aborted' : 'done', trainer.state);
    },
  };
}
