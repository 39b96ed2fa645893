import { jest } from '@jest/globals';
import fc from 'fast-check';
import { Parser, termToId, type Quad } from 'n3';
import type { RunningServer } from '../../src/http/server.js';
import { serializeRdf } from '../../src/rdf/serialize.js';
import { RESULT_MEDIA_TYPES } from '../../src/sparql/media-types.js';
import { addUser, GRAPH, RDFS_LABEL, type Account } from '../helpers/collab-helpers.js';
import { BASE } from '../helpers/project.js';
import { rawRequest, type RawOutcome, type RawRequest } from '../helpers/raw-http.js';
import { ADMIN_TOKEN, startTestServer } from '../helpers/server.js';
import {
  arbitraryText,
  mutatedText,
  percentEncode,
  RDF_TOKENS,
  SEED_DATA,
  SEED_QUERIES,
  SPARQL_TOKENS,
} from './fuzz-inputs.js';

/**
 * Fuzzing (issue 9, part 1): one real server, thousands of random and mutated requests. Whatever
 * comes in, the server answers in time with no 5xx other than a deliberate 503, keeps running,
 * and changes the graph only when it said it accepted a write.
 *
 * FUZZ_SEED replays a run; FUZZ_RUNS sets the number of cases of every property.
 */

const QUERY_TIMEOUT_MS = 2000;
/** The client waits this long for a whole answer: the server's limit and a margin for a busy CI. */
const CLIENT_TIMEOUT_MS = QUERY_TIMEOUT_MS + 4000;
const BODY_LIMIT = 200_000;
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
/** Each property draws from its own seed, derived from the run's. */
const PROPERTY_SEEDS: Record<string, number> = {
  'sparql-query': 1,
  reconcile: 2,
  'paths-headers': 3,
  contributions: 4,
  'admin-writes': 5,
};
const seedOf = (name: string) => SEED + (PROPERTY_SEEDS[name] ?? 0);
const runs = (standard: number) =>
  process.env.FUZZ_RUNS ? Math.max(1, Number(process.env.FUZZ_RUNS)) : standard;

const VARIANT_SPARQL = 'application/sparql-results+json';
const ACCEPTS = [
  ...new Set([...RESULT_MEDIA_TYPES.bindings, ...RESULT_MEDIA_TYPES.quads]),
  'application/json',
  'text/html',
  '*/*',
  '',
  'text/*;q=0.5, */*;q=0.1',
  'application/sparql-results+json;q=0, text/csv;q=0',
  'application/sparql-results+json; charset=latin1',
  'application/*;q=abc',
  ';;;,,,',
  'image/png',
];

/** Mostly absent: `null` four times in five. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

interface Tally {
  cases: number;
  requests: number;
  unsendable: number;
  statuses: Record<string, number>;
}

/** A failing property shrinks its case request by request: give it time, within bounds. */
jest.setTimeout(150_000);
const SHRINK_BUDGET = { interruptAfterTimeLimit: 100_000, markInterruptAsFailure: true };

describe('fuzzing the HTTP surface', () => {
  let server: RunningServer;
  let url: string;
  let contributor: Account;
  let moderator: Account;
  let initialCount: string;
  const tallies = new Map<string, Tally>();
  const suiteStart = performance.now();

  beforeAll(async () => {
    server = await startTestServer({
      'query-timeout-ms': String(QUERY_TIMEOUT_MS),
      'body-limit-bytes': String(BODY_LIMIT),
      // A SERVICE the fuzzer can never name: no query leaves the machine.
      'service-allowlist': 'http://allow-listed.invalid/sparql',
      // Rate limits have their own tests: here they would refuse most cases before they are read.
      'rate-limit-sparql': '0',
      'rate-limit-writes': '0',
    });
    url = server.url;
    contributor = await addUser(url, 'fuzz-contributor', 'contributor');
    moderator = await addUser(url, 'fuzz-moderator', 'moderator');
    const count = await countAll();
    if (count.kind !== 'response' || count.status !== 200) throw new Error('no initial count');
    initialCount = count.body;
    process.stdout.write(
      `fuzz: seed ${SEED} (FUZZ_SEED to replay), runs ${process.env.FUZZ_RUNS ?? 'default'} (FUZZ_RUNS)\n`,
    );
  });

  afterAll(async () => {
    const total = [...tallies.values()].reduce(
      (sum, t) => ({ cases: sum.cases + t.cases, requests: sum.requests + t.requests }),
      { cases: 0, requests: 0 },
    );
    process.stdout.write(
      `fuzz: ${total.cases} cases, ${total.requests} requests in total, seed ${SEED}, ` +
        `${((performance.now() - suiteStart) / 1000).toFixed(1)} s\n`,
    );
    await server?.close();
  });

  const tally = (name: string): Tally => {
    let entry = tallies.get(name);
    if (!entry) {
      entry = { cases: 0, requests: 0, unsendable: 0, statuses: {} };
      tallies.set(name, entry);
    }
    return entry;
  };

  const report = (name: string, started: number) => {
    const t = tally(name);
    const statuses = Object.entries(t.statuses)
      .sort()
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    process.stdout.write(
      `fuzz ${name} (seed ${seedOf(name)}): ${t.cases} cases, ${t.requests} requests ` +
        `(${t.unsendable} refused by the client), ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
        `statuses ${statuses}\n`,
    );
  };

  /**
   * Sends a request and checks what every answer must be: complete within the deadline, and no
   * 5xx except the deliberate 503 of a stopped query or a full queue. A connection cut is what the
   * SPARQL endpoint does to a query that times out while streaming: allowed there only.
   */
  async function send(name: string, spec: RawRequest): Promise<RawOutcome> {
    const t = tally(name);
    const outcome = await rawRequest(url, spec, CLIENT_TIMEOUT_MS);
    const what = `${spec.method ?? 'GET'} ${spec.path.slice(0, 300)}`;
    if (outcome.kind === 'unsendable') {
      t.unsendable++;
      return outcome;
    }
    t.requests++;
    if (outcome.kind === 'timeout') {
      throw new Error(`no complete answer within ${CLIENT_TIMEOUT_MS} ms: ${what}`);
    }
    if (outcome.kind === 'cut') {
      const key = `cut`;
      t.statuses[key] = (t.statuses[key] ?? 0) + 1;
      if (!spec.path.startsWith('/sparql') || outcome.ms < QUERY_TIMEOUT_MS) {
        throw new Error(`connection cut (${outcome.reason}) after ${outcome.ms} ms: ${what}`);
      }
      return outcome;
    }
    t.statuses[outcome.status] = (t.statuses[outcome.status] ?? 0) + 1;
    if (outcome.status >= 500) {
      const deliberate =
        outcome.status === 503 && /^(Query stopped|Server busy)/.test(outcome.body);
      if (!deliberate) {
        throw new Error(`${outcome.status} ${outcome.body.slice(0, 300)} for ${what}`);
      }
    }
    return outcome;
  }

  /** The graph as a set of N-Quads terms, read from the server's own store (exact, cheap). */
  const storeSnapshot = (): Set<string> =>
    new Set(
      server.store
        .quads()
        .map((q) => [q.subject, q.predicate, q.object, q.graph].map(termToId).join(' ')),
    );

  /** The graph as the N-Quads dump a client downloads, as a set of lines. */
  const dumpSnapshot = async (): Promise<Set<string>> => {
    const outcome = await rawRequest(url, { path: '/export/dump.nq' }, 30_000);
    if (outcome.kind !== 'response' || outcome.status !== 200) {
      throw new Error(`the dump failed: ${JSON.stringify(outcome).slice(0, 300)}`);
    }
    return new Set(outcome.body.split('\n').filter((line) => line.trim() !== ''));
  };

  const difference = (before: Set<string>, after: Set<string>) => ({
    removed: [...before].filter((q) => !after.has(q)),
    added: [...after].filter((q) => !before.has(q)),
  });

  const expectSame = (before: Set<string>, after: Set<string>, why: string) => {
    const { removed, added } = difference(before, after);
    if (removed.length + added.length > 0) {
      throw new Error(
        `${why}: the graph changed, ${removed.length} quads removed ` +
          `(${removed.slice(0, 3).join(' | ')}), ${added.length} added (${added.slice(0, 3).join(' | ')})`,
      );
    }
  };

  const healthy = async () => {
    const outcome = await rawRequest(url, { path: '/healthz' }, 10_000);
    expect(outcome.kind).toBe('response');
    if (outcome.kind !== 'response') return;
    expect(outcome.status).toBe(200);
    expect(JSON.parse(outcome.body)).toMatchObject({ status: 'ok' });
  };

  const pendingTotal = async (): Promise<number> => {
    const outcome = await rawRequest(
      url,
      { path: '/api/changesets?status=pending&limit=1' },
      10_000,
    );
    if (outcome.kind !== 'response' || outcome.status !== 200) throw new Error('no changeset list');
    return (JSON.parse(outcome.body) as { total: number }).total;
  };

  /**
   * Runs a read-only property: the graph (store and dump) must be the same afterwards, and the
   * server must still answer.
   */
  async function readOnlyRun<T>(
    name: string,
    arbitrary: fc.Arbitrary<T>,
    numRuns: number,
    check: (input: T) => Promise<void>,
  ) {
    const started = performance.now();
    const dumpBefore = await dumpSnapshot();
    const before = storeSnapshot();
    await fc.assert(
      fc.asyncProperty(arbitrary, async (input) => {
        tally(name).cases++;
        await check(input);
      }),
      { numRuns, seed: seedOf(name), ...SHRINK_BUDGET },
    );
    expectSame(before, storeSnapshot(), `${name} (store)`);
    expectSame(dumpBefore, await dumpSnapshot(), `${name} (dump)`);
    await healthy();
    report(name, started);
  }

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

  // ---------------------------------------------------------------------------------------------

  it('SPARQL queries: mutated competency and benchmark queries, and arbitrary text', async () => {
    const query = fc.oneof(
      { weight: 4, arbitrary: mutatedText(fc.constantFrom(...SEED_QUERIES), SPARQL_TOKENS, 5) },
      { weight: 1, arbitrary: arbitraryText },
    );
    const input = fc.record({
      query,
      how: fc.constantFrom('get', 'form', 'direct'),
      accept: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(VARIANT_SPARQL, 'text/turtle', '*/*') },
        { weight: 3, arbitrary: fc.constantFrom(...ACCEPTS) },
        { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
      ),
      format: rarely(fc.constantFrom('json', 'xml', 'csv', 'ttl', 'jsonld', 'nq', 'html', '')),
      defaultGraph: rarely(
        fc.constantFrom(GRAPH.data, GRAPH.history, 'http://127.0.0.1:1/', 'not an iri', ''),
      ),
    });
    await readOnlyRun('sparql-query', input, runs(260), async (i) => {
      const params: Record<string, string> = {};
      if (i.format !== null) params.format = i.format;
      if (i.defaultGraph !== null) params['default-graph-uri'] = i.defaultGraph;
      const headers = { Accept: i.accept };
      if (i.how === 'get') {
        await send('sparql-query', {
          path: `/sparql?${form({ query: i.query, ...params })}`,
          headers,
        });
      } else if (i.how === 'form') {
        await send('sparql-query', {
          method: 'POST',
          path: '/sparql',
          headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: form({ query: i.query, ...params }),
        });
      } else {
        await send('sparql-query', {
          method: 'POST',
          path: `/sparql?${form(params)}`,
          headers: { ...headers, 'Content-Type': 'application/sparql-query' },
          body: i.query,
        });
      }
    });
  });

  // ---------------------------------------------------------------------------------------------

  it('reconciliation: random and malformed batches, suggest and preview', async () => {
    const jsonish = fc.jsonValue({ maxDepth: 3 });
    const queryObject = fc.record(
      {
        query: fc.oneof(fc.string({ maxLength: 60 }), arbitraryText, jsonish),
        type: fc.oneof(
          fc.constantFrom('Person', 'Organisation', 'DigitalCommons', 'GovernmentAgency', ''),
          fc.string({ maxLength: 30 }),
          jsonish,
        ),
        limit: fc.oneof(fc.integer(), fc.double(), jsonish),
        type_strict: fc.constantFrom('any', 'all', 'should'),
        properties: fc.oneof(
          fc.array(
            fc.record(
              {
                pid: fc.oneof(
                  fc.constantFrom('wikidata', 'affiliation', 'memberOf', 'claimant', `${BASE}x`),
                  fc.string({ maxLength: 20 }),
                  jsonish,
                ),
                v: fc.oneof(fc.string({ maxLength: 40 }), jsonish),
              },
              { requiredKeys: [] },
            ),
            { maxLength: 4 },
          ),
          jsonish,
        ),
      },
      { requiredKeys: [] },
    );
    const batch = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), queryObject, { maxKeys: 5 }),
      },
      { weight: 1, arbitrary: jsonish },
    );
    const batchText = fc.oneof(
      { weight: 4, arbitrary: batch.map((b) => JSON.stringify(b)) },
      {
        weight: 1,
        arbitrary: mutatedText(
          batch.map((b) => JSON.stringify(b)),
          RDF_TOKENS,
          3,
        ),
      },
      { weight: 1, arbitrary: arbitraryText },
    );
    const input = fc.oneof(
      fc.record({
        kind: fc.constant('batch' as const),
        how: fc.constantFrom('get', 'form', 'json'),
        text: batchText,
        callback: fc.option(fc.oneof(fc.constantFrom('cb', 'a.b', 'alert(1)//'), fc.string())),
      }),
      fc.record({
        kind: fc.constant('suggest' as const),
        service: fc.constantFrom('entity', 'type', 'property', 'nothing'),
        prefix: fc.oneof(fc.string({ maxLength: 30 }), arbitraryText),
        type: fc.option(fc.string({ maxLength: 30 })),
        callback: fc.option(fc.constantFrom('cb', 'x$y.z', '<script>')),
      }),
      fc.record({
        kind: fc.constant('preview' as const),
        id: fc.oneof(
          fc.constantFrom('person/henri-verdier', 'commons/tchap', '../', '', 'person/'),
          fc.string({ maxLength: 40 }),
          arbitraryText,
        ),
      }),
    );
    await readOnlyRun('reconcile', input, runs(220), async (i) => {
      let outcome: RawOutcome;
      let jsonp = false;
      if (i.kind === 'batch') {
        const extra: Record<string, string> = i.callback === null ? {} : { callback: i.callback };
        jsonp = i.callback !== null;
        if (i.how === 'get') {
          outcome = await send('reconcile', {
            path: `/reconcile?${form({ queries: i.text, ...extra })}`,
          });
        } else if (i.how === 'form') {
          outcome = await send('reconcile', {
            method: 'POST',
            path: `/reconcile?${form(extra)}`,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: form({ queries: i.text }),
          });
        } else {
          outcome = await send('reconcile', {
            method: 'POST',
            path: `/reconcile?${form(extra)}`,
            headers: { 'Content-Type': 'application/json' },
            body: `{"queries": ${i.text}}`,
          });
        }
      } else if (i.kind === 'suggest') {
        const params: Record<string, string> = { prefix: i.prefix };
        if (i.type !== null) params.type = i.type;
        if (i.callback !== null) params.callback = i.callback;
        jsonp = i.callback !== null;
        outcome = await send('reconcile', {
          path: `/reconcile/suggest/${i.service}?${form(params)}`,
        });
      } else {
        outcome = await send('reconcile', { path: `/reconcile/preview?${form({ id: i.id })}` });
      }
      // A JSON answer is JSON, whatever came in.
      if (outcome.kind === 'response' && /json/.test(String(outcome.headers['content-type']))) {
        expect(() => JSON.parse(outcome.body)).not.toThrow();
      }
      if (outcome.kind === 'response' && jsonp && outcome.status === 200) {
        expect(outcome.headers['content-type']).toMatch(/javascript|json/);
      }
    });
  });

  // ---------------------------------------------------------------------------------------------

  it('paths and headers: odd segments, encodings, methods and header values', async () => {
    const segment = fc.oneof(
      fc.constantFrom(
        '..',
        '.',
        '%2e%2e',
        '%2E%2e%2F',
        '%2F',
        '%5C',
        '%00',
        '%',
        '%zz',
        '%E9',
        '%ED%A0%80',
        '%C0%AF',
        '%FF%FE',
        'person',
        'henri-verdier',
        'henri-verdier.ttl',
        'x.jsonld',
        '.nt',
        '1',
        '0',
        '-1',
        '99999999999999999999',
        '1e3',
        'accept',
        'reject',
        'revert',
        '*',
        ';',
        '@',
        '$',
        '~',
      ),
      fc.string({ unit: 'grapheme-ascii', maxLength: 20 }).map(encodeURIComponent),
      fc.string({ unit: 'binary', maxLength: 20 }).map(percentEncode),
      fc.integer({ min: 1000, max: 20000 }).map((n) => 'a'.repeat(n)),
    );
    const query = fc.oneof(
      fc.constant(''),
      fc
        .tuple(
          fc.constantFrom(
            'q',
            'query',
            'id',
            'iri',
            'entity',
            'speaker',
            'format',
            'lang',
            'limit',
            'offset',
            'status',
            'author',
            'months',
            'graph',
            'example',
            'callback',
            'prefix',
          ),
          fc.oneof(
            segment,
            fc.constantFrom(
              'fr',
              'en',
              'ttl',
              'html',
              '-1',
              '501',
              `${BASE}id/person/henri-verdier`,
            ),
          ),
        )
        .map(([k, v]) => `?${k}=${v}`),
    );
    const route = fc.constantFrom(
      '/id/',
      '/id/person/',
      '/topic/',
      '/ontology',
      '/ontology.',
      '/api/changesets/',
      '/api/changesets/1/',
      '/api/history',
      '/api/changes',
      '/api/changes.atom',
      '/api/gardening/due',
      '/api/users/',
      '/api/tokens/',
      '/api/',
      '/export/dump.',
      '/.well-known/void',
      '/search',
      '/history',
      '/contribute',
      '/conference',
      '/moderate',
      '/changes',
      '/sparql',
      '/graph-store',
      '/reconcile/preview',
      '/assets/',
      '/assets/vendor/yasqe/',
      '/',
      '//',
      '/healthz/',
    );
    const path = fc
      .tuple(route, fc.array(segment, { maxLength: 3 }), query)
      .map(([r, segments, q]) => `${r}${segments.join('/')}${q}`);
    // Any text, as the bytes HTTP lets a header carry (UTF-8 read as Latin-1, no controls).
    const headerValue = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc
        .string({ unit: 'binary', maxLength: 30 })
        .map((v) =>
          [...Buffer.from(v, 'utf8').toString('latin1')]
            .filter((c) => c === '\t' || (c >= ' ' && c !== '\x7f'))
            .join(''),
        ),
    );
    const input = fc.record({
      method: fc.constantFrom(
        'GET',
        'GET',
        'GET',
        'HEAD',
        'POST',
        'PUT',
        'DELETE',
        'OPTIONS',
        'PATCH',
      ),
      path,
      accept: rarely(fc.oneof(fc.constantFrom(...ACCEPTS), headerValue)),
      acceptLanguage: rarely(
        fc.oneof(fc.constantFrom('fr', 'en-GB,en;q=0.9', '*', 'fr;q=x', 'zz-ZZ', ''), headerValue),
      ),
      contentType: rarely(
        fc.oneof(
          fc.constantFrom(
            'application/json',
            'text/turtle',
            'application/sparql-update',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'text/plain; charset=utf-16',
            'application/json; charset=klingon',
          ),
          headerValue,
        ),
      ),
      authorization: rarely(
        fc.oneof(
          fc.constantFrom('contributor', 'Bearer ', 'Bearer ckt_1_x', 'Basic Og==', 'Bearer a b'),
          headerValue.map((v) => `Bearer ${v}`),
          headerValue,
        ),
      ),
      cookie: rarely(fc.oneof(fc.constantFrom('lang=fr', 'lang=xx', 'lang='), headerValue)),
      body: fc.option(
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v)),
          arbitraryText,
        ),
      ),
    });
    await readOnlyRun('paths-headers', input, runs(320), async (i) => {
      const headers: Record<string, string> = {};
      if (i.accept !== null) headers.Accept = i.accept;
      if (i.acceptLanguage !== null) headers['Accept-Language'] = i.acceptLanguage;
      if (i.contentType !== null) headers['Content-Type'] = i.contentType;
      if (i.cookie !== null) headers.Cookie = i.cookie;
      if (i.authorization !== null) {
        // A real contributor's token now and then, so that write routes go past authentication.
        headers.Authorization =
          i.authorization === 'contributor' ? `Bearer ${contributor.token}` : i.authorization;
      }
      const body =
        i.method === 'GET' || i.method === 'HEAD' || i.body === null ? undefined : i.body;
      const outcome = await send('paths-headers', {
        method: i.method,
        path: i.path,
        headers,
        body,
      });
      if (outcome.kind !== 'response') return;
      // Errors never show a stack trace.
      expect(outcome.body).not.toMatch(/\n\s+at [\w.<>]+ \(.*:\d+:\d+\)/);
    });
  });

  // ---------------------------------------------------------------------------------------------

  /** A count of every triple through /sparql. */
  const countAll = () =>
    rawRequest(
      url,
      {
        path: `/sparql?${form({ query: 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' })}`,
        headers: { Accept: VARIANT_SPARQL },
      },
      CLIENT_TIMEOUT_MS,
    );

  it('after the read-only fuzzing, a real query still answers in full', async () => {
    await healthy();
    const outcome = await countAll();
    expect(outcome.kind).toBe('response');
    if (outcome.kind !== 'response') return;
    expect(outcome.status).toBe(200);
    // The same answer as before any fuzzing.
    expect(outcome.body).toBe(initialCount);
  });

  /** Small valid texts in each format: triples of the data graph, or fresh labels. */
  let snippets: { format: string; mediaType: string; text: string }[];

  const dataTriples = async (): Promise<Quad[]> => {
    const quads: Quad[] = [];
    for (const file of SEED_DATA.slice(0, 3)) {
      quads.push(...new Parser({ baseIRI: BASE }).parse(file));
    }
    return quads;
  };

  const prepareSnippets = async () => {
    if (snippets) return;
    const quads = await dataTriples();
    const windows = [0, 40, 200, 800].map((start) => quads.slice(start, start + 12));
    const fresh = new Parser().parse(
      `<${BASE}id/note/fuzz-1> <${RDFS_LABEL}> "fuzz note"@en .\n` +
        `<${BASE}id/note/fuzz-2> <${RDFS_LABEL}> "deuxième"@fr .`,
    );
    snippets = [];
    for (const window of [...windows, fresh]) {
      for (const [format, mediaType] of [
        ['turtle', 'text/turtle'],
        ['trig', 'application/trig'],
        ['ntriples', 'application/n-triples'],
        ['nquads', 'application/n-quads'],
        ['jsonld', 'application/ld+json'],
      ] as const) {
        snippets.push({ format, mediaType, text: await serializeRdf(window, format) });
      }
    }
    // The data files themselves, whole (Turtle, relative IRIs).
    for (const text of SEED_DATA)
      snippets.push({ format: 'turtle', mediaType: 'text/turtle', text });
  };

  const UPDATE_SEEDS = [
    `PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT DATA { GRAPH <${GRAPH.data}> { <${BASE}id/note/fuzz-upd> rdfs:label "note"@en } }`,
    `PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
DELETE DATA { GRAPH <${GRAPH.data}> { <${BASE}id/note/fuzz-upd> rdfs:label "note"@en } }`,
    `PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
DELETE { GRAPH <${GRAPH.data}> { ?s rdfs:comment ?o } }
INSERT { GRAPH <${GRAPH.data}> { ?s rdfs:comment "fuzz"@en } }
WHERE { GRAPH <${GRAPH.data}> { ?s rdfs:comment ?o FILTER(STRSTARTS(STR(?s), "${BASE}id/note/fuzz")) } }`,
    `INSERT DATA { GRAPH <https://example.org/fuzz-scratch> { <https://example.org/a> <https://example.org/b> "c" } }`,
    `CLEAR SILENT GRAPH <https://example.org/fuzz-scratch>`,
    `DROP SILENT GRAPH <https://example.org/fuzz-scratch> ; CREATE SILENT GRAPH <https://example.org/fuzz-scratch>`,
    `WITH <https://example.org/fuzz-scratch> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }`,
    `LOAD <http://127.0.0.1:1/data.ttl> INTO GRAPH <https://example.org/fuzz-scratch>`,
    `INSERT DATA { GRAPH <${GRAPH.history}> { <https://example.org/a> <https://example.org/b> "c" } }`,
    `PREFIX ck: <https://w3id.org/communs-kg/ontology#> # only a prologue`,
  ];

  /** A contribution body: mutated RDF text in some format, or a mutated update. */
  const submissionArbitrary = () => {
    const rdf = fc.nat().chain((n) => {
      const snippet = snippets[n % snippets.length] as (typeof snippets)[number];
      return fc.record({
        snippet: fc.constant(snippet),
        text: mutatedText(fc.constant(snippet.text), RDF_TOKENS, 4),
      });
    });
    return fc.record({
      rdf,
      update: mutatedText(fc.constantFrom(...UPDATE_SEEDS), SPARQL_TOKENS, 4),
      route: fc.constantFrom(
        'api-add',
        'api-remove',
        'api-update',
        'api-raw',
        'update',
        'graph-store',
      ),
      format: rarely(
        fc.oneof(
          fc.constantFrom(
            'text/turtle',
            'application/trig',
            'application/ld+json',
            'text/plain',
            'text/html',
          ),
          fc.string({ maxLength: 20 }),
        ),
      ),
      message: fc.oneof(fc.string({ maxLength: 40 }), arbitraryText, fc.jsonValue({ maxDepth: 2 })),
      source: fc.option(
        fc.oneof(
          fc.constantFrom(
            'https://example.org/r',
            "https://example.org/r?a='b'&c=(d)",
            'https://example.org/r?q="x"<y>',
            'javascript:alert(1)',
          ),
          fc.string({ maxLength: 30 }).map((tail) => `https://example.org/${tail}`),
          arbitraryText,
        ),
      ),
      jsonObject: fc.boolean(),
      graph: fc.constantFrom(
        '?default',
        `?graph=${encodeURIComponent('https://example.org/fuzz-gsp')}`,
        '?graph=%zz',
        '',
      ),
    });
  };

  type Submission =
    ReturnType<typeof submissionArbitrary> extends fc.Arbitrary<infer T> ? T : never;

  /** Sends one submission with `token`; returns the outcome. */
  async function submit(
    name: string,
    s: Submission,
    token: string,
    direct = false,
  ): Promise<RawOutcome> {
    const auth = { Authorization: `Bearer ${token}` };
    const applied = direct ? { direct: true } : {};
    const { snippet, text } = s.rdf;
    const format = s.format ?? snippet.mediaType;
    const rdfValue: unknown =
      s.jsonObject && snippet.format === 'jsonld'
        ? (() => {
            try {
              return JSON.parse(text) as unknown;
            } catch {
              return text;
            }
          })()
        : text;
    switch (s.route) {
      case 'api-add':
      case 'api-remove':
        return send(name, {
          method: 'POST',
          path: '/api/changesets',
          headers: { ...auth, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            message: s.message,
            ...(s.source === null ? {} : { source: s.source }),
            [s.route === 'api-add' ? 'add' : 'remove']: rdfValue,
            format,
            ...applied,
          }),
        });
      case 'api-update':
        return send(name, {
          method: 'POST',
          path: '/api/changesets',
          headers: { ...auth, 'Content-Type': 'application/json' },
          body: JSON.stringify({ message: s.message, update: s.update, ...applied }),
        });
      case 'api-raw':
        // The envelope itself mutated: JSON that may no longer be JSON.
        return send(name, {
          method: 'POST',
          path: '/api/changesets',
          headers: { ...auth, 'Content-Type': 'application/json' },
          body: `{"message": "m", "add": ${JSON.stringify(text)}, "format": ${JSON.stringify(format)}`.concat(
            s.jsonObject ? '}' : s.update.slice(0, 20),
          ),
        });
      case 'update':
        return s.jsonObject
          ? send(name, {
              method: 'POST',
              path: '/update',
              headers: { ...auth, 'Content-Type': 'application/sparql-update' },
              body: s.update,
            })
          : send(name, {
              method: 'POST',
              path: `/update?${form({ message: typeof s.message === 'string' ? s.message : '' })}`,
              headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' },
              body: form({ update: s.update }),
            });
      case 'graph-store':
        return send(name, {
          method: s.jsonObject ? 'POST' : 'PUT',
          path: `/graph-store${s.graph}`,
          headers: { ...auth, 'Content-Type': format },
          body: text,
        });
    }
  }

  const accepted = (outcome: RawOutcome) =>
    outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300;

  /**
   * Whether an answer says a pending changeset was made: 202 from the protocol endpoints, 201
   * with status "pending" from the API. (A write that changes nothing is a 204 and makes none.)
   */
  const proposed = (outcome: RawOutcome) => {
    if (outcome.kind !== 'response') return false;
    if (outcome.status === 202) return true;
    if (outcome.status !== 201 || !/json/.test(String(outcome.headers['content-type']))) {
      return false;
    }
    return (JSON.parse(outcome.body) as { status?: string }).status === 'pending';
  };

  it('contributions: mutated Turtle, TriG, N-Triples, JSON-LD and updates from a contributor', async () => {
    await prepareSnippets();
    const name = 'contributions';
    const started = performance.now();
    const dumpBefore = await dumpSnapshot();
    const before = storeSnapshot();
    let pending = await pendingTotal();
    await fc.assert(
      fc.asyncProperty(submissionArbitrary(), async (s) => {
        tally(name).cases++;
        // A contributor's writes are only ever proposals: the graph never changes, and the
        // queue grows by exactly one for each submission the server said it took.
        const outcome = await submit(name, s, contributor.token);
        expectSame(
          before,
          storeSnapshot(),
          `a contribution answered ${JSON.stringify(outcome).slice(0, 200)}`,
        );
        const now = await pendingTotal();
        expect(now - pending).toBe(proposed(outcome) ? 1 : 0);
        pending = now;
      }),
      { numRuns: runs(200), seed: seedOf(name), ...SHRINK_BUDGET },
    );
    expectSame(dumpBefore, await dumpSnapshot(), `${name} (dump)`);
    await healthy();
    report(name, started);
  });

  it('admin writes: mutated updates and RDF applied at once change the graph only when accepted', async () => {
    await prepareSnippets();
    const name = 'admin-writes';
    const started = performance.now();
    let current = storeSnapshot();
    let changedRuns = 0;
    let pending = await pendingTotal();
    await fc.assert(
      fc.asyncProperty(
        submissionArbitrary(),
        fc.constantFrom('admin', 'moderator'),
        async (s, who) => {
          tally(name).cases++;
          const token = who === 'admin' ? ADMIN_TOKEN : moderator.token;
          // The admin's submissions through the API are applied at once ("direct"), except the
          // mutated envelopes (api-raw), which do not say so.
          const outcome = await submit(name, s, token, who === 'admin');
          const after = storeSnapshot();
          const { removed, added } = difference(current, after);
          const changed = removed.length + added.length > 0;
          if (changed) {
            changedRuns++;
            if (!accepted(outcome) || who !== 'admin') {
              throw new Error(
                `the graph changed (${removed.length} removed, ${added.length} added) after ` +
                  `${who}'s request answered ${JSON.stringify(outcome).slice(0, 300)}`,
              );
            }
          }
          current = after;
          const now = await pendingTotal();
          // An admin's writes apply, except API submissions without "direct"; a moderator's
          // writes are proposals.
          expect(now - pending).toBe(proposed(outcome) ? 1 : 0);
          if (proposed(outcome)) expect(who === 'moderator' || s.route === 'api-raw').toBe(true);
          pending = now;
        },
      ),
      { numRuns: runs(200), seed: seedOf(name), ...SHRINK_BUDGET },
    );
    // The dump and the store agree after all that.
    expectSame(current, storeSnapshot(), name);
    const dump = await dumpSnapshot();
    expect(dump.size).toBe(current.size);
    await healthy();
    report(name, started);
    process.stdout.write(
      `fuzz ${name}: ${changedRuns} cases changed the graph, each after a 2xx\n`,
    );
  });

  it('after the writes, the server still answers: health, an entity page, a query', async () => {
    await healthy();
    const page = await rawRequest(
      url,
      { path: '/id/person/henri-verdier', headers: { Accept: 'text/html' } },
      CLIENT_TIMEOUT_MS,
    );
    expect(page.kind === 'response' && page.status).toBe(200);
    // A change the server accepted must not leave the query workers unable to read it (a
    // source with a quote once did: every query then ran into the time limit).
    const outcome = await countAll();
    expect(outcome.kind).toBe('response');
    if (outcome.kind !== 'response') return;
    process.stdout.write(
      `fuzz: final count query answered ${outcome.status} in ${outcome.ms} ms\n`,
    );
    expect(outcome.status).toBe(200);
    expect(JSON.parse(outcome.body).results.bindings[0].n.value).toMatch(/^\d+$/);
  });
});
