import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createApp } from '../../src/http/app.js';
import { SparqlEngine } from '../../src/sparql/engine.js';
import { BASE, projectGraph } from '../helpers/project.js';

const PERSONS =
  'PREFIX ck: <https://w3id.org/communs-kg/ontology#> SELECT ?p WHERE { ?p a ck:Person } ORDER BY ?p';

describe('/sparql on a real server', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const { store } = await projectGraph();
    const engine = new SparqlEngine(store, { baseIri: BASE, serviceAllowList: [] });
    server = createApp({ store, engine }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('answers GET ?query= with SPARQL JSON results', async () => {
    const response = await request(url)
      .get('/sparql')
      .query({ query: PERSONS })
      .set('Accept', 'application/sparql-results+json');
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/sparql-results+json');
    const body = JSON.parse(response.text);
    expect(body.head.vars).toEqual(['p']);
    expect(body.results.bindings).toHaveLength(11);
  });

  it('answers POST form-urlencoded and application/sparql-query, choosing by q-values', async () => {
    const form = await request(url)
      .post('/sparql')
      .type('form')
      .send({ query: PERSONS })
      .set('Accept', 'text/csv;q=0.9, application/sparql-results+xml;q=0.5');
    expect(form.status).toBe(200);
    expect(form.type).toBe('text/csv');
    expect(form.text.split(/\r?\n/)[0]).toBe('p');
    const direct = await request(url)
      .post('/sparql')
      .set('Content-Type', 'application/sparql-query')
      .set('Accept', 'text/tab-separated-values')
      .send(PERSONS);
    expect(direct.status).toBe(200);
    expect(direct.text.split('\n')[0]).toBe('?p');
  });

  it('answers CONSTRUCT with Turtle', async () => {
    const response = await request(url)
      .get('/sparql')
      .query({ query: 'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3' })
      .set('Accept', 'text/turtle');
    expect(response.status).toBe(200);
    expect(response.type).toBe('text/turtle');
  });

  it('reports a malformed query with 400, the parser message and its position', async () => {
    const response = await request(url)
      .get('/sparql')
      .query({ query: 'SELECT ?x WHERE {\n ?x ?y }' });
    expect(response.status).toBe(400);
    expect(response.text).toMatch(/Malformed query \(line 2, column \d+\): Parse error/);
  });

  it('refuses an unsupported Accept with 406 listing the formats', async () => {
    const response = await request(url)
      .get('/sparql')
      .query({ query: PERSONS })
      .set('Accept', 'image/png');
    expect(response.status).toBe(406);
    expect(response.text).toContain('application/sparql-results+json');
  });

  it('refuses updates and SERVICE calls outside the allow-list', async () => {
    const update = await request(url).post('/sparql').type('form').send({ query: 'CLEAR ALL' });
    expect(update.status).toBe(400);
    const service = await request(url)
      .get('/sparql')
      .query({ query: 'SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }' });
    expect(service.status).toBe(400);
    expect(service.text).toMatch(/not on the allow-list/);
    const count = await request(url)
      .get('/sparql')
      .query({ query: 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' })
      .set('Accept', 'application/sparql-results+json');
    expect(Number(JSON.parse(count.text).results.bindings[0].n.value)).toBeGreaterThan(1000);
  });

  it('answers /healthz with the triple count', async () => {
    const response = await request(url).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body.triples).toBeGreaterThan(1000);
  });
});
