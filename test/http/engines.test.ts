import request from 'supertest';
import type { RunningServer } from '../../src/http/server.js';
import { parseRdf } from '../../src/rdf/parse.js';
import { BASE } from '../helpers/project.js';
import { ADMIN_TOKEN, startTestServer } from '../helpers/server.js';

const COUNT = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }';
const json = 'application/sparql-results+json';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

async function count(url: string, query = COUNT): Promise<number> {
  const response = await request(url).get('/sparql').query({ query }).set('Accept', json);
  expect(response.status).toBe(200);
  return Number(JSON.parse(response.text).results.bindings[0].n.value);
}

const XSD = 'http://www.w3.org/2001/XMLSchema#';

/** The values of one variable over a query's rows, as (value, datatype or language) strings. */
async function terms(url: string, query: string, variable: string): Promise<string[]> {
  const response = await request(url).get('/sparql').query({ query }).set('Accept', json);
  expect(response.status).toBe(200);
  const rows: Record<string, { value: string; datatype?: string; 'xml:lang'?: string }>[] =
    JSON.parse(response.text).results.bindings;
  return rows
    .map((row) => row[variable])
    .map((term) => (term ? `${term.value} ${term.datatype ?? term['xml:lang'] ?? ''}`.trim() : ''))
    .sort();
}

async function update(url: string, text: string): Promise<void> {
  await request(url).post('/update').set(auth).type('form').send({ update: text }).expect(204);
}

describe.each(['oxigraph', 'comunica'])('the %s engine behind the same protocol', (engine) => {
  let server: RunningServer;
  let remote: RunningServer;

  beforeAll(async () => {
    // A second server on loopback stands in for a remote SPARQL endpoint.
    remote = await startTestServer({}, { graph: 'empty' });
    await request(remote.url)
      .put('/graph-store?default')
      .set(auth)
      .set('Content-Type', 'text/turtle')
      .send(
        `<${BASE}id/person/henri-verdier> <http://example.org/remoteNote> "from the remote side" .`,
      )
      .expect(204);
    server = await startTestServer({
      engine,
      'max-rows': '7',
      // Long enough for the federated query on a loaded machine, far too short for the product.
      'query-timeout-ms': '5000',
      'service-allowlist': `${remote.url}/sparql`,
    });
  });
  afterAll(async () => {
    await server.close();
    await remote.close();
  });

  it('answers over the same graph as the store holds', async () => {
    expect(await count(server.url)).toBe(server.store.size);
  });

  it('writes every format and bounds SELECT rows', async () => {
    const construct = await request(server.url)
      .get('/sparql')
      .query({ query: 'CONSTRUCT WHERE { ?s a <https://w3id.org/communs-kg/ontology#Person> }' })
      .set('Accept', 'text/turtle');
    const quads = await parseRdf(construct.text, {
      format: 'turtle',
      baseIri: BASE,
      sourceName: 'r',
    });
    expect(quads).toHaveLength(11);
    for (const accept of [
      json,
      'application/sparql-results+xml',
      'text/csv',
      'text/tab-separated-values',
    ]) {
      const response = await request(server.url)
        .get('/sparql')
        .query({ query: 'SELECT ?s WHERE { ?s ?p ?o }' })
        .set('Accept', accept);
      expect(response.status).toBe(200);
      expect(response.type).toBe(accept);
      expect(response.headers['x-communs-row-limit']).toBe('7');
    }
    const limited = await request(server.url)
      .get('/sparql')
      .query({ query: 'SELECT ?s WHERE { ?s ?p ?o }' })
      .set('Accept', 'text/csv');
    expect(limited.text.trim().split(/\r?\n/)).toHaveLength(8);
  });

  it('stops a query at the time limit (the worker is ended and replaced)', async () => {
    const response = await request(server.url)
      .get('/sparql')
      .query({ query: 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }' })
      .set('Accept', json);
    expect(response.status).toBe(503);
    expect(await count(server.url)).toBe(server.store.size);
  });

  it('follows writes, blank nodes included', async () => {
    const graph = 'http://example.org/scratch';
    // Each write also adds its record to the history graph: count the written graph only.
    const inGraph = `SELECT (COUNT(*) AS ?n) WHERE { GRAPH <${graph}> { ?s ?p ?o } }`;
    const before = await count(server.url, inGraph);
    await request(server.url)
      .post('/update')
      .set(auth)
      .type('form')
      .send({
        update: `INSERT DATA { GRAPH <${graph}> { <http://example.org/a> <http://example.org/p> [ <http://example.org/q> "b" ] } }`,
      })
      .expect(204);
    expect(await count(server.url, inGraph)).toBe(before + 2);
    await request(server.url)
      .post('/update')
      .set(auth)
      .type('form')
      .send({ update: `DELETE WHERE { GRAPH <${graph}> { ?x <http://example.org/q> ?v } }` })
      .expect(204);
    expect(await count(server.url, inGraph)).toBe(before + 1);
    await request(server.url).delete('/graph-store').query({ graph }).set(auth).expect(204);
    expect(await count(server.url, inGraph)).toBe(before);
  });

  it('gives literals back exactly as written, "01" and "1" as two terms', async () => {
    const graph = 'http://example.org/lexical';
    const values = `SELECT ?v WHERE { GRAPH <${graph}> { ?s ?p ?v } }`;
    await update(
      server.url,
      `INSERT DATA { GRAPH <${graph}> { <http://example.org/n> <http://example.org/v>
        "01"^^<${XSD}integer>, "1"^^<${XSD}integer>, "1.0E0"^^<${XSD}double> } }`,
    );
    expect(await terms(server.url, values, 'v')).toEqual([
      `01 ${XSD}integer`,
      `1 ${XSD}integer`,
      `1.0E0 ${XSD}double`,
    ]);
    // Numeric comparison still works on the values.
    const equalToOne = `SELECT ?v WHERE { GRAPH <${graph}> { ?s ?p ?v FILTER(?v = 1) } }`;
    expect(await terms(server.url, equalToOne, 'v')).toHaveLength(3);
    await update(
      server.url,
      `DELETE DATA { GRAPH <${graph}> { <http://example.org/n> <http://example.org/v>
        "01"^^<${XSD}integer>, "1.0E0"^^<${XSD}double> } }`,
    );
    expect(await terms(server.url, values, 'v')).toEqual([`1 ${XSD}integer`]);
    await request(server.url).delete('/graph-store').query({ graph }).set(auth).expect(204);
  });

  it('answers the constructs where Oxigraph alone deviates from SPARQL 1.1 as specified', async () => {
    // A zero-length path from a constant that is not in the data relates it to itself.
    const path = 'SELECT ?x WHERE { ?x <http://example.org/nowhere>* <http://example.org/absent> }';
    expect(await terms(server.url, path, 'x')).toEqual(['http://example.org/absent']);
    // GROUP_CONCAT gives a simple literal, even of literals in one language.
    const concat = `SELECT (GROUP_CONCAT(?o) AS ?g) WHERE { VALUES ?o { "a"@en "b"@en } }`;
    expect(await terms(server.url, concat, 'g')).toEqual([expect.stringMatching(/^(a b|b a)$/)]);
    // COALESCE skips errors: 1/0 is one.
    const coalesce = `SELECT (COALESCE(1/0, ?unbound, "fallback") AS ?c) WHERE {}`;
    expect(await terms(server.url, coalesce, 'c')).toEqual(['fallback']);
  });

  it('federates with an allow-listed endpoint through Comunica', async () => {
    const response = await request(server.url)
      .get('/sparql')
      .query({
        query: `SELECT ?name ?note WHERE {
          ?person <http://www.w3.org/2000/01/rdf-schema#label> "Henri Verdier"@fr , ?name
          FILTER(lang(?name) = "fr")
          SERVICE <${remote.url}/sparql> { ?person <http://example.org/remoteNote> ?note }
        }`,
      })
      .set('Accept', json);
    expect(response.status).toBe(200);
    const rows = JSON.parse(response.text).results.bindings;
    expect(
      rows.map((r: Record<string, { value: string }>) => [r.name?.value, r.note?.value]),
    ).toEqual([['Henri Verdier', 'from the remote side']]);
  });
});
