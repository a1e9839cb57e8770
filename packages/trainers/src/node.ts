export { fileCheckpoints } from './node/file-checkpoints';
