export type { Schedule, ScheduleDecision, ScheduleFeedback, IterationState } from './schedule';
export { classic } from './classic';
export { critic, type CriticScheduleOptions } from './critic';
