import { defineConfig } from 'tsup';
import { ganTsup } from '../../tsup.base';

// Two entry points: the browser-safe library, and `@gan/trainers/node` (file checkpoints).
export default defineConfig(ganTsup({ entry: ['src/index.ts', 'src/node.ts'] }));
