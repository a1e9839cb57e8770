export type { Activation, DiscriminatorNorm, GeneratorNorm, Init } from './blocks';
export {
  type ConditionalDiscriminatorOptions,
  type ConditionalGeneratorOptions,
  conditionalDcganDiscriminator,
  conditionalDcganGenerator,
} from './conditional';
export {
  type DcganDiscriminatorOptions,
  type DcganGeneratorOptions,
  dcganDiscriminator,
  dcganGenerator,
  type MinibatchDiscriminationOptions,
} from './dcgan';
export * from './presets';
export { type StagePlan, stagePlan } from './stages';
