import { SeedStream } from '@gan/core';
import { testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe } from 'vitest';
import { loadAddon } from './loader';
import { registerNativeKernels, unregisterNativeKernels } from './register';

/**
 * `describe` for suites that need the compiled addon, on the cpu project (the kernels are for
 * tfjs's cpu backend). Without a binary the suite is skipped and its title says why — unless
 * GAN_REQUIRE_NATIVE=1 (CI, which builds the addon), where a missing binary fails the run.
 */
export function nativeSuite(title: string, body: () => void): void {
  if (testBackend() !== 'cpu') {
    describe.skip(title, body);
    return;
  }
  const loaded = loadAddon();
  if (!('reason' in loaded)) describe(title, body);
  else if (process.env.GAN_REQUIRE_NATIVE === '1')
    throw new Error(`GAN_REQUIRE_NATIVE=1 but the addon does not load: ${loaded.reason}`);
  else describe.skip(`${title} — skipped: ${loaded.reason}`, body);
}

/**
 * `fn` with tfjs's JavaScript kernels, then with the native ones: both results as arrays (and
 * dtypes), leaving the native kernels registered.
 */
export function both(fn: () => tf.Tensor): [tf.TypedArray, tf.TypedArray] {
  unregisterNativeKernels();
  const reference = tf.tidy(fn);
  const js = reference.dataSync();
  reference.dispose();
  if (!registerNativeKernels().ok) throw new Error('the native kernels do not load');
  const native = tf.tidy(fn);
  const out = native.dataSync();
  native.dispose();
  return [out, js];
}

/** A seeded source of random shapes and tensors for the kernel tests. */
export function randomness(seed: number) {
  const s = new SeedStream(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(s.uniform() * (hi - lo + 1));
  const random = (shape: number[], std = 1) =>
    tf.randomNormal(shape, 0, std, 'float32', s.nextSeed());
  return { s, int, random };
}
