import type { QueryEngine } from '@comunica/query-sparql';
import type { Term } from 'n3';
import type { GraphStore } from '../store/graph-store.js';
import {
  prepareQuery,
  type DatasetOverride,
  type PreparedQuery,
  type QueryForm,
  type QueryPolicy,
} from './policy.js';

export type Row = Record<string, Term>;

interface Comunica {
  engine: QueryEngine;
  context: ReturnType<typeof import('./comunica-replica.js').comunicaContext>;
  evaluate: typeof import('./comunica-replica.js').evaluateWithComunica;
}

export interface EngineOptions extends QueryPolicy {
  baseIri: string;
  /**
   * Whether the default graph is the union of all graphs (the project's choice, like Fuseki's
   * unionDefaultGraph) or the store's own default graph (plain SPARQL datasets, e.g. the W3C suite).
   */
  unionDefaultGraph?: boolean;
}

/**
 * SPARQL evaluation in this thread, for the command line and the domain services. The HTTP
 * endpoint evaluates in worker threads instead (worker-pool.ts) so that a query can be cut off.
 */
export class SparqlEngine {
  private comunica?: Promise<Comunica>;

  constructor(
    private readonly store: GraphStore,
    private readonly options: EngineOptions,
  ) {}

  /**
   * Comunica is loaded on first use: the server evaluates queries in its workers, and importing
   * the engine in the main thread would add about half a second to every start.
   */
  private load(): Promise<Comunica> {
    this.comunica ??= (async () => {
      const [{ QueryEngine }, replica] = await Promise.all([
        import('@comunica/query-sparql'),
        import('./comunica-replica.js'),
      ]);
      return {
        engine: new QueryEngine(),
        context: replica.comunicaContext(this.store.index, this.options),
        evaluate: replica.evaluateWithComunica,
      };
    })();
    return this.comunica;
  }

  prepare(text: string, dataset?: DatasetOverride): PreparedQuery {
    return prepareQuery(text, this.options, this.options.baseIri, dataset);
  }

  /** Checks the query against the policy and returns its form without evaluating it. */
  check(text: string): QueryForm {
    return this.prepare(text).form;
  }

  async select(text: string): Promise<{ variables: string[]; rows: Row[] }> {
    return this.selectUnchecked(this.expect(text, 'SELECT'));
  }

  /** Evaluates a SELECT the program built itself (no policy, no row limit). */
  async selectUnchecked(text: string): Promise<{ variables: string[]; rows: Row[] }> {
    const { engine, context } = await this.load();
    const result = await engine.query(text, context);
    if (result.resultType !== 'bindings') throw new TypeError('expected a SELECT query');
    const { variables } = await result.metadata();
    const bindings = await (await result.execute()).toArray();
    const rows = bindings.map((binding) => {
      const row: Row = {};
      for (const [variable, term] of binding) row[variable.value] = term as Term;
      return row;
    });
    // Comunica's metadata lists variables as { variable, canBeUndef } entries.
    const names = variables.map(
      (entry) =>
        (entry as unknown as { variable?: { value: string } }).variable?.value ?? entry.value,
    );
    return { variables: names, rows };
  }

  async ask(text: string): Promise<boolean> {
    const { engine, context } = await this.load();
    return engine.queryBoolean(this.expect(text, 'ASK'), context);
  }

  /** Evaluates any query form and serialises the result in one of RESULT_MEDIA_TYPES. */
  async serialize(text: string, mediaType: string): Promise<NodeJS.ReadableStream> {
    const prepared = this.prepare(text);
    const { engine, context, evaluate } = await this.load();
    return evaluate(engine, context, { text: prepared.text, mediaType });
  }

  private expect(text: string, form: QueryForm): string {
    const prepared = this.prepare(text);
    if (prepared.form !== form)
      throw new TypeError(`expected a ${form} query, got ${prepared.form}`);
    return prepared.text;
  }
}
