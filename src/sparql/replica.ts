import type { ChangeStep } from './worker-protocol.js';

/** What a query worker needs to evaluate one query. */
export interface ReplicaQuery {
  text: string;
  mediaType: string;
  rowLimit?: number;
  /** The text with `LIMIT rowLimit` appended, when that is equivalent (see PreparedQuery). */
  limitedText?: string;
  /** The query calls SERVICE: only Comunica federates. */
  federated?: boolean;
  /** Why Oxigraph's engine must not evaluate this query (see oxigraph-deviations.ts). */
  oxigraphDeviation?: string;
  /** IRIs ending zero-length paths: Oxigraph answers rightly only if each is in the data. */
  zeroLengthPathEnds?: string[];
  /** The query names its dataset (FROM, FROM NAMED): the union default graph does not apply. */
  ownDataset?: boolean;
}

/**
 * A query worker's copy of the store and the engine that evaluates over it. Implementations:
 * Comunica over an N3 store, and Oxigraph (with Comunica where Oxigraph cannot answer exactly).
 */
export interface Replica {
  /** Adds N-Quads, as text or UTF-8 bytes. */
  load(nquads: string | Uint8Array): void;
  change(steps: ChangeStep[]): void;
  /** The serialised result, as a stream of text chunks. */
  evaluate(query: ReplicaQuery): Promise<NodeJS.ReadableStream>;
}

export type EngineName = 'comunica' | 'oxigraph';
export const ENGINE_NAMES: readonly EngineName[] = ['comunica', 'oxigraph'];
