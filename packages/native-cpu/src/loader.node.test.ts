import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { testBackend } from '@gan/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { OP_CODES } from './addon';
import { binaryName, loadAddon, platformId, platformPackage, prebuiltPlatforms } from './loader';
import { nativeSuite } from './testing';

const nodeOnly = testBackend() === 'cpu' ? describe : describe.skip;

nodeOnly('loadAddon: where the binary comes from, and what it says when there is none', () => {
  // A module in an empty folder: no platform package to resolve, no local build beside it.
  const scratch = mkdtempSync(join(tmpdir(), 'gan-native-loader-'));
  const from = pathToFileURL(join(scratch, 'src', 'loader.js')).href;
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('names the platform as the binary packages do', () => {
    expect(platformId()).toMatch(
      /^(linux-(x64|arm64|arm|ia32|ppc64|s390x|riscv64)-(gnu|musl)|darwin-(x64|arm64)|win32-(x64|arm64|ia32)-msvc|\w+-\w+)$/,
    );
    if (process.platform === 'linux' && process.arch === 'x64')
      expect(['linux-x64-gnu', 'linux-x64-musl']).toContain(platformId());
    expect(platformPackage()).toBe(`@gan/native-cpu-${platformId()}`);
  });

  it('tells an npm user which package to install when the optional binary package is missing', () => {
    const result = loadAddon(undefined, from);
    expect(result).not.toHaveProperty('addon');
    const { reason } = result as { reason: string };
    if ((prebuiltPlatforms as readonly string[]).includes(platformId()))
      expect(reason).toMatch(
        new RegExp(
          `optional package ${platformPackage()} .* is not installed.*npm install ${platformPackage()}`,
        ),
      );
    else expect(reason).toMatch(/no prebuilt binary for .* build it from a source checkout/);
  });

  it('says so when the platform package is installed without its binary', () => {
    const dir = join(scratch, 'node_modules', ...platformPackage().split('/'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: platformPackage(), version: '0.0.0' }),
    );
    expect(loadAddon(undefined, from)).toEqual({
      reason: expect.stringMatching(/holds no binary: this is a source checkout/),
    });
  });

  it('reports a binary that does not load, naming the file', () => {
    const dir = join(scratch, 'build', 'Release');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, binaryName), 'not an ELF file');
    expect(loadAddon(undefined, from)).toEqual({
      reason: expect.stringMatching(new RegExp(`build/Release/${binaryName} did not load \\(`)),
    });
    expect(loadAddon('/nonexistent/addon.node')).toEqual({
      reason: expect.stringMatching(/^\/nonexistent\/addon\.node did not load/),
    });
  });
});

nodeOnly('registerNativeKernels arguments', () => {
  it('refuses bad options before loading anything', async () => {
    const { expectArgError } = await import('@gan/test-utils');
    const { registerNativeKernels } = await import('./register');
    expectArgError(
      () => registerNativeKernels({ threads: 2.5 }),
      'registerNativeKernels',
      'threads',
      /got 2.5$/,
    );
    expectArgError(
      () => registerNativeKernels({ addonPath: 3 as never }),
      'registerNativeKernels',
      'addonPath',
      /got number$/,
    );
  });
});

nativeSuite('the compiled addon', () => {
  it('loads from the platform package or the local build, and numbers its ops as the TypeScript side does', () => {
    const loaded = loadAddon();
    if ('reason' in loaded) throw new Error(loaded.reason);
    expect(['prebuilt', 'local build']).toContain(loaded.source);
    expect(loaded.path.endsWith(binaryName)).toBe(true);
    expect(loaded.addon.opCodes()).toEqual(OP_CODES);
  });
});
