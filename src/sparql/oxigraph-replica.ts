import { Readable } from 'node:stream';
import type { QueryEngine } from '@comunica/query-sparql';
import { BindingsFactory } from '@comunica/utils-bindings-factory';
import { ArrayIterator } from 'asynciterator';
import oxigraph from 'oxigraph';
import { DataFactory } from 'rdf-data-factory';
import { SparqlJsonParser } from 'sparqljson-parse';
import type { EngineOptions } from './engine.js';
import type { Replica, ReplicaQuery } from './replica.js';
import type { ChangeStep } from './worker-protocol.js';
import { federationContext } from './federation.js';

const NQUADS = 'application/n-quads';
const CHUNK = 64 * 1024;

/** Blank nodes keep their labels through oxigraph.parse, not through Store#load (it renames). */
const hasBlankNode = (line: string) => line.includes('_:');

/**
 * Oxigraph's engine over its own store. Quads without blank nodes are bulk-loaded; those with
 * blank nodes are added one by one so that their labels stay the main store's and a later
 * deletion finds them. Federated queries go to Comunica, reading this same store.
 */
export class OxigraphReplica implements Replica {
  private readonly store = new oxigraph.Store();
  private comunica?: Promise<typeof import('./comunica-replica.js') & { engine: QueryEngine }>;

  constructor(private readonly options: EngineOptions & { queryTimeoutMs?: number }) {}

  load(nquads: string): void {
    this.add(nquads);
  }

  change(steps: ChangeStep[]): void {
    for (const step of steps) {
      if (step.delete) {
        for (const quad of oxigraph.parse(step.delete, { format: NQUADS })) this.store.delete(quad);
      }
      if (step.add) this.add(step.add);
    }
  }

  private add(nquads: string): void {
    const lines = nquads.split('\n');
    const plain = lines.filter((line) => !hasBlankNode(line)).join('\n');
    // Lenient: the text comes from the main store, already parsed and checked once.
    if (plain.trim()) this.store.load(plain, { format: NQUADS, lenient: true });
    const withBlankNodes = lines.filter(hasBlankNode).join('\n');
    if (withBlankNodes) {
      for (const quad of oxigraph.parse(withBlankNodes, { format: NQUADS })) this.store.add(quad);
    }
  }

  async evaluate(query: ReplicaQuery): Promise<NodeJS.ReadableStream> {
    if (query.federated) {
      const { engine, evaluateWithComunica } = await this.loadComunica();
      const context = {
        sources: [rdfjsSource(this.store)],
        unionDefaultGraph: this.options.unionDefaultGraph ?? true,
        baseIRI: this.options.baseIri,
        ...federationContext(this.options.queryTimeoutMs),
      };
      return evaluateWithComunica(engine, context as never, query);
    }
    const run = (format: string) =>
      this.store.query(query.text, {
        base_iri: this.options.baseIri,
        use_default_graph_as_union: this.options.unionDefaultGraph ?? true,
        results_format: format,
      }) as string;
    if (query.rowLimit === undefined) return chunked(run(query.mediaType));
    return this.limited(JSON.parse(run('application/sparql-results+json')), query);
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
    const factory = new DataFactory();
    const bindingsFactory = new BindingsFactory(factory);
    const parser = new SparqlJsonParser({
      dataFactory: factory,
      prefixVariableQuestionMark: false,
    });
    const rows = parser
      .parseJsonResults(json)
      .map((row) => bindingsFactory.fromRecord(row as never));
    const variables = json.head.vars.map((name) => factory.variable(name));
    const result = {
      resultType: 'bindings' as const,
      execute: async () => new ArrayIterator(rows, { autoStart: false }),
      metadata: async () => ({ variables }),
    };
    const { engine } = await this.loadComunica();
    return (await engine.resultToString(result as never, query.mediaType)).data;
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

/** The Oxigraph store as an RDF/JS source, so that Comunica can read it for federated queries. */
function rdfjsSource(store: InstanceType<typeof oxigraph.Store>) {
  return {
    match: (...terms: unknown[]) => {
      const [s, p, o, g] = terms.map((t) =>
        t && (t as { termType: string }).termType !== 'Variable' ? t : null,
      );
      return Readable.from(store.match(s as never, p as never, o as never, g as never));
    },
  };
}
