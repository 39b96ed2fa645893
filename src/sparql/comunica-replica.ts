import { Readable } from 'node:stream';
import { QueryEngine } from '@comunica/query-sparql';
import type { QueryStringContext } from '@comunica/types';
import { ArrayIterator, type AsyncIterator } from 'asynciterator';
import { Parser, Store, type Quad } from 'n3';
import createRdfXmlWriter from '@graphy/content.xml.scribe';
import { PREFIXES } from '../rdf/namespaces.js';
import type { EngineOptions } from './engine.js';
import type { Replica, ReplicaQuery } from './replica.js';
import type { ChangeStep } from './worker-protocol.js';

// Blank-node labels are kept as sent, so that a later deletion names the same nodes.
export const parseNQuads = (text: string): Quad[] =>
  new Parser({ format: 'application/n-quads', blankNodePrefix: '' }).parse(text);

/** The Comunica context every evaluation uses, in this thread or in a query worker. */
export function comunicaContext(source: Store, options: EngineOptions) {
  return {
    sources: [source],
    unionDefaultGraph: options.unionDefaultGraph ?? true,
    baseIRI: options.baseIri,
  };
}

/**
 * A failure of a SERVICE endpoint. Its message starts with `SERVICE <endpoint>`, and a timeout's
 * says "did not answer": the worker pool reads both (worker-pool.ts, evaluationError).
 */
class RemoteEndpointError extends Error {}

const SPARQL_RESULT_TYPES = [
  'application/sparql-results+json',
  'application/sparql-results+xml',
  'application/json',
  'application/xml',
  'text/xml',
  'text/csv',
  'text/tab-separated-values',
  'text/turtle',
  'application/n-triples',
  'application/n-quads',
  'application/trig',
  'application/ld+json',
  'application/rdf+xml',
];

/**
 * The fetch Comunica uses for SERVICE calls: every call of one query shares a deadline a little
 * before the query's time limit, so that a silent remote is reported, by name, before the query
 * is stopped; the answer to a query must be SPARQL results, and JSON results must be whole
 * (Comunica 5.4 reads a truncated JSON document as fewer rows, without an error).
 */
function federationFetch(budgetMs: number): typeof fetch {
  const deadline = Date.now() + budgetMs;
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const endpoint = `${url.origin}${url.pathname}`;
    const isQuery = url.searchParams.has('query') || (init?.method ?? 'GET') === 'POST';
    const budget = Math.max(deadline - Date.now(), 0);
    const timeout = AbortSignal.timeout(budget);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const failed = (problem: string) => new RemoteEndpointError(`SERVICE <${endpoint}> ${problem}`);
    const timedOut = () =>
      failed(`did not answer in time (a query's SERVICE calls have ${budgetMs} ms in all)`);
    let response: Response;
    try {
      response = await fetch(input, { ...init, signal });
    } catch (error) {
      if (timeout.aborted) throw timedOut();
      const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      throw failed(`could not be reached: ${cause}`);
    }
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!isQuery || !response.ok) return response;
    if (!SPARQL_RESULT_TYPES.includes(mediaType)) {
      await response.body?.cancel();
      throw failed(`answered with ${mediaType || 'no content type'}, not SPARQL results`);
    }
    if (!mediaType.endsWith('json')) return response;
    let text: string;
    try {
      text = await response.text();
    } catch {
      throw timeout.aborted ? timedOut() : failed('cut its answer short');
    }
    try {
      JSON.parse(text);
    } catch (error) {
      throw failed(`answered with malformed JSON: ${(error as Error).message}`);
    }
    return new Response(text, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/** The context entries of a query that calls SERVICE, started now, given the query time limit. */
export function federationContext(queryTimeoutMs = 30_000) {
  // Leave time for the error to reach the client before the query's own time limit.
  const budget = queryTimeoutMs - Math.min(1000, queryTimeoutMs / 5);
  return { fetch: federationFetch(budget) };
}

/** Comunica's message for a remote's HTTP error, which names the endpoint with its whole body. */
const HTTP_ERROR =
  /^Invalid SPARQL endpoint response from (\S+) \(HTTP status (\d+)\):\n?([\s\S]*)$/;

/** A SERVICE failure as a message that names the endpoint and the problem, in a line or two. */
function remoteError(error: unknown): unknown {
  if (error instanceof RemoteEndpointError || !(error instanceof Error)) return error;
  const http = HTTP_ERROR.exec(error.message);
  if (!http) return error;
  const body = (http[3] ?? '').replace(/\s+/g, ' ').trim();
  const excerpt = body.length > 200 ? `${body.slice(0, 200)}…` : body;
  return new RemoteEndpointError(
    `SERVICE <${http[1]}> answered HTTP ${http[2]}${excerpt ? `: ${excerpt}` : ''}`,
  );
}

/**
 * Waits for the first item of a result stream, so that a query calling SERVICE whose remote fails
 * before any result is answered with an error status rather than a cut-off stream.
 */
function firstItem<T>(stream: AsyncIterator<T>): Promise<AsyncIterator<T>> {
  return new Promise((resolve, reject) => {
    const done = (outcome: () => void) => {
      stream.removeListener('readable', attempt);
      stream.removeListener('end', ended);
      stream.removeListener('error', failed);
      outcome();
    };
    const attempt = () => {
      const item = stream.read();
      if (item !== null) done(() => resolve(stream.prepend([item])));
      else if (stream.done) ended();
    };
    const ended = () => done(() => resolve(new ArrayIterator<T>([], { autoStart: false })));
    const failed = (error: Error) => done(() => reject(error));
    stream.on('readable', attempt);
    stream.on('end', ended);
    stream.on('error', failed);
    attempt();
  });
}

/**
 * Evaluates with Comunica over any RDF/JS source and serialises in every result format, filling
 * the two gaps of Comunica 5.4: RDF/XML output, and ASK results as XML.
 */
export async function evaluateWithComunica(
  engine: QueryEngine,
  context: QueryStringContext,
  query: ReplicaQuery,
): Promise<NodeJS.ReadableStream> {
  try {
    return await evaluate(engine, context, query);
  } catch (error) {
    throw query.federated ? remoteError(error) : error;
  }
}

async function evaluate(
  engine: QueryEngine,
  context: QueryStringContext,
  query: ReplicaQuery,
): Promise<NodeJS.ReadableStream> {
  const result = await engine.query(query.text, context);
  const { rowLimit, mediaType } = query;
  if (query.federated && (result.resultType === 'bindings' || result.resultType === 'quads')) {
    const stream = await firstItem<unknown>((await result.execute()) as never);
    result.execute = async () => stream as never;
  }
  if (rowLimit !== undefined && result.resultType === 'bindings') {
    const execute = result.execute.bind(result);
    result.execute = async (...args) => (await execute(...args)).take(rowLimit);
  }
  if (mediaType === 'application/rdf+xml' && result.resultType === 'quads') {
    return toRdfXml((await result.execute()) as unknown as NodeJS.ReadableStream);
  }
  if (mediaType === 'application/sparql-results+xml' && result.resultType === 'boolean') {
    // Comunica 5.4's XML writer fails on ASK results ("action.metadata is not a function").
    return Readable.from([booleanXml(await result.execute())]);
  }
  return (await engine.resultToString(result, mediaType)).data;
}

function booleanXml(value: boolean): string {
  return (
    '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n' +
    `  <head></head>\n  <boolean>${value}</boolean>\n</sparql>\n`
  );
}

/** RDF/XML cannot name every predicate; such a triple ends the stream with an error, not a gap. */
function toRdfXml(quads: NodeJS.ReadableStream): NodeJS.ReadableStream {
  const writer = createRdfXmlWriter({ prefixes: { ...PREFIXES } });
  quads.on('data', (quad: Quad) => {
    if (!/[\p{L}_][\p{L}\p{N}_.-]*$/u.test(quad.predicate.value)) {
      writer.destroy(new Error(`RDF/XML cannot express the predicate <${quad.predicate.value}>`));
      return;
    }
    writer.write(quad);
  });
  quads.on('end', () => writer.end());
  quads.on('error', (error: Error) => writer.destroy(error));
  return writer;
}

/** Comunica over an N3 store. */
export class ComunicaReplica implements Replica {
  private readonly store = new Store();
  private readonly engine = new QueryEngine();

  constructor(private readonly options: EngineOptions & { queryTimeoutMs?: number }) {}

  load(nquads: string): void {
    this.store.addQuads(parseNQuads(nquads));
  }

  change(steps: ChangeStep[]): void {
    for (const step of steps) {
      if (step.delete) this.store.removeQuads(parseNQuads(step.delete));
      if (step.add) this.store.addQuads(parseNQuads(step.add));
    }
  }

  evaluate(query: ReplicaQuery): Promise<NodeJS.ReadableStream> {
    const context = {
      ...comunicaContext(this.store, this.options),
      ...(query.federated ? federationContext(this.options.queryTimeoutMs) : {}),
    };
    return evaluateWithComunica(this.engine, context, query);
  }
}
