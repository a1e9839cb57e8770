import * as tf from '@tensorflow/tfjs-core';

function check(before: number, result: unknown, label: string): void {
  // Tensors the function returns are its output, not a leak.
  const returned = tf.tensor_util.getTensorsInContainer(result as tf.TensorContainer).length;
  const added = tf.memory().numTensors - before;
  if (added !== returned) {
    throw new Error(
      `${label}: ${added} tensors more than before, ${returned} returned ` +
        `(${added > returned ? `${added - returned} leaked` : `${returned - added} over-disposed`})`,
    );
  }
}

/** Runs `fn` and fails if it leaves tensors behind other than those it returns (or disposed too many). */
export function expectNoLeaks<T>(fn: () => T, label = 'expectNoLeaks'): T {
  const before = tf.memory().numTensors;
  const result = fn();
  check(before, result, label);
  return result;
}

/** {@link expectNoLeaks} for async work. */
export async function expectNoLeaksAsync<T>(
  fn: () => Promise<T>,
  label = 'expectNoLeaksAsync',
): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  check(before, result, label);
  return result;
}
