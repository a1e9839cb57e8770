import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Fresh temporary directories for a test file (Node only), all removed after its last test:
 * `const scratch = scratchDirs('gan-ckpt-'); const dir = await scratch();`.
 */
export function scratchDirs(prefix: string): () => Promise<string> {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}

/** The flags every suite starts Debian's Chromium with: SwiftShader WebGL, nothing from the network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The installed Chromium (`GAN_CHROMIUM`, default /usr/bin/chromium): never a browser a tool downloads. */
export const CHROMIUM = process.env.GAN_CHROMIUM ?? '/usr/bin/chromium';
