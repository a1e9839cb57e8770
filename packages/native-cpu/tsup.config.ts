import { defineConfig } from 'tsup';
import { ganTsup } from '../../tsup.base';

// shims: import.meta.url in the CommonJS build, which finds the compiled addon.
export default defineConfig(ganTsup({ shims: true }));
