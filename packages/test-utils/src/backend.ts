import * as tf from '@tensorflow/tfjs-core';
import { inject } from 'vitest';

/** The backends the suites run on: `cpu` and `wasm` in Node, `webgl` in headless Chromium, and opt-in `webgpu` in Node. */
export type TestBackend = 'cpu' | 'wasm' | 'webgl' | 'webgpu';

declare module 'vitest' {
  export interface ProvidedContext {
    backend: TestBackend;
  }
}

/** The backend this test project runs on (set by the vitest project, visible in test names). */
export function testBackend(): TestBackend {
  return inject('backend');
}

/**
 * Runs `fn` on another registered backend (the cpu reference, usually) and returns plain numbers,
 * so that results of two backends can be compared in one process.
 */
export async function runOnBackend<T>(backend: string, fn: () => T): Promise<T> {
  const previous = tf.getBackend();
  if (!(await tf.setBackend(backend))) throw new Error(`could not switch to backend ${backend}`);
  try {
    return fn();
  } finally {
    await tf.setBackend(previous);
  }
}
