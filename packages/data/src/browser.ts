export { type BrowserLoadOptions, decodeBlob, imageFiles, imageUrls } from './browser/loaders';
