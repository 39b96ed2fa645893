import type { Quad, Term } from '@rdfjs/types';
import { DataFactory as N3DataFactory, Parser } from 'n3';
import { DataFactory } from 'rdf-data-factory';
import { SparqlJsonParser } from 'sparqljson-parse';
import { DigestSession, parseDigestChallenge, type DigestCredentials } from './digest-auth.js';
import { toNTriples } from './ntriples.js';
import type { Skolemizer } from './skolem.js';
import { changesetUpdate } from './update-text.js';

/**
 * A client of an external SPARQL 1.1 store: its query endpoint (SPARQL 1.1 Protocol), its update
 * endpoint and its Graph Store HTTP Protocol endpoint, with Digest credentials and a time limit
 * on every request. It is the bottom layer of the Virtuoso backend (docs/deployment.md): it takes
 * complete query and update texts and RDF/JS quads and never builds SPARQL from user strings.
 *
 * Written against Virtuoso 7.2.5 and kept to the standard protocol, with two Virtuoso lessons
 * built in: queries are sent as an HTML form (a direct `application/sparql-query` POST never gets
 * an answer from Virtuoso 7.2.5), and a request may hang, so every one has a deadline.
 */

export interface RemoteSparqlEndpoints {
  /** SPARQL 1.1 query endpoint, e.g. Virtuoso's `http://host:8890/sparql`. */
  readonly query: string;
  /** SPARQL 1.1 update endpoint, e.g. Virtuoso's `/sparql-auth` (Digest). */
  readonly update: string;
  /** Graph Store Protocol endpoint, e.g. Virtuoso's `/sparql-graph-crud-auth` (Digest). */
  readonly graphStore: string;
}

export interface RemoteSparqlOptions {
  readonly endpoints: RemoteSparqlEndpoints;
  /** Answered to a Digest challenge (HTTP 401) from any of the endpoints. */
  readonly credentials?: DigestCredentials;
  /** Deadline of each request, answer body included. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Blank nodes kept as skolem IRIs in the store (written so, read back as blank nodes). */
  readonly skolemizer?: Skolemizer;
}

/** The endpoints of a Virtuoso server at `baseUrl`: anonymous reads, authenticated writes. */
export function virtuosoEndpoints(baseUrl: string): RemoteSparqlEndpoints {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    query: `${base}/sparql`,
    update: `${base}/sparql-auth`,
    graphStore: `${base}/sparql-graph-crud-auth`,
  };
}

export type RemoteStoreErrorKind = 'http' | 'timeout' | 'network' | 'response';

/** A request to the store that failed, with what is needed to tell why. */
export class RemoteStoreError extends Error {
  constructor(
    message: string,
    readonly kind: RemoteStoreErrorKind,
    readonly method: string,
    readonly url: string,
    /** The HTTP status when the server answered. */
    readonly status?: number,
    /** The server's own message (the body of its error answer), when it sent one. */
    readonly serverMessage?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RemoteStoreError';
  }
}

export interface SelectResult {
  readonly variables: readonly string[];
  /** One record per row; a variable left unbound in a row is absent from its record. */
  readonly bindings: ReadonlyArray<Readonly<Record<string, Term>>>;
}

/**
 * A graph body: quads (their graph component is ignored: the target graph is the request's), or
 * a document already written in N-Triples or Turtle.
 */
export type GraphBody =
  | readonly Quad[]
  | { readonly contentType: 'application/n-triples' | 'text/turtle'; readonly text: string };

const SPARQL_JSON = 'application/sparql-results+json';
const GRAPH_ACCEPT = 'application/n-triples, text/turtle;q=0.9';
/** Enough of an error body to understand it; Virtuoso echoes the whole query after its message. */
const MESSAGE_LIMIT = 2000;

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  /** Virtuoso's `X-SQL-State` / `X-SQL-Message` when it stopped a query and sent what it had. */
  readonly incomplete?: string;
}

/** Virtuoso's SQL state for an "anytime" query interrupted at its time limit. */
const INTERRUPTED = 'S1TAT';
/** How long after its deadline a query's answer is still awaited: Virtuoso overshoots a little. */
const QUERY_GRACE_MS = 2_000;

export class RemoteSparqlClient {
  readonly endpoints: RemoteSparqlEndpoints;
  private readonly timeoutMs: number;
  private readonly digest: DigestSession | undefined;
  private readonly factory = new DataFactory();
  private readonly skolemizer: Skolemizer | undefined;

  constructor(options: RemoteSparqlOptions) {
    this.endpoints = options.endpoints;
    this.skolemizer = options.skolemizer;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.digest = options.credentials ? new DigestSession(options.credentials) : undefined;
  }

  /** Runs a SELECT query; terms are RDF/JS terms (Virtuoso's `typed-literal` is understood). */
  async select(query: string): Promise<SelectResult> {
    const json = await this.queryJson(query);
    const head = (json as { head?: { vars?: unknown } }).head;
    const variables = Array.isArray(head?.vars) ? head.vars.map(String) : [];
    const parser = new SparqlJsonParser({ dataFactory: this.factory });
    const bindings = this.parsed('POST', this.endpoints.query, () =>
      parser.parseJsonResults(json).map((row) => this.fromStoreRow(normalizedRow(row))),
    );
    return { variables, bindings };
  }

  async ask(query: string): Promise<boolean> {
    const json = await this.queryJson(query);
    const parser = new SparqlJsonParser({ dataFactory: this.factory });
    return this.parsed('POST', this.endpoints.query, () => parser.parseJsonBoolean(json));
  }

  /** Runs a CONSTRUCT (or DESCRIBE) query; the quads are in the default graph. */
  async construct(query: string): Promise<Quad[]> {
    const answer = await this.query(query, GRAPH_ACCEPT);
    return this.parseGraph(answer, 'POST', this.endpoints.query);
  }

  /**
   * Removes then adds quads, as one request of DELETE DATA and INSERT DATA (see `update` on
   * atomicity). Idempotent: blank nodes go to the store as skolem IRIs when a skolemizer is set
   * (and are refused otherwise, since DELETE DATA cannot name them).
   */
  async applyChange(deletions: readonly Quad[], additions: readonly Quad[]): Promise<void> {
    const toStore = (quads: readonly Quad[]) => quads.map((q) => this.quadToStore(q));
    const text = changesetUpdate(toStore(deletions), toStore(additions));
    if (text) await this.update(text);
  }

  /**
   * Sends one update request (which may hold several operations separated by `;`). Whether the
   * operations of one request are applied atomically is up to the store: Virtuoso 7.2.5 does
   * not roll back earlier operations when a later one fails (test/integration/virtuoso.test.ts).
   */
  async update(update: string): Promise<void> {
    const url = this.endpoints.update;
    const answer = await this.request('POST', url, {
      contentType: 'application/sparql-update',
      body: update,
    });
    expectStatus(answer, 'POST', url, [200, 204]);
  }

  /** The triples of a named graph, as quads in that graph; undefined when the store answers 404. */
  async getGraph(graphIri: string): Promise<Quad[] | undefined> {
    const url = this.graphUrl(graphIri);
    const answer = await this.request('GET', url, { accept: GRAPH_ACCEPT });
    if (answer.status === 404) return undefined;
    expectStatus(answer, 'GET', url, [200]);
    const graph = this.factory.namedNode(graphIri);
    return this.parseGraph(answer, 'GET', url).map((q) =>
      this.factory.quad(q.subject, q.predicate, q.object, graph),
    );
  }

  private quadToStore(q: Quad): Quad {
    return this.skolemizer ? this.skolemizer.quadToStore(q) : q;
  }

  private fromStoreRow(row: Record<string, Term>): Record<string, Term> {
    const skolemizer = this.skolemizer;
    if (!skolemizer) return row;
    return Object.fromEntries(
      Object.entries(row).map(([name, term]) => [name, skolemizer.fromStore(term)]),
    );
  }

  /** Replaces a named graph's content (Graph Store PUT); true when the graph was created (201). */
  async putGraph(graphIri: string, body: GraphBody): Promise<boolean> {
    const url = this.graphUrl(graphIri);
    const answer = await this.request('PUT', url, this.graphRequestBody(body));
    expectStatus(answer, 'PUT', url, [200, 201, 204]);
    return answer.status === 201;
  }

  /** Adds triples to a named graph (Graph Store POST). */
  async postGraph(graphIri: string, body: GraphBody): Promise<void> {
    const url = this.graphUrl(graphIri);
    const answer = await this.request('POST', url, this.graphRequestBody(body));
    expectStatus(answer, 'POST', url, [200, 201, 204]);
  }

  /** Removes a named graph (Graph Store DELETE); false when the store did not know it (404). */
  async deleteGraph(graphIri: string): Promise<boolean> {
    const url = this.graphUrl(graphIri);
    const answer = await this.request('DELETE', url, {});
    if (answer.status === 404) return false;
    expectStatus(answer, 'DELETE', url, [200, 204]);
    return true;
  }

  private graphUrl(graphIri: string): string {
    const url = new URL(this.endpoints.graphStore);
    url.searchParams.set('graph', graphIri);
    return url.toString();
  }

  /**
   * Sends a query as a form (a direct `application/sparql-query` POST never answers on Virtuoso).
   * Virtuoso also gets the deadline as its `timeout`, so that it stops evaluating rather than run
   * on after the client gave up; it then answers with what it has and says so, which
   * `checkComplete` turns into a timeout. The client waits QUERY_GRACE_MS longer for that answer.
   */
  private async query(query: string, accept: string): Promise<Answer> {
    const url = this.endpoints.query;
    const answer = await this.request('POST', url, {
      accept,
      contentType: 'application/x-www-form-urlencoded',
      body: new URLSearchParams({ query, timeout: String(this.timeoutMs) }).toString(),
      graceMs: QUERY_GRACE_MS,
    });
    checkComplete(answer, url, this.timeoutMs);
    expectStatus(answer, 'POST', url, [200]);
    return answer;
  }

  private async queryJson(query: string): Promise<unknown> {
    const url = this.endpoints.query;
    const answer = await this.query(query, SPARQL_JSON);
    if (!/^application\/(sparql-results\+)?json$/.test(answer.contentType)) {
      throw responseError('POST', url, `expected SPARQL JSON results, got ${answer.contentType}`);
    }
    return this.parsed('POST', url, () => JSON.parse(answer.text) as unknown);
  }

  private parseGraph(answer: Answer, method: string, url: string): Quad[] {
    const format =
      answer.contentType === 'text/turtle'
        ? 'text/turtle'
        : answer.contentType === 'application/n-triples' || answer.contentType === 'text/plain'
          ? 'application/n-triples'
          : undefined;
    if (!format) {
      throw responseError(method, url, `expected N-Triples or Turtle, got ${answer.contentType}`);
    }
    // Blank node labels are kept as the server wrote them (no prefix): Virtuoso's `_:b10001` is
    // the node it calls `nodeID://b10001` elsewhere, which a later layer may need to refer back.
    const parser = new Parser({ format, blankNodePrefix: '', factory: N3DataFactory });
    const quads = this.parsed(method, url, () => parser.parse(answer.text) as Quad[]);
    const skolemizer = this.skolemizer;
    return skolemizer ? quads.map((q) => skolemizer.quadFromStore(q)) : quads;
  }

  private graphRequestBody(body: GraphBody): { contentType: string; body: string } {
    if ('text' in body) return { contentType: body.contentType, body: body.text };
    return {
      contentType: 'application/n-triples',
      body: toNTriples(body.map((q) => this.quadToStore(q))),
    };
  }

  private parsed<T>(method: string, url: string, parse: () => T): T {
    try {
      return parse();
    } catch (error) {
      throw responseError(method, url, `unreadable answer: ${(error as Error).message}`, error);
    }
  }

  /**
   * One HTTP exchange under one deadline. On a Digest challenge (401) the request is sent once
   * more with the answer; the challenge is kept, so later requests are authorised at once.
   */
  private async request(
    method: string,
    url: string,
    options: { accept?: string; contentType?: string; body?: string; graceMs?: number },
  ): Promise<Answer> {
    const deadlineMs = this.timeoutMs + (options.graceMs ?? 0);
    const signal = AbortSignal.timeout(deadlineMs);
    const target = new URL(url);
    const uri = `${target.pathname}${target.search}`;
    try {
      for (let attempt = 0; ; attempt += 1) {
        const headers: Record<string, string> = {};
        if (options.accept) headers.accept = options.accept;
        if (options.contentType) headers['content-type'] = options.contentType;
        const authorization = this.digest?.authorization(method, uri);
        if (authorization) headers.authorization = authorization;
        const response = await fetch(target, { method, headers, body: options.body, signal });
        const text = await response.text();
        if (response.status === 401 && this.digest && attempt === 0) {
          const challenge = parseDigestChallenge(response.headers.get('www-authenticate'));
          if (challenge) {
            this.digest.accept(challenge);
            continue;
          }
        }
        const contentType =
          (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        const state = response.headers.get('x-sql-state');
        const incomplete =
          state === INTERRUPTED
            ? `${state} ${response.headers.get('x-sql-message') ?? ''}`
            : undefined;
        return { status: response.status, contentType, text, incomplete };
      }
    } catch (error) {
      if (signal.aborted) {
        throw new RemoteStoreError(
          `${method} ${url}: no complete answer within ${deadlineMs} ms`,
          'timeout',
          method,
          url,
          undefined,
          undefined,
          { cause: error },
        );
      }
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      const reason = cause ?? (error as Error).message;
      throw new RemoteStoreError(
        `${method} ${url}: ${reason}`,
        'network',
        method,
        url,
        undefined,
        undefined,
        { cause: error },
      );
    }
  }
}

function expectStatus(answer: Answer, method: string, url: string, expected: number[]): void {
  if (expected.includes(answer.status)) return;
  const serverMessage = answer.text.trim().slice(0, MESSAGE_LIMIT);
  const hint = answer.status === 401 ? ' (credentials refused or missing)' : '';
  const firstLine = serverMessage.split('\n', 1)[0] ?? '';
  throw new RemoteStoreError(
    `${method} ${url}: HTTP ${answer.status}${hint}${firstLine ? `: ${firstLine}` : ''}`,
    'http',
    method,
    url,
    answer.status,
    serverMessage,
  );
}

function responseError(method: string, url: string, reason: string, cause?: unknown) {
  return new RemoteStoreError(
    `${method} ${url}: ${reason}`,
    'response',
    method,
    url,
    undefined,
    undefined,
    {
      cause,
    },
  );
}

const XSD_BOOLEAN = 'http://www.w3.org/2001/XMLSchema#boolean';

/**
 * Two of Virtuoso's SPARQL JSON habits, undone:
 * - a boolean comes as `"1"`/`"0"` where its N-Triples say `"true"`/`"false"`: it stores booleans by
 *   value, so the canonical form is the only faithful one;
 * - a blank node is named `nodeID://b10001`, which no RDF syntax accepts as a label: it becomes
 *   `b10001` (the same node keeps the same label).
 */
function normalizedRow(row: Record<string, Term>): Record<string, Term> {
  let changed: Record<string, Term> | undefined;
  for (const [name, term] of Object.entries(row)) {
    const normal = normalizedTerm(term);
    if (normal === term) continue;
    changed ??= { ...row };
    changed[name] = normal;
  }
  return changed ?? row;
}

function normalizedTerm(term: Term): Term {
  if (term.termType === 'BlankNode' && !/^[A-Za-z0-9_-]+$/.test(term.value)) {
    return N3DataFactory.blankNode(
      term.value.replace(/^nodeID:\/\//, '').replace(/[^A-Za-z0-9_-]/g, '_'),
    );
  }
  if (term.termType === 'Literal' && term.datatype.value === XSD_BOOLEAN) {
    if (term.value === '1') return N3DataFactory.literal('true', term.datatype);
    if (term.value === '0') return N3DataFactory.literal('false', term.datatype);
  }
  return term;
}

/**
 * A query Virtuoso stopped at its time limit is a timeout, never an answer. It says so in one of
 * two ways: HTTP 200 with the results it had and `X-SQL-State: S1TAT` (partial results: a COUNT
 * of some of the rows), or HTTP 500 `SR203: Async statement killed by SQLCancel`.
 */
function checkComplete(answer: Answer, url: string, timeoutMs: number): void {
  const killed = answer.status === 500 && /\bSR203\b/.test(answer.text) ? 'SR203' : undefined;
  const reason = answer.incomplete?.trim() ?? killed;
  if (reason === undefined) return;
  throw new RemoteStoreError(
    `POST ${url}: the store stopped the query at its time limit (about ${timeoutMs} ms)` +
      (answer.incomplete ? ` and sent incomplete results (${reason})` : ` (${reason})`),
    'timeout',
    'POST',
    url,
    answer.status,
    reason,
  );
}
