export { toImageTensor, toUint8 } from './normalize';
