/** Messages between the query pool (main thread) and a query worker. */
import type { ReplicaQuery } from './replica.js';

/** One step of a change to the store, in order: N-Quads to delete, then to add. */
export interface ChangeStep {
  delete?: string;
  add?: string;
}

export type ToWorker =
  | { type: 'load'; nquads: string }
  | { type: 'loaded' }
  | { type: 'change'; steps: ChangeStep[] }
  | ({ type: 'query'; id: number } & ReplicaQuery)
  | { type: 'pause' | 'resume' | 'cancel'; id: number };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'chunk-taken' }
  | { type: 'chunk'; id: number; data: string }
  | { type: 'end'; id: number }
  /** `fatal`: the worker's engine is no longer usable; the pool replaces the worker. */
  | { type: 'error'; id: number; message: string; started: boolean; fatal?: boolean };
