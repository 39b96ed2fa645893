import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { Quad } from 'n3';
import { PROJECT_ROOT } from '../paths.js';
import { parseRdfFile } from '../rdf/parse.js';
import { Database } from '../store/database.js';
import { GraphStore } from '../store/graph-store.js';
import { loadGraph, validateLoadedGraph, type GraphSources } from './loader.js';
import type { Violation } from './validation.js';

/** The seed files do not conform to the shapes: nothing was stored. */
export class InvalidSeedError extends Error {
  constructor(readonly violations: Violation[]) {
    super('the seed graph does not conform to the shapes');
  }
}

/** The database holds a graph built on another base IRI than the configured one. */
export class BaseIriMismatchError extends Error {}

export interface OpenGraph {
  db: Database;
  store: GraphStore;
  shapes: Quad[];
  /** Whether this start seeded an empty database from ontology/ and data/. */
  seeded: boolean;
  /** Seed files changed, added or removed since the database was seeded (never merged). */
  changedSeedFiles: string[];
}

const SEED_FILES_KEY = 'seed-files';
const BASE_IRI_KEY = 'base-iri';
const PROGRESS_EVERY = 100_000;

async function fingerprints(sources: GraphSources): Promise<Record<string, string>> {
  const files = [...sources.ontologyFiles, sources.shapesFile, ...sources.dataFiles];
  const entries = await Promise.all(
    files.map(async (file) => [
      relative(PROJECT_ROOT, file),
      createHash('sha256')
        .update(await readFile(file))
        .digest('hex'),
    ]),
  );
  return Object.fromEntries(entries);
}

/**
 * Opens the project graph of a data directory. An empty database is seeded from the ontology and
 * data files (parsed and validated first, stored in one transaction); later starts rebuild the
 * in-memory index from the database alone, and a seed file changed since is only reported, never
 * merged over what contributors did.
 */
export async function openProjectGraph(
  dataDir: string,
  baseIri: string,
  sources: GraphSources,
  progress: (line: string) => void = () => {},
): Promise<OpenGraph> {
  const db = Database.open(dataDir);
  try {
    const [shapes, current] = await Promise.all([
      parseRdfFile(sources.shapesFile, baseIri) as Promise<Quad[]>,
      fingerprints(sources),
    ]);
    const seededBase = db.getMeta(BASE_IRI_KEY);
    if (seededBase === undefined) {
      const graph = await loadGraph(baseIri, sources);
      const outcome = await validateLoadedGraph(graph);
      if (!outcome.conforms) throw new InvalidSeedError(outcome.violations);
      db.transaction(() => {
        for (const batch of chunks(graph.store.quads(), 10_000)) db.writeQuads([], batch);
        db.setMeta(BASE_IRI_KEY, baseIri);
        db.setMeta(SEED_FILES_KEY, JSON.stringify(current));
      });
      return { db, store: graph.store, shapes, seeded: true, changedSeedFiles: [] };
    }
    if (seededBase !== baseIri) {
      throw new BaseIriMismatchError(
        `the database in ${dataDir} was built with the base IRI ${seededBase}, not ${baseIri}; ` +
          'use that base IRI or another data directory',
      );
    }
    const store = rebuildIndex(db, progress);
    const seededFiles = JSON.parse(db.getMeta(SEED_FILES_KEY) ?? '{}') as Record<string, string>;
    const changedSeedFiles = [...new Set([...Object.keys(seededFiles), ...Object.keys(current)])]
      .filter((file) => seededFiles[file] !== current[file])
      .sort();
    return { db, store, shapes, seeded: false, changedSeedFiles };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The graph of a data directory's database, read only, for commands that read the live graph
 * (contributions included); undefined when the directory holds no seeded database.
 */
export function readSeededGraph(dataDir: string, baseIri: string): GraphStore | undefined {
  const db = Database.openForReading(dataDir);
  if (!db) return undefined;
  try {
    const seededBase = db.getMeta(BASE_IRI_KEY);
    if (seededBase === undefined) return undefined;
    if (seededBase !== baseIri) {
      throw new BaseIriMismatchError(
        `the database in ${dataDir} was built with the base IRI ${seededBase}, not ${baseIri}`,
      );
    }
    return rebuildIndex(db);
  } finally {
    db.close();
  }
}

/** A bare store (the W3C suite's): the index rebuilt from the database, no seed. */
export function openBareGraph(dataDir: string, progress?: (line: string) => void) {
  const db = Database.open(dataDir);
  return { db, store: rebuildIndex(db, progress) };
}

function rebuildIndex(db: Database, progress: (line: string) => void = () => {}): GraphStore {
  const store = new GraphStore();
  const total = db.quadCount();
  let done = 0;
  for (const batch of db.readQuads()) {
    store.index.addQuads(batch);
    const before = done;
    done += batch.length;
    if (
      total >= PROGRESS_EVERY &&
      Math.floor(before / PROGRESS_EVERY) < Math.floor(done / PROGRESS_EVERY)
    ) {
      progress(`index: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} quads`);
    }
  }
  return store;
}

function* chunks<T>(items: T[], size: number): Iterable<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
