import { defineConfig } from 'tsup';
import { ganTsup } from '../../tsup.base';

// Three entry points: the browser-safe core, `@gan/data/node` (sharp, files, caches) and
// `@gan/data/browser` (fetch, createImageBitmap, OffscreenCanvas).
export default defineConfig(ganTsup({ entry: ['src/index.ts', 'src/node.ts', 'src/browser.ts'] }));
