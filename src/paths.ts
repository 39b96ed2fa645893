import { fileURLToPath } from 'node:url';

/** The package root: this module sits one level below it both as src/paths.ts and dist/paths.js. */
export const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));
