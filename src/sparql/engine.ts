import { QueryEngine } from '@comunica/query-sparql';
import type { Quad, Term } from 'n3';
import type { GraphStore } from '../store/graph-store.js';
import { checkQuery, type QueryForm, type QueryPolicy } from './policy.js';

export type Row = Record<string, Term>;

export interface EngineOptions extends QueryPolicy {
  baseIri: string;
}

/** The media types Comunica serialises results to, per query form. */
export const RESULT_MEDIA_TYPES: Record<'bindings' | 'boolean' | 'quads', readonly string[]> = {
  bindings: [
    'application/sparql-results+json',
    'application/sparql-results+xml',
    'text/csv',
    'text/tab-separated-values',
  ],
  boolean: ['application/sparql-results+json', 'application/sparql-results+xml'],
  quads: [
    'text/turtle',
    'application/n-triples',
    'application/n-quads',
    'application/trig',
    'application/ld+json',
  ],
};

/**
 * SPARQL evaluation over the store, behind one small interface so the engine can be tuned or
 * swapped without touching the layers above. The default graph is the union of all named graphs.
 */
export class SparqlEngine {
  private readonly engine = new QueryEngine();

  constructor(
    private readonly store: GraphStore,
    private readonly options: EngineOptions,
  ) {}

  private context() {
    return {
      sources: [this.store.index],
      unionDefaultGraph: true,
      baseIRI: this.options.baseIri,
    };
  }

  /** Checks the query against the policy and returns its form without evaluating it. */
  check(text: string): QueryForm {
    return checkQuery(text, this.options, this.options.baseIri);
  }

  async select(text: string): Promise<{ variables: string[]; rows: Row[] }> {
    this.expectForm(text, 'SELECT');
    const result = await this.engine.query(text, this.context());
    if (result.resultType !== 'bindings') throw new TypeError('expected bindings');
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
    this.expectForm(text, 'ASK');
    return this.engine.queryBoolean(text, this.context());
  }

  /** CONSTRUCT or DESCRIBE. */
  async graph(text: string): Promise<Quad[]> {
    const form = this.check(text);
    if (form !== 'CONSTRUCT' && form !== 'DESCRIBE') {
      throw new TypeError(`expected a CONSTRUCT or DESCRIBE query, got ${form}`);
    }
    const stream = await this.engine.queryQuads(text, this.context());
    return (await stream.toArray()) as Quad[];
  }

  /** Evaluates any query form and serialises the result in the given media type. */
  async serialize(text: string, mediaType: string): Promise<NodeJS.ReadableStream> {
    this.check(text);
    const result = await this.engine.query(text, this.context());
    const { data } = await this.engine.resultToString(result, mediaType);
    return data;
  }

  private expectForm(text: string, expected: QueryForm): void {
    const form = this.check(text);
    if (form !== expected) throw new TypeError(`expected a ${expected} query, got ${form}`);
  }
}
