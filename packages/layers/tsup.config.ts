import { defineConfig } from 'tsup';
import { ganTsup } from '../../tsup.base';

export default defineConfig(ganTsup());
