import type { Trainer } from './types';

/** Tests: the trainer and the models it was given (a trainer never disposes the user's models). */
export function disposeAll(trainer: Trainer): void {
  const { generator, discriminator } = trainer.context;
  trainer.dispose();
  generator.dispose();
  discriminator.dispose();
}
