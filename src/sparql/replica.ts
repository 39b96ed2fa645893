import type { ChangeStep } from './worker-protocol.js';

/** What a query worker needs to evaluate one query. */
export interface ReplicaQuery {
  text: string;
  mediaType: string;
  rowLimit?: number;
  /** The query calls SERVICE: only Comunica federates. */
  federated?: boolean;
}

/**
 * A query worker's copy of the store and the engine that evaluates over it. Implementations:
 * Comunica over an N3 store, and Oxigraph (with Comunica for federated queries).
 */
export interface Replica {
  load(nquads: string): void;
  change(steps: ChangeStep[]): void;
  /** The serialised result, as a stream of text chunks. */
  evaluate(query: ReplicaQuery): Promise<NodeJS.ReadableStream>;
}

export type EngineName = 'comunica' | 'oxigraph';
export const ENGINE_NAMES: readonly EngineName[] = ['comunica', 'oxigraph'];
