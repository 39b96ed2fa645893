import type { GraphReads } from '../store/graph-reads.js';
import type { QueryRunner } from './query-runner.js';

/**
 * Where the served graph is kept, as the HTTP layer sees it: the embedded store (the in-memory
 * index, its SQLite record and the query workers) or an external SPARQL store.
 */
export interface GraphBackend {
  /** Views for the domain services (entity pages, search, reconciliation, dumps). */
  readonly reads: GraphReads;
  /** The SPARQL endpoint's queries. */
  readonly queries: QueryRunner;
  /** The named graphs of the project. */
  graphNames(): Promise<string[]>;
  /** How many quads the project's graphs hold. */
  size(): Promise<number>;
}
