export {
  type DcganDiscriminatorOptions,
  type DcganGeneratorOptions,
  type DcganInit,
  dcganDiscriminator,
  dcganGenerator,
} from './dcgan';
export { type StagePlan, stagePlan } from './stages';
