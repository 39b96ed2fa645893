import type { Quad } from 'n3';
import { run } from '../../src/cli/main.js';
import { embeddedDataset } from '../../src/graph/embedded-keeping.js';
import { projectSources } from '../../src/graph/loader.js';
import { openProjectGraph } from '../../src/graph/open.js';
import { SparqlEngine } from '../../src/sparql/engine.js';
import { BASE } from './project.js';

/** Runs the command line in-process, capturing what it prints and its exit code. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/**
 * Writes quads into a data directory's database (seeding it first if empty), as a fixture: they
 * are committed as an accepted change would be, without a changeset or validation.
 */
export async function commitToDatabase(dataDir: string, additions: Quad[]): Promise<void> {
  const graph = await openProjectGraph(dataDir, BASE, await projectSources());
  try {
    const engine = new SparqlEngine(graph.store, { baseIri: BASE, serviceAllowList: [] });
    const options = { baseIri: BASE, derivedView: true };
    const dataset = embeddedDataset(graph.store, graph.db, engine, () => {}, options);
    const working = await dataset.working({});
    await working.commit({ additions, deletions: [] });
  } finally {
    graph.db.close();
  }
}
