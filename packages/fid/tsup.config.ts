import { defineConfig } from 'tsup';
import { ganTsup } from '../../tsup.base';

// The library, and the `gan-fid` command (Node only: files, @gan/data/node).
export default defineConfig(ganTsup({ entry: ['src/index.ts', 'src/cli.ts'] }));
