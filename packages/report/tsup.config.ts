import { defineConfig } from 'tsup';
import { ganTsup } from '../../tsup.base';

// The browser-safe charts, `@gan/report/node` (the run report and comparison: files), and the
// `gan-report` command.
export default defineConfig(ganTsup({ entry: ['src/index.ts', 'src/node.ts', 'src/cli.ts'] }));
