import { Readable } from 'node:stream';
import type { QueryEngine } from '@comunica/query-sparql';
import { DataFactory } from 'n3';
import sparqljs from 'sparqljs';
import { formatFromMediaType } from '../rdf/formats.js';
import { serializeRdf } from '../rdf/serialize.js';
import { RemoteStoreError, type RemoteSparqlClient } from '../store/remote-sparql.js';
import type { QueryRunner, RunnableQuery } from './query-runner.js';
import { writeBindings, writeBoolean } from './result-writing.js';
import {
  QueryEvaluationError,
  QueryTimeoutError,
  RemoteEndpointError,
  type QueryHandle,
  type ResultSink,
} from './worker-pool.js';

/**
 * Queries evaluated by an external SPARQL store, over the project's graphs only (inDataset).
 * Results come back as SPARQL JSON or N-Triples and are written here in the requested format, so
 * every format is the same as on the embedded store. The whole answer is read before it is
 * written (no streaming yet).
 */
export class RemoteQueryRunner implements QueryRunner {
  private count = 0;
  private engine?: Promise<QueryEngine>;

  constructor(
    private readonly client: RemoteSparqlClient,
    /** The project's graphs, as the store holds them now. */
    private readonly projectGraphs: () => Promise<string[]>,
    private readonly timeoutMs: number,
  ) {}

  get running(): number {
    return this.count;
  }

  run(query: RunnableQuery, sink: ResultSink): QueryHandle {
    let cancelled = false;
    this.count++;
    void (async () => {
      try {
        const stream = await this.evaluate(query);
        for await (const chunk of stream) {
          if (cancelled) return;
          sink.write(String(chunk));
        }
        if (!cancelled) sink.end();
      } catch (error) {
        // The sink cuts the connection when part of the result is already out.
        if (!cancelled) sink.fail(this.failure(error));
      } finally {
        this.count--;
      }
    })();
    return {
      cancel: () => {
        cancelled = true;
      },
      resume: () => {},
    };
  }

  private async evaluate(query: RunnableQuery): Promise<NodeJS.ReadableStream> {
    const text = inDataset(query, await this.projectGraphs());
    if (query.form === 'SELECT') {
      const { variables, bindings } = await this.client.select(text);
      const rows = query.rowLimit === undefined ? bindings : bindings.slice(0, query.rowLimit);
      return writeBindings(await this.comunica(), variables, rows, query.mediaType);
    }
    if (query.form === 'ASK') {
      return Readable.from([writeBoolean(await this.client.ask(text), query.mediaType)]);
    }
    const format = formatFromMediaType(query.mediaType);
    if (!format) throw new QueryEvaluationError(`cannot write ${query.mediaType}`, false);
    const quads = await this.client.construct(text);
    return Readable.from([await serializeRdf(quads as never, format)]);
  }

  private failure(error: unknown): Error {
    if (!(error instanceof RemoteStoreError)) return error as Error;
    if (error.kind === 'timeout') {
      return new QueryTimeoutError(`the query exceeded the time limit of ${this.timeoutMs} ms`);
    }
    // Virtuoso refuses, before running it, a query whose estimated time is over its own limit.
    const estimate = /estimated execution time (\d+) \(sec\) exceeds the limit/.exec(
      error.serverMessage ?? error.message,
    );
    if (estimate) {
      return new QueryTimeoutError(
        `the query would exceed the time limit of ${this.timeoutMs} ms: ` +
          `the store estimated it at ${estimate[1]} s and refused it`,
      );
    }
    if (error.kind === 'http' && error.status !== undefined && error.status < 500) {
      return new QueryEvaluationError(
        `the store refused it: ${error.serverMessage ?? error.message}`,
        false,
      );
    }
    return new RemoteEndpointError(`the store failed: ${error.message}`, false, false);
  }

  /** Comunica writes the results formats; imported on first need. */
  private comunica(): Promise<QueryEngine> {
    this.engine ??= import('@comunica/query-sparql').then((module) => new module.QueryEngine());
    return this.engine;
  }
}

/**
 * The query's text with its dataset written in as FROM and FROM NAMED: the project's graphs (the
 * default graph is their union, as on the embedded store), or, for a query naming its own, those
 * of them that are the project's. So the store's other graphs (Virtuoso's own, other projects')
 * are never read. In the text, because Virtuoso 7 lets a query's FROM override the protocol's
 * default-graph-uri, against the SPARQL 1.1 Protocol. The policy has parsed the query already.
 */
function inDataset(query: RunnableQuery, project: readonly string[]): string {
  // Not limitedText: Virtuoso refuses ORDER BY with a LIMIT over its MaxSortedTopRows (10,000
  // by default), and the rows are cut here anyway.
  return restrictToProject(query.text, project, query.ownDataset === true);
}

/**
 * A query's text with the project's graphs as its dataset (see inDataset): all of them, or, when
 * `ownDataset` (by default: when it has a FROM), those of its own FROM and FROM NAMED that are
 * the project's.
 */
export function restrictToProject(
  text: string,
  project: readonly string[],
  ownDataset?: boolean,
): string {
  const parsed = new sparqljs.Parser().parse(text) as sparqljs.Query;
  const own = ownDataset ?? parsed.from !== undefined;
  // A graph no one has: no FROM at all would mean the store's whole default graph.
  const nowhere = `${project[0] ?? 'urn:communs-kg:'}#no-such-graph`;
  const ours = (graphs: readonly { value: string }[] | undefined) => {
    const named = own ? (graphs ?? []).map((graph) => graph.value) : project;
    const kept = named.filter((graph) => project.includes(graph));
    return kept.length > 0 ? kept : [nowhere];
  };
  const from = { default: ours(parsed.from?.default), named: ours(parsed.from?.named) };
  if (pointGraphsNowhere(parsed, new Set(from.named), nowhere) && !from.named.includes(nowhere)) {
    from.named.push(nowhere);
  }
  const iris = (graphs: string[]) => graphs.map((graph) => DataFactory.namedNode(graph));
  parsed.from = { default: iris(from.default), named: iris(from.named) };
  return new sparqljs.Generator().stringify(parsed);
}

/**
 * Renames `GRAPH <g>` to `GRAPH <nowhere>` wherever `g` is outside the dataset, so that the
 * store sees a graph of the dataset that holds nothing: Virtuoso 7.2.5 answers `GRAPH <g> {…}`
 * for a `g` outside FROM NAMED as if it matched once, empty (an ASK of a triple found nowhere is
 * true, a COUNT is 1). Returns whether it renamed any.
 */
function pointGraphsNowhere(node: unknown, named: ReadonlySet<string>, nowhere: string): boolean {
  if (typeof node !== 'object' || node === null) return false;
  let renamed = false;
  const pattern = node as { type?: unknown; name?: { termType?: string; value?: string } };
  if (pattern.type === 'graph' && pattern.name?.termType === 'NamedNode') {
    if (!named.has(pattern.name.value ?? '')) {
      pattern.name = DataFactory.namedNode(nowhere) as never;
      renamed = true;
    }
  }
  for (const value of Object.values(node)) {
    if (pointGraphsNowhere(value, named, nowhere)) renamed = true;
  }
  return renamed;
}
