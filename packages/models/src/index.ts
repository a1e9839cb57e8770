export {
  dcganGenerator,
  dcganDiscriminator,
  type DcganGeneratorOptions,
  type DcganDiscriminatorOptions,
  type DcganInit,
} from './dcgan';
export { stagePlan, type StagePlan } from './stages';
