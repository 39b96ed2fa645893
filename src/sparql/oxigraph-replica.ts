import { Readable } from 'node:stream';
import type { QueryEngine } from '@comunica/query-sparql';
import { Store as N3Store } from 'n3';
import oxigraph from 'oxigraph';
import { DataFactory } from 'rdf-data-factory';
import { SparqlJsonParser } from 'sparqljson-parse';
import type { EngineOptions } from './engine.js';
import type { Replica, ReplicaQuery } from './replica.js';
import type { ChangeStep } from './worker-protocol.js';
import { federationContext } from './federation.js';
import { OxigraphLoader } from './oxigraph-loading.js';
import { writeBindings } from './result-writing.js';

const CHUNK = 64 * 1024;

/**
 * Oxigraph's engine over its own store, exact where Oxigraph alone is not:
 * - quads whose literal Oxigraph would store in another form (see literal-fidelity.ts) are kept
 *   as written in a small N3 store beside it (oxigraph-loading.ts); while that store holds any,
 *   every query is evaluated by Comunica over both stores, so that no term is ever answered other
 *   than loaded;
 * - queries that call SERVICE, or use a construct where Oxigraph deviates from the specification
 *   (oxigraph-deviations.ts), are evaluated by Comunica over the same stores.
 */
export class OxigraphReplica implements Replica {
  private readonly store = new oxigraph.Store();
  private readonly verbatim = new N3Store();
  private readonly loader = new OxigraphLoader(this.store, this.verbatim);
  private comunica?: Promise<typeof import('./comunica-replica.js') & { engine: QueryEngine }>;

  constructor(private readonly options: EngineOptions & { queryTimeoutMs?: number }) {}

  load(nquads: string | Uint8Array): void {
    this.loader.add(nquads);
  }

  change(steps: ChangeStep[]): void {
    for (const step of steps) {
      if (step.delete) this.loader.delete(step.delete);
      if (step.add) this.loader.add(step.add);
    }
  }

  /** Whether Comunica must evaluate this query for the answer to be exact. */
  private needsComunica(query: ReplicaQuery): boolean {
    if (query.federated || query.oxigraphDeviation || this.verbatim.size > 0) return true;
    const ends = query.zeroLengthPathEnds ?? [];
    // "In the data" is checked over the union of all graphs only: with FROM or a plain default
    // graph it means less, so such a query goes to Comunica.
    const union = (this.options.unionDefaultGraph ?? true) && !query.ownDataset;
    return ends.length > 0 && (!union || !ends.every((iri) => this.occurs(iri)));
  }

  /** Whether the IRI is the subject or object of some quad (looked up, never spliced into a query). */
  private occurs(iri: string): boolean {
    const term = oxigraph.namedNode(iri);
    return (
      this.store.match(term, null, null, null).length > 0 ||
      this.store.match(null, null, term, null).length > 0
    );
  }

  async evaluate(query: ReplicaQuery): Promise<NodeJS.ReadableStream> {
    if (this.needsComunica(query)) {
      const { engine, evaluateWithComunica } = await this.loadComunica();
      const context = {
        sources: [unionSource(this.store, this.verbatim)],
        unionDefaultGraph: this.options.unionDefaultGraph ?? true,
        baseIRI: this.options.baseIri,
        ...(query.federated ? federationContext(this.options.queryTimeoutMs) : {}),
      };
      return evaluateWithComunica(engine, context as never, query);
    }
    const run = (text: string, format: string) =>
      this.store.query(text, {
        base_iri: this.options.baseIri,
        // Oxigraph's union option would override the query's own FROM clauses.
        use_default_graph_as_union: (this.options.unionDefaultGraph ?? true) && !query.ownDataset,
        results_format: format,
      }) as string;
    if (query.rowLimit === undefined) return chunked(run(query.text, query.mediaType));
    if (query.limitedText) return chunked(run(query.limitedText, query.mediaType));
    // A bound the query text cannot take: cut Oxigraph's JSON, written again by Comunica.
    return this.limited(JSON.parse(run(query.text, 'application/sparql-results+json')), query);
  }

  /** A SELECT bounded by the row limit: cut Oxigraph's JSON results, then write the wanted format. */
  private async limited(
    json: { head: { vars: string[] }; results: { bindings: unknown[] } },
    query: ReplicaQuery,
  ): Promise<NodeJS.ReadableStream> {
    json.results.bindings = json.results.bindings.slice(0, query.rowLimit);
    if (query.mediaType === 'application/sparql-results+json') {
      return chunked(JSON.stringify(json));
    }
    const parser = new SparqlJsonParser({
      dataFactory: new DataFactory(),
      prefixVariableQuestionMark: false,
    });
    const { engine } = await this.loadComunica();
    return writeBindings(engine, json.head.vars, parser.parseJsonResults(json), query.mediaType);
  }

  /** Comunica is loaded on first need: most queries never use it, and it is slow to import. */
  private loadComunica() {
    this.comunica ??= import('./comunica-replica.js').then(async (module) => ({
      ...module,
      engine: new (await import('@comunica/query-sparql')).QueryEngine(),
    }));
    return this.comunica;
  }
}

function chunked(text: string): NodeJS.ReadableStream {
  return Readable.from(
    (function* () {
      for (let i = 0; i < text.length; i += CHUNK) yield text.slice(i, i + CHUNK);
    })(),
  );
}

/** Both stores as one RDF/JS source, for Comunica (one source: no blank-node renaming). */
function unionSource(store: InstanceType<typeof oxigraph.Store>, verbatim: N3Store) {
  return {
    match: (...terms: unknown[]) => {
      const [s, p, o, g] = terms.map((t) =>
        t && (t as { termType: string }).termType !== 'Variable' ? t : null,
      );
      const fromOxigraph = store.match(s as never, p as never, o as never, g as never);
      if (verbatim.size === 0) return Readable.from(fromOxigraph);
      return Readable.from([
        ...fromOxigraph,
        ...verbatim.getQuads(s as never, p as never, o as never, g as never),
      ]);
    },
  };
}
