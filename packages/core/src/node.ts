// `@gan/core/node`: what needs Node's file system. The main entry stays browser-safe.
export {
  modelDir,
  type ReadModelDirOptions,
  readModelDir,
  writeModelDir,
} from './node/model-dir';
