// `@gan/core/node`: what needs Node's file system. The main entry stays browser-safe.
export {
  choiceFlag,
  configFlag,
  exitOnError,
  isUsageError,
  positiveFlag,
  usageError,
} from './node/cli';
export { resumeJsonl, writeFileAtomic } from './node/files';
export {
  modelDir,
  type ReadModelDirOptions,
  readModelDir,
  writeModelDir,
} from './node/model-dir';
