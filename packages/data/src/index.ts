export {
  type AdaptiveAugmentation,
  type AdaptiveAugmentationConfig,
  type AdaptiveAugmentationOptions,
  type AdaptiveAugmentationState,
  type AdaTransform,
  adaptiveAugmentation,
} from './ada';
export {
  type DiffAugmentOptions,
  type DiffAugmentPolicy,
  diffAugment,
  diffAugmentation,
  randomFlip,
  randomFlipBatch,
} from './augment';
export { imagesToTensor } from './batches';
export { composite, grayscale, toRgb } from './color';
export { Dataset, type Indexed } from './dataset';
export { centerCrop, letterbox, type PreprocessOptions, preprocess } from './fit';
export { encodeGif, type GifOptions, GifStream } from './gif';
export {
  type ImageGridOptions,
  imageGrid,
  type RgbaImage,
  scaleToWidth,
  upscaleNearest,
} from './grid';
export {
  type BatchOptions,
  ImageDataset,
  type LabelledBatchOptions,
  pixelHash,
  type SplitDatasets,
} from './image-dataset';
export type { ClassLabels } from './labels';
export { toImageTensor, toUint8 } from './normalize';
export { encodePng } from './png';
export { type Color, parseColor, type RawImage, rawImage } from './raw-image';
export type { LoadReport, ProgressFn, SkippedFile } from './report';
export { type ResizeMethod, resize } from './resize';
