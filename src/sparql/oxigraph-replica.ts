import { Readable } from 'node:stream';
import type { QueryEngine } from '@comunica/query-sparql';
import { BindingsFactory } from '@comunica/utils-bindings-factory';
import { ArrayIterator } from 'asynciterator';
import { Store as N3Store } from 'n3';
import oxigraph from 'oxigraph';
import { DataFactory } from 'rdf-data-factory';
import { SparqlJsonParser } from 'sparqljson-parse';
import type { EngineOptions } from './engine.js';
import type { Replica, ReplicaQuery } from './replica.js';
import type { ChangeStep } from './worker-protocol.js';
import { federationContext } from './federation.js';
import { LiteralFidelity } from './literal-fidelity.js';
import { parseNQuads } from './nquads.js';

const NQUADS = 'application/n-quads';
const CHUNK = 64 * 1024;

/** Blank nodes keep their labels through oxigraph.parse, not through Store#load (it renames). */
const hasBlankNode = (line: string) => line.includes('_:');

/**
 * Oxigraph's engine over its own store, exact where Oxigraph alone is not:
 * - quads whose literal Oxigraph would store in another form (see literal-fidelity.ts) are kept
 *   as written in a small N3 store beside it; while that store holds any, every query is
 *   evaluated by Comunica over both stores, so that no term is ever answered other than loaded;
 * - queries that call SERVICE, or use a construct where Oxigraph deviates from the specification
 *   (oxigraph-deviations.ts), are evaluated by Comunica over the same stores.
 * Quads with blank nodes are added one by one so that their labels stay the main store's and a
 * later deletion finds them; the others are bulk-loaded.
 */
export class OxigraphReplica implements Replica {
  private readonly store = new oxigraph.Store();
  private readonly verbatim = new N3Store();
  private readonly fidelity = new LiteralFidelity();
  private comunica?: Promise<typeof import('./comunica-replica.js') & { engine: QueryEngine }>;

  constructor(private readonly options: EngineOptions & { queryTimeoutMs?: number }) {}

  load(nquads: string): void {
    this.add(nquads);
  }

  change(steps: ChangeStep[]): void {
    for (const step of steps) {
      if (step.delete) {
        const { verbatim, withBlankNodes, plain } = this.sort(step.delete);
        if (verbatim) this.verbatim.removeQuads(parseNQuads(verbatim));
        const rest = [plain, withBlankNodes].filter(Boolean).join('\n');
        for (const quad of oxigraph.parse(rest, { format: NQUADS })) this.store.delete(quad);
      }
      if (step.add) this.add(step.add);
    }
  }

  private add(nquads: string): void {
    const { verbatim, withBlankNodes, plain } = this.sort(nquads);
    // Lenient: the text comes from the main store, already parsed and checked once.
    if (plain) this.store.load(plain, { format: NQUADS, lenient: true });
    if (withBlankNodes) {
      for (const quad of oxigraph.parse(withBlankNodes, { format: NQUADS })) this.store.add(quad);
    }
    if (verbatim) this.verbatim.addQuads(parseNQuads(verbatim));
  }

  /** Splits N-Quads into what must be kept verbatim, what has blank nodes, and the rest. */
  private sort(nquads: string): { verbatim: string; withBlankNodes: string; plain: string } {
    const lines = nquads.split('\n').filter((line) => line.trim());
    const altered = this.fidelity.altered(lines);
    const sorted = {
      verbatim: [] as string[],
      withBlankNodes: [] as string[],
      plain: [] as string[],
    };
    for (const line of lines) {
      if (altered.has(line)) sorted.verbatim.push(line);
      else if (hasBlankNode(line)) sorted.withBlankNodes.push(line);
      else sorted.plain.push(line);
    }
    return {
      verbatim: sorted.verbatim.join('\n'),
      withBlankNodes: sorted.withBlankNodes.join('\n'),
      plain: sorted.plain.join('\n'),
    };
  }

  /** Why Comunica must evaluate this query, if it must. */
  private comunicaNeeded(query: ReplicaQuery): string | undefined {
    if (query.federated) return 'SERVICE';
    if (query.oxigraphDeviation) return query.oxigraphDeviation;
    if (this.verbatim.size > 0) return 'literals that Oxigraph would rewrite';
    return undefined;
  }

  async evaluate(query: ReplicaQuery): Promise<NodeJS.ReadableStream> {
    if (this.comunicaNeeded(query)) {
      const { engine, evaluateWithComunica } = await this.loadComunica();
      const context = {
        sources: [unionSource(this.store, this.verbatim)],
        unionDefaultGraph: this.options.unionDefaultGraph ?? true,
        baseIRI: this.options.baseIri,
        ...(query.federated ? federationContext(this.options.queryTimeoutMs) : {}),
      };
      return evaluateWithComunica(engine, context as never, query);
    }
    const run = (format: string) =>
      this.store.query(query.text, {
        base_iri: this.options.baseIri,
        // Oxigraph's union option would override the query's own FROM clauses.
        use_default_graph_as_union: (this.options.unionDefaultGraph ?? true) && !query.ownDataset,
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
