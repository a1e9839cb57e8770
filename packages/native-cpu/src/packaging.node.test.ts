import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testBackend } from '@gan/test-utils';
import { describe, expect, it } from 'vitest';
import { binaryName, prebuiltPlatforms } from './loader';

const root = new URL('..', import.meta.url).pathname;
const read = (...path: string[]) => JSON.parse(readFileSync(join(root, ...path), 'utf8'));

describe.runIf(testBackend() === 'cpu')('the platform packages (npm/<platform>/)', () => {
  const main = read('package.json');
  const platforms = readdirSync(join(root, 'npm'));

  it('are exactly the optional dependencies, at the main package version (scripts/platforms.mjs sync)', () => {
    const names = platforms.map((p) => read('npm', p, 'package.json').name);
    expect(main.optionalDependencies).toEqual(
      Object.fromEntries(names.map((n) => [n, main.version])),
    );
    expect([...platforms].sort()).toEqual([...prebuiltPlatforms].sort());
  });

  it('are named, and restricted to their platform, as the loader expects', () => {
    for (const platform of platforms) {
      const manifest = read('npm', platform, 'package.json');
      const [os, cpu, libc] = platform.split('-');
      expect(manifest).toMatchObject({
        name: `@gan/native-cpu-${platform}`,
        version: main.version,
        main: binaryName,
        files: [binaryName, 'README.md'],
        os: [os],
        cpu: [cpu],
      });
      if (os === 'linux') expect(manifest.libc).toEqual([libc === 'gnu' ? 'glibc' : 'musl']);
    }
  });
});
