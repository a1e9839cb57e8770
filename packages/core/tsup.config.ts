import { defineConfig } from 'tsup';
import { ganTsup } from '../../tsup.base';

export default defineConfig(
  ganTsup({
    // The browser-safe library, and `@gan/core/node` (model directories on the file system).
    entry: ['src/index.ts', 'src/node.ts'],
    // tfjs-core's gradient definitions live in extensionless ESM under dist/ that Node cannot
    // import: inline them. They register into tfjs's global registry, shared with the user's
    // tfjs-core, whose package root must stay external (one engine, one Tensor class).
    noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
    esbuildPlugins: [
      {
        name: 'tfjs-core-root-external',
        setup(build) {
          build.onResolve({ filter: /^@tensorflow\/tfjs-core$/ }, (args) => ({
            path: args.path,
            external: true,
          }));
        },
      },
    ],
  }),
);
