export { decodeImage } from './node/decode';
export { idxImages } from './node/idx';
export { type ImageFolderOptions, imageFolder } from './node/image-folder';
export type { LoadOptions } from './node/load-files';
export { type PokemonSpritesOptions, pokemonSprites } from './node/pokemon';
