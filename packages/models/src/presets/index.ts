export { type AnimeDcganOptions, animeDcgan } from './anime-dcgan';
export { type HrDcganOptions, hrDcgan } from './hr-dcgan';
export { dcganMnist, hrDcganMnist, type MnistGanOptions } from './mnist';
export { type PokemonGanOptions, pokemonGan } from './pokemon';
export { type PytorchDcganOptions, pytorchDcgan } from './pytorch-dcgan';
export type { GanModels, PresetOptions } from './types';
export { type WganGpCriticOptions, wganGpCritic } from './wgan-gp';
