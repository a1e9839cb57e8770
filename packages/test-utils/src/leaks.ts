import * as tf from '@tensorflow/tfjs-core';

function assertSameCount(before: number, label: string): void {
  const after = tf.memory().numTensors;
  if (after !== before) {
    throw new Error(`${label}: tensor count changed from ${before} to ${after} (${after - before > 0 ? 'leak' : 'over-dispose'})`);
  }
}

/** Runs `fn` and fails if the number of live tensors changed (a leak, or an over-eager dispose). */
export function expectNoLeaks<T>(fn: () => T, label = 'expectNoLeaks'): T {
  const before = tf.memory().numTensors;
  const result = fn();
  assertSameCount(before, label);
  return result;
}

/** {@link expectNoLeaks} for async work. */
export async function expectNoLeaksAsync<T>(fn: () => Promise<T>, label = 'expectNoLeaksAsync'): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  assertSameCount(before, label);
  return result;
}
