import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { RunningServer } from '../../src/http/server.js';
import { parseRdf } from '../../src/rdf/parse.js';
import type { RdfFormat } from '../../src/rdf/formats.js';
import { BASE } from '../helpers/project.js';
import { TEST_BACKEND, startTestServer } from '../helpers/server.js';

const PERSONS =
  'PREFIX ck: <https://w3id.org/communs-kg/ontology#> SELECT ?p WHERE { ?p a ck:Person } ORDER BY ?p';
const CONSTRUCT =
  'PREFIX ck: <https://w3id.org/communs-kg/ontology#> CONSTRUCT { ?p a ck:Person } WHERE { ?p a ck:Person }';
/**
 * Slow on purpose: a cartesian product of the whole graph with itself, twice. Virtuoso refuses
 * that one at once from its cost estimate, so on Virtuoso it is once, filtered (over 20 s there).
 */
const HEAVY =
  TEST_BACKEND === 'virtuoso'
    ? 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . FILTER(STR(?c) < STR(?f)) }'
    : 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }';

/** A listener that records every connection: a request must never reach it. */
async function trapListener(): Promise<{
  url: string;
  connections: () => number;
  close: () => void;
}> {
  let count = 0;
  const trap: Server = createServer((_req, res) => res.end());
  trap.on('connection', () => (count += 1));
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  const { port } = trap.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sparql`,
    connections: () => count,
    close: () => trap.close(),
  };
}

describe('SPARQL 1.1 Protocol on a real server', () => {
  let server: RunningServer;
  let url: string;

  beforeAll(async () => {
    server = await startTestServer({ 'query-timeout-ms': '1500', 'body-limit-bytes': '20000' });
    url = server.url;
  });
  afterAll(() => server.close());

  describe('query forms and result formats', () => {
    it.each([
      ['application/sparql-results+json', (t: string) => JSON.parse(t).results.bindings.length],
      ['application/sparql-results+xml', (t: string) => t.match(/<result>/g)?.length],
      ['text/csv', (t: string) => t.trim().split(/\r?\n/).length - 1],
      ['text/tab-separated-values', (t: string) => t.trim().split(/\r?\n/).length - 1],
    ])('SELECT as %s', async (accept, countRows) => {
      const response = await request(url)
        .get('/sparql')
        .query({ query: PERSONS })
        .set('Accept', accept);
      expect(response.status).toBe(200);
      expect(response.type).toBe(accept);
      expect(response.headers.vary).toMatch(/Accept/);
      expect(countRows(response.text)).toBe(11);
    });

    it.each([
      ['text/turtle', 'turtle'],
      ['application/n-triples', 'ntriples'],
      ['application/n-quads', 'nquads'],
      ['application/trig', 'trig'],
      ['application/ld+json', 'jsonld'],
      ['application/rdf+xml', 'rdfxml'],
    ] as [string, RdfFormat][])('CONSTRUCT as %s parses back', async (accept, format) => {
      const response = await request(url)
        .post('/sparql')
        .set('Content-Type', 'application/sparql-query')
        .set('Accept', accept)
        .send(CONSTRUCT);
      expect(response.status).toBe(200);
      expect(response.type).toBe(accept);
      const quads = await parseRdf(response.text, {
        format,
        baseIri: BASE,
        sourceName: 'response',
      });
      expect(new Set(quads.map((q) => q.subject.value)).size).toBe(11);
    });

    it('DESCRIBE returns the description of a resource', async () => {
      const response = await request(url)
        .get('/sparql')
        .query({ query: `DESCRIBE <${BASE}id/person/henri-verdier>` })
        .set('Accept', 'application/n-triples');
      expect(response.status).toBe(200);
      expect(response.text).toContain('"Henri Verdier"@fr');
    });

    it('ASK as JSON and XML', async () => {
      const json = await request(url)
        .get('/sparql')
        .query({ query: 'ASK { ?s ?p ?o }' })
        .set('Accept', 'application/sparql-results+json');
      expect(JSON.parse(json.text)).toMatchObject({ boolean: true });
      const xml = await request(url)
        .get('/sparql')
        .query({ query: 'ASK { ?s ?p ?o }', format: 'xml' });
      expect(xml.type).toBe('application/sparql-results+xml');
      expect(xml.text).toMatch(/<boolean>true<\/boolean>/);
    });

    it('chooses by q-values, and by the format parameter', async () => {
      const weighted = await request(url)
        .post('/sparql')
        .type('form')
        .send({ query: PERSONS })
        .set('Accept', 'application/sparql-results+xml;q=0.5, text/csv;q=0.9');
      expect(weighted.type).toBe('text/csv');
      const named = await request(url).get('/sparql').query({ query: PERSONS, format: 'tsv' });
      expect(named.type).toBe('text/tab-separated-values');
    });

    it('honours default-graph-uri and named-graph-uri over the store graphs', async () => {
      const query = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }';
      const count = async (params: Record<string, string>) => {
        const response = await request(url)
          .get('/sparql')
          .query({ query, ...params })
          .set('Accept', 'application/sparql-results+json');
        return Number(JSON.parse(response.text).results.bindings[0].n.value);
      };
      const all = await count({});
      const ontology = await count({ 'default-graph-uri': `${BASE}graph/ontology` });
      expect(ontology).toBeGreaterThan(500);
      expect(ontology).toBeLessThan(all);
      const named = await request(url)
        .get('/sparql')
        .query({
          query: 'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }',
          'named-graph-uri': `${BASE}graph/data`,
        })
        .set('Accept', 'text/csv');
      expect(named.text.trim().split(/\r?\n/)).toEqual(['g', `${BASE}graph/data`]);
    });

    it('bounds SELECT rows by the configured limit and says so', async () => {
      const limited = await startTestServer({ 'max-rows': '5' });
      try {
        const response = await request(limited.url)
          .get('/sparql')
          .query({ query: 'SELECT * WHERE { ?s ?p ?o }' })
          .set('Accept', 'application/sparql-results+json');
        expect(JSON.parse(response.text).results.bindings).toHaveLength(5);
        expect(response.headers['x-communs-row-limit']).toBe('5');
        const small = await request(limited.url)
          .get('/sparql')
          .query({ query: 'SELECT * WHERE { ?s ?p ?o } LIMIT 2' })
          .set('Accept', 'application/sparql-results+json');
        expect(JSON.parse(small.text).results.bindings).toHaveLength(2);
        expect(small.headers['x-communs-row-limit']).toBeUndefined();
      } finally {
        await limited.close();
      }
    });
  });

  describe('errors', () => {
    it('malformed query: 400 with the parser message and position', async () => {
      const response = await request(url)
        .get('/sparql')
        .query({ query: 'SELECT ?x WHERE {\n ?x ?y }' });
      expect(response.status).toBe(400);
      expect(response.text).toMatch(/^Malformed query \(line 2, column 8\): Parse error/);
    });

    it('unsupported Accept: 406 listing the formats', async () => {
      const response = await request(url)
        .get('/sparql')
        .query({ query: PERSONS })
        .set('Accept', 'image/png');
      expect(response.status).toBe(406);
      expect(response.text).toContain(
        'application/sparql-results+json, application/sparql-results+xml',
      );
    });

    it('body over the limit: 413', async () => {
      const response = await request(url)
        .post('/sparql')
        .set('Content-Type', 'application/sparql-query')
        .send(`# ${'x'.repeat(30000)}\nASK {}`);
      expect(response.status).toBe(413);
      expect(response.text).toMatch(/limit is 20000 bytes/);
    });

    it('timeout: 503 with a message, and a trivial query still answers meanwhile', async () => {
      const started = Date.now();
      const heavy = request(url).get('/sparql').query({ query: HEAVY }).set('Accept', 'text/csv');
      const heavyDone = heavy.then((r) => ({
        status: r.status,
        text: r.text,
        ms: Date.now() - started,
      }));
      // The trivial query is sent only once the heavy one is being evaluated.
      while (server.queriesRunning() === 0) await new Promise((resolve) => setImmediate(resolve));
      const trivialStart = Date.now();
      const trivial = await request(url)
        .get('/sparql')
        .query({ query: 'ASK { ?s ?p ?o }', format: 'json' });
      const trivialMs = Date.now() - trivialStart;
      const heavyResult = await heavyDone;
      console.log(
        `trivial query: ${trivialMs} ms while the heavy one ran; heavy stopped after ${heavyResult.ms} ms`,
      );
      expect(trivial.status).toBe(200);
      expect(heavyResult.status).toBe(503);
      expect(heavyResult.text).toMatch(/time limit of 1500 ms/);
      expect(trivialMs).toBeLessThan(heavyResult.ms);
      // The worker that was stopped is replaced: the server keeps answering.
      const after = await request(url)
        .get('/sparql')
        .query({ query: 'ASK { ?s ?p ?o }', format: 'json' });
      expect(after.status).toBe(200);
    });

    it('SERVICE off the allow-list: 400 naming the list, and the endpoint sees no connection', async () => {
      const trap = await trapListener();
      try {
        const response = await request(url)
          .get('/sparql')
          .query({ query: `SELECT * WHERE { SERVICE <${trap.url}> { ?s ?p ?o } }` });
        expect(response.status).toBe(400);
        expect(response.text).toContain('not on the allow-list');
        expect(response.text).toContain('https://query.wikidata.org/sparql');
        expect(trap.connections()).toBe(0);
      } finally {
        trap.close();
      }
    });

    it('FROM and FROM NAMED are never dereferenced', async () => {
      const trap = await trapListener();
      try {
        const response = await request(url)
          .get('/sparql')
          .query({
            query: `SELECT * FROM <${trap.url}> FROM NAMED <${trap.url}/n> WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }`,
          })
          .set('Accept', 'application/sparql-results+json');
        expect(response.status).toBe(200);
        expect(JSON.parse(response.text).results.bindings).toEqual([]);
        expect(trap.connections()).toBe(0);
      } finally {
        trap.close();
      }
    });

    it('updates are refused on the query endpoint', async () => {
      const response = await request(url).post('/sparql').type('form').send({ query: 'CLEAR ALL' });
      expect(response.status).toBe(400);
      expect(response.text).toMatch(/send it to \/update/);
    });
  });

  describe('service description and health', () => {
    it('GET /sparql without a query: a Service Description for RDF clients', async () => {
      const response = await request(url).get('/sparql').set('Accept', 'text/turtle');
      expect(response.status).toBe(200);
      const quads = await parseRdf(response.text, {
        format: 'turtle',
        baseIri: BASE,
        sourceName: 'sd',
      });
      const values = quads.map((q) => q.object.value);
      expect(values).toContain('http://www.w3.org/ns/sparql-service-description#SPARQL11Query');
      expect(values).toContain(`${BASE}graph/data`);
    });

    it('GET /sparql without a query: a query page for browsers', async () => {
      const response = await request(url).get('/sparql').set('Accept', 'text/html');
      expect(response.status).toBe(200);
      expect(response.text).toContain('<textarea');
    });

    it('sends security headers, CORS on /sparql, a request id, and no stack traces', async () => {
      const response = await request(url)
        .get('/sparql')
        .query({ query: 'ASK {}', format: 'json' })
        .set('Origin', 'https://example.org');
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const bad = await request(url).post('/sparql').type('form').send('query=%E0%A4%A');
      expect(bad.status).toBe(400);
      expect(bad.text).not.toMatch(/at .*\.js:\d+/);
    });

    it('/healthz answers with the triple count', async () => {
      const response = await request(url).get('/healthz');
      expect(response.body).toMatchObject({ status: 'ok' });
      expect(response.body.triples).toBeGreaterThan(3000);
    });
  });
});
