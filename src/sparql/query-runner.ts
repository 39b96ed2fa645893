import type { QueryForm } from './policy.js';
import type { ReplicaQuery } from './replica.js';
import type { QueryHandle, ResultSink } from './worker-pool.js';

/** A query the endpoint hands over: what the workers take, and its form. */
export type RunnableQuery = ReplicaQuery & { form: QueryForm };

/** What evaluates the endpoint's queries: the worker pool, or an external store. */
export interface QueryRunner {
  run(query: RunnableQuery, sink: ResultSink): QueryHandle;
  /** How many queries are being evaluated right now. */
  readonly running: number;
}
