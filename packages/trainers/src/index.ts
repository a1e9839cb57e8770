export { classic } from './classic';
export { type CriticScheduleOptions, critic } from './critic';
export type { IterationState, Schedule, ScheduleDecision, ScheduleFeedback } from './schedule';
