import request from 'supertest';
import type { RunningServer } from '../../src/http/server.js';
import { parseRdf } from '../../src/rdf/parse.js';
import { BASE } from '../helpers/project.js';
import { ADMIN_TOKEN, startTestServer } from '../helpers/server.js';

const GRAPH = 'http://example.org/g1';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

async function select(url: string, query: string): Promise<Record<string, { value: string }>[]> {
  const response = await request(url)
    .get('/sparql')
    .query({ query })
    .set('Accept', 'application/sparql-results+json');
  expect(response.status).toBe(200);
  return JSON.parse(response.text).results.bindings;
}

describe('writes on a real server: SPARQL Update and the Graph Store Protocol', () => {
  let server: RunningServer;
  let url: string;

  beforeAll(async () => {
    server = await startTestServer({}, { graph: 'empty' });
    url = server.url;
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await request(url)
      .post('/update')
      .set(auth)
      .type('form')
      .send({ update: 'DROP ALL' })
      .expect(204);
  });

  describe('authorisation', () => {
    it.each([
      [401, 'no token', {}],
      [401, 'a wrong token', { Authorization: 'Bearer nope' }],
    ])('%d for an update with %s, and nothing changes', async (status, _label, headers) => {
      const response = await request(url)
        .post('/update')
        .set(headers)
        .set('Content-Type', 'application/sparql-update')
        .send('INSERT DATA { <http://a> <http://b> <http://c> }');
      expect(response.status).toBe(status);
      expect(await select(url, 'SELECT * WHERE { ?s ?p ?o }')).toEqual([]);
    });

    it('graph store writes need the token too', async () => {
      await request(url)
        .put('/graph-store')
        .query({ graph: GRAPH })
        .set('Content-Type', 'text/turtle')
        .send('<http://a> <http://b> <http://c> .')
        .expect(401);
      await request(url)
        .delete('/graph-store')
        .query({ graph: GRAPH })
        .set('Authorization', 'Bearer x')
        .expect(401);
    });

    it('with no admin token configured, that token is no longer accepted', async () => {
      const closed = await startTestServer({ 'admin-token': '' }, { graph: 'empty' });
      try {
        const response = await request(closed.url)
          .post('/update')
          .set(auth)
          .type('form')
          .send({ update: 'CLEAR ALL' });
        expect(response.status).toBe(401);
        expect(response.headers['www-authenticate']).toMatch(/invalid_token/);
      } finally {
        await closed.close();
      }
    });
  });

  describe('SPARQL Update', () => {
    it('stores the blank nodes an update creates under labels of their own', async () => {
      await request(url)
        .post('/update')
        .set(auth)
        .set('Content-Type', 'application/sparql-update')
        .send(
          `INSERT DATA { GRAPH <${GRAPH}> { <http://example.org/a> <http://example.org/p> [] } }`,
        )
        .expect(204);
      const stored = await request(url)
        .get('/graph-store')
        .query({ graph: GRAPH })
        .set('Accept', 'application/n-triples')
        .expect(200);
      // Not a per-process counter (n3-0…), which the next process would hand out again.
      expect(stored.text).toMatch(/ _:u[0-9a-f]{32} \.\n/);
    });

    it('applies INSERT DATA, DELETE/INSERT WHERE and is seen by the next query', async () => {
      await request(url)
        .post('/update')
        .set(auth)
        .set('Content-Type', 'application/sparql-update')
        .send(
          `PREFIX ex: <http://example.org/>
           INSERT DATA { ex:a ex:name "A" . GRAPH <${GRAPH}> { ex:a ex:age 1 } } ;
           DELETE { GRAPH <${GRAPH}> { ?s ex:age ?age } } INSERT { GRAPH <${GRAPH}> { ?s ex:age 2 } }
           WHERE { GRAPH <${GRAPH}> { ?s ex:age ?age } }`,
        )
        .expect(204);
      const rows = await select(url, `SELECT ?age WHERE { GRAPH <${GRAPH}> { ?s ?p ?age } }`);
      expect(rows.map((r) => r.age?.value)).toEqual(['2']);
      expect(await select(url, 'SELECT * WHERE { ?s <http://example.org/name> ?o }')).toHaveLength(
        1,
      );
    });

    it('is all or nothing: a failing operation undoes the earlier ones', async () => {
      const response = await request(url)
        .post('/update')
        .set(auth)
        .type('form')
        .send({
          update: `INSERT DATA { <http://a> <http://b> "kept?" } ;
                   ADD <http://example.org/missing> TO DEFAULT`,
        });
      expect(response.status).toBe(400);
      expect(response.text).toMatch(/nothing was changed/);
      expect(await select(url, 'SELECT * WHERE { ?s ?p ?o }')).toEqual([]);
    });

    it('refuses LOAD and reports a malformed update with its position', async () => {
      const load = await request(url)
        .post('/update')
        .set(auth)
        .type('form')
        .send({ update: 'LOAD <http://127.0.0.1:9/data.ttl>' });
      expect(load.status).toBe(403);
      expect(load.text).toMatch(/LOAD is refused/);
      // LOAD SILENT must not fail: it does nothing, and fetches nothing.
      await request(url)
        .post('/update')
        .set(auth)
        .type('form')
        .send({ update: 'LOAD SILENT <http://127.0.0.1:9/data.ttl>' })
        .expect(204);
      await request(url)
        .post('/update')
        .set(auth)
        .set('Content-Type', 'application/sparql-update; charset=UTF-16')
        .send('CLEAR ALL')
        .expect(415);
      const malformed = await request(url)
        .post('/update')
        .set(auth)
        .type('form')
        .send({ update: 'INSERT DATA {\n  <http://a> <http://b> \n}' });
      expect(malformed.status).toBe(400);
      expect(malformed.text).toMatch(/^Malformed update \(line 3, column 1\)/);
    });
  });

  describe('Graph Store HTTP Protocol', () => {
    it('PUT creates (201), GET reads in every format, POST merges, DELETE removes', async () => {
      await request(url)
        .put('/graph-store')
        .query({ graph: GRAPH })
        .set(auth)
        .set('Content-Type', 'text/turtle')
        .send('@prefix ex: <http://example.org/> . ex:a ex:p "one"@fr .')
        .expect(201);
      await request(url)
        .post('/graph-store')
        .query({ graph: GRAPH })
        .set(auth)
        .set('Content-Type', 'application/ld+json')
        .send(JSON.stringify({ '@id': 'http://example.org/b', 'http://example.org/p': 'two' }))
        .expect(204);
      for (const [accept, format] of [
        ['text/turtle', 'turtle'],
        ['application/n-triples', 'ntriples'],
        ['application/ld+json', 'jsonld'],
        ['application/rdf+xml', 'rdfxml'],
        ['application/trig', 'trig'],
        ['application/n-quads', 'nquads'],
      ] as const) {
        const response = await request(url)
          .get('/graph-store')
          .query({ graph: GRAPH })
          .set('Accept', accept);
        expect(response.status).toBe(200);
        const quads = await parseRdf(response.text, { format, baseIri: BASE, sourceName: accept });
        expect(quads.map((q) => q.object.value).sort()).toEqual(['one', 'two']);
      }
      await request(url).delete('/graph-store').query({ graph: GRAPH }).set(auth).expect(204);
      await request(url).get('/graph-store').query({ graph: GRAPH }).expect(404);
    });

    it('POST to the store itself creates a graph and returns its IRI', async () => {
      const response = await request(url)
        .post('/graph-store')
        .set(auth)
        .set('Content-Type', 'application/n-triples')
        .send('<http://example.org/a> <http://example.org/p> "new" .\n');
      expect(response.status).toBe(201);
      expect(response.headers.location).toMatch(
        /^https:\/\/w3id\.org\/communs-kg\/graph\/posted\//,
      );
      const back = await request(url)
        .get('/graph-store')
        .query({ graph: response.headers.location })
        .set('Accept', 'application/n-triples; charset=utf-8');
      expect(back.status).toBe(200);
      expect(back.text).toContain('"new"');
    });

    it('PUT replaces the default graph, from RDF/XML too', async () => {
      await request(url)
        .put('/graph-store?default')
        .set(auth)
        .set('Content-Type', 'application/rdf+xml')
        .send(
          `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
             xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/x"><ex:p>v</ex:p></rdf:Description></rdf:RDF>`,
        )
        .expect(204);
      const response = await request(url)
        .get('/graph-store?default')
        .set('Accept', 'application/n-triples');
      expect(response.text.trim()).toBe('<http://example.org/x> <http://example.org/p> "v" .');
    });

    it('bad bodies store nothing: 400 with the position, 415 for an unknown type', async () => {
      const broken = await request(url)
        .put('/graph-store')
        .query({ graph: GRAPH })
        .set(auth)
        .set('Content-Type', 'text/turtle')
        .send('<http://a> <http://b> <http://c> .\n<http://a> <http://b> "open .\n');
      expect(broken.status).toBe(400);
      expect(broken.text).toMatch(/request body:2:\d+/);
      const unknown = await request(url)
        .put('/graph-store')
        .query({ graph: GRAPH })
        .set(auth)
        .set('Content-Type', 'application/x-unknown')
        .send('whatever');
      expect(unknown.status).toBe(415);
      await request(url).get('/graph-store').query({ graph: GRAPH }).expect(404);
      const neither = await request(url).get('/graph-store');
      expect(neither.status).toBe(400);
    });
  });
});
