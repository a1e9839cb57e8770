export { drawToCanvas } from './browser/canvas';
export { type BrowserLoadOptions, decodeBlob, imageFiles, imageUrls } from './browser/loaders';
