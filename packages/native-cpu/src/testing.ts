import { testBackend } from '@gan/test-utils';
import { describe } from 'vitest';
import { loadAddon } from './loader';

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
