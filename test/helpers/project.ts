import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadGraph, projectSources, type LoadedGraph } from '../../src/graph/loader.js';
import { PROJECT_ROOT } from '../../src/paths.js';

export const BASE = 'https://w3id.org/communs-kg/';
export const SHARED_DIR = join(PROJECT_ROOT, '..', 'shared');
export const SEED_FILE = join(SHARED_DIR, 'seed', '000_93e7d52cf27c77c7.txt');

let cached: Promise<LoadedGraph> | undefined;

/** The project graph as the server loads it, once per test file. */
export function projectGraph(): Promise<LoadedGraph> {
  cached ??= projectSources().then((sources) => loadGraph(BASE, sources));
  return cached;
}

/** Reads a file of ../shared, failing with a message that says what is missing and why it matters. */
export async function readShared(path: string, why: string): Promise<string> {
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: ${why}. The tests expect the read-only shared/ folder beside the ` +
        `project checkout (../shared), as on the developers' machines and in CI.`,
    );
  }
  return readFile(path, 'utf8');
}
