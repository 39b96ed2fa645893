import { ArrayIterator, type AsyncIterator } from 'asynciterator';
import { RESULT_MEDIA_TYPES } from './media-types.js';

/*
 * Federation: what makes a query that calls SERVICE fail clearly and in time when a remote
 * endpoint hangs, fails or answers nonsense (see docs/api.md, SERVICE).
 */

/**
 * A failure of a SERVICE endpoint. Its message starts with `SERVICE <endpoint>`, and a timeout's
 * says "did not answer": the worker pool reads both (worker-pool.ts, evaluationError).
 */
class RemoteEndpointError extends Error {}

/** What a remote may answer a query with: any result format this server writes, or generic JSON/XML. */
const SPARQL_RESULT_TYPES = [
  ...new Set<string>([
    ...Object.values(RESULT_MEDIA_TYPES).flat(),
    'application/json',
    'application/xml',
    'text/xml',
  ]),
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
export function remoteError(error: unknown): unknown {
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
export function firstItem<T>(stream: AsyncIterator<T>): Promise<AsyncIterator<T>> {
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
