import { checkIterationState, type IterationState, type Schedule } from './schedule';

/** One discriminator update, then one generator update, every iteration (Goodfellow et al. 2014, k = 1). */
export function classic(): Schedule<IterationState> {
  let iteration = 0;
  return {
    name: 'classic',
    next() {
      iteration++;
      return { trainDiscriminator: true, trainGenerator: true };
    },
    getState: () => ({ iteration }),
    setState(state) {
      checkIterationState('classic', state);
      iteration = state.iteration;
    },
  };
}
