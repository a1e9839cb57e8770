// Vitest setup file of every project: activates the project's backend through @gan/core's own
// setupBackend (so that path is exercised too; for webgpu it loads Dawn and the backend package)
// and keeps `cpu` registered as the reference.
import '@tensorflow/tfjs-backend-cpu';
import { setupBackend } from '@gan/core';
import { beforeAll } from 'vitest';
import { testBackend } from './backend';

const backend = testBackend();
if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
if (backend === 'webgl') await import('@tensorflow/tfjs-backend-webgl');

beforeAll(async () => {
  const info = await setupBackend({
    prefer: [backend],
    allowSoftwareWebgl: backend === 'webgl',
    logger: null,
  });
  if (info.backend !== backend)
    throw new Error(`test set-up: wanted ${backend}, got ${info.backend}`);
});
