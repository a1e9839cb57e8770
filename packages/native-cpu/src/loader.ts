import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Addon } from './addon';

/** The compiled addon's file name, in a platform package and in a local build. */
export const binaryName = 'gan_native_cpu.node';

/** Platforms with a published binary package (`@gan/native-cpu-<platform>`). */
export const prebuiltPlatforms = ['linux-x64-gnu'] as const;

/**
 * This machine as the binary packages name platforms (as @rollup/rollup-* does):
 * `linux-x64-gnu`, `linux-arm64-musl`, `darwin-arm64`, `win32-x64-msvc`, …
 */
export function platformId(): string {
  const { platform, arch } = process;
  if (platform === 'linux') return `linux-${arch}-${isGlibc() ? 'gnu' : 'musl'}`;
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

/** glibc reports its version in Node's diagnostic report; musl does not (as detect-libc reads it). */
function isGlibc(): boolean {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } };
  return report?.header?.glibcVersionRuntime != null;
}

/** The npm package that holds the binary for this platform. */
export function platformPackage(): string {
  return `@gan/native-cpu-${platformId()}`;
}

export interface LoadedAddon {
  addon: Addon;
  /** The file that was loaded. */
  path: string;
  /** Where it came from: the platform package, this package's own build, or `addonPath`. */
  source: 'prebuilt' | 'local build' | 'addonPath';
}

const firstLine = (error: unknown) => String((error as Error)?.message ?? error).split('\n')[0];

/**
 * Finds and loads the addon: `addonPath` when given; else the platform package's binary, then a
 * local build (`build/Release/`). Never throws: on failure, `reason` says what to do. `from` is
 * the module the search starts at (this one; tests point it elsewhere).
 */
export function loadAddon(
  addonPath?: string,
  from: string = import.meta.url,
): LoadedAddon | { reason: string } {
  const require = createRequire(from);
  const failures: string[] = [];
  const attempt = (path: string, source: LoadedAddon['source']): LoadedAddon | undefined => {
    try {
      return { addon: require(path) as Addon, path, source };
    } catch (error) {
      failures.push(`${path} did not load (${firstLine(error)})`);
      return undefined;
    }
  };
  if (addonPath != null) return attempt(addonPath, 'addonPath') ?? { reason: failures[0] };
  const pkg = platformPackage();
  let binary: string | undefined;
  try {
    binary = require.resolve(`${pkg}/${binaryName}`);
  } catch {
    try {
      require.resolve(`${pkg}/package.json`);
      failures.push(
        `${pkg} holds no binary: this is a source checkout, and its build found no C++ compiler ` +
          'or OpenBLAS (apt-get install g++ libopenblas-dev pkg-config, then npm run build)',
      );
    } catch {
      // Not installed: said below.
    }
  }
  const prebuilt = binary && attempt(binary, 'prebuilt');
  if (prebuilt) return prebuilt;
  const local = fileURLToPath(new URL(`../build/Release/${binaryName}`, from));
  const built = existsSync(local) && attempt(local, 'local build');
  if (built) return built;
  if (failures.length > 0) return { reason: failures.join('; ') };
  const published = (prebuiltPlatforms as readonly string[]).includes(platformId());
  return {
    reason: published
      ? `the optional package ${pkg} (the prebuilt binary) is not installed — npm leaves optional ` +
        `dependencies out with --omit=optional or when the lockfile came from another platform: ` +
        `npm install ${pkg}`
      : `no prebuilt binary for ${platformId()} (published: ${prebuiltPlatforms.join(', ')}); build it ` +
        'from a source checkout: a C++ compiler and OpenBLAS, then npm run build -w @gan/native-cpu',
  };
}
