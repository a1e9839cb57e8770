export { decodeImage } from './node/decode';
export {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_DIR,
  type FashionMnistOptions,
  fashionMnist,
  type IdxImagesOptions,
  idxImages,
  idxLabels,
} from './node/idx';
export { type ImageFolderOptions, imageFolder } from './node/image-folder';
export type { LoadOptions } from './node/load-files';
export { type PokemonSpritesOptions, pokemonSprites } from './node/pokemon';
