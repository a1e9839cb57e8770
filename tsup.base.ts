import type { Options } from 'tsup';

/**
 * The build every @gan/* package shares: ESM + CJS + .d.ts with sourcemaps, tfjs and sibling
 * packages left to the user's install (peer / regular dependencies stay external).
 */
export function ganTsup(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    splitting: false,
    treeshake: true,
    ...overrides,
  };
}
