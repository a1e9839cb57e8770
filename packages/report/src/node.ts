export { type CompareRunsHtmlOptions, compareCharts, compareRunsHtml } from './node/compare-html';
export {
  type GridFile,
  type RunInfo,
  type RunRecord,
  readJsonl,
  readRun,
} from './node/read-run';
export { type RunReportHtmlOptions, runReportHtml, scoreTable } from './node/report-html';
export { chartFileName, type RunReportOptions, runReport } from './node/run-report';
export { compareRuns, writeRunReport } from './node/write';
