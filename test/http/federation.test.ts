import request from 'supertest';
import type { RunningServer } from '../../src/http/server.js';
import { WDT } from '../../src/rdf/namespaces.js';
import { projectGraph } from '../helpers/project.js';
import { startTestServer } from '../helpers/server.js';
import {
  startFaultyEndpoint,
  startWikidataStandIn,
  type FaultyEndpoint,
  type WikidataStandIn,
} from '../helpers/wikidata-stand-in.js';

const TIMEOUT_MS = 3000;
/** How long after the time limit an answer may come at worst. */
const GRACE_MS = 2000;

const PREFIXES = `
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
`;

type Row = Record<string, { value: string; 'xml:lang'?: string } | undefined>;

const value = (row: Row, name: string) => row[name]?.value ?? '(unbound)';

const sortRows = (rows: Record<string, string>[]) =>
  rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** A remote endpoint's way of failing, as a node:http handler. */
const FAULTS = {
  // Reads the request and never answers.
  hangs: () => undefined,
  'answers 500': (_request, response) => {
    response.writeHead(500, { 'Content-Type': 'text/plain' });
    response.end('remote exploded\n');
  },
  'answers malformed JSON': (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/sparql-results+json' });
    response.end('{"head": {"vars": ["label"]}, "results": {"bindings": [{"label": ');
  },
  'answers with the wrong content type': (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end('<!doctype html><title>Not SPARQL</title><p>Maintenance</p>\n');
  },
} satisfies Record<string, Parameters<typeof startFaultyEndpoint>[0]>;

const JOIN_QUERY = (endpoint: string) => `${PREFIXES}
  SELECT ?speaker ?item ?employerLabel WHERE {
    ?speaker wdt:P108 ?org . ?org owl:sameAs ?item .
    SERVICE <${endpoint}> { ?item rdfs:label ?employerLabel }
  }`;

describe.each(['comunica', 'oxigraph'])(
  'federation with the %s engine: SERVICE to a second server standing in for Wikidata',
  (engine) => {
    let standIn: WikidataStandIn;
    const faulty = new Map<string, FaultyEndpoint>();
    let server: RunningServer;

    beforeAll(async () => {
      const graph = await projectGraph();
      // The stand-in's wdt:P31 of each linked item: the classes our own derived view gives the entity.
      standIn = await startWikidataStandIn(async (items) =>
        items.flatMap(({ entity, item }) =>
          graph.derived
            .filter((q) => q.subject.value === entity && q.predicate.value === `${WDT}P31`)
            .map((q) => ({ item, cls: q.object.value })),
        ),
      );
      for (const [name, answer] of Object.entries(FAULTS)) {
        faulty.set(name, await startFaultyEndpoint(answer));
      }
      const allowList = [standIn.endpoint, ...[...faulty.values()].map((f) => f.endpoint)];
      server = await startTestServer({
        'service-allowlist': allowList.join(','),
        'query-timeout-ms': String(TIMEOUT_MS),
        engine,
      });
    });

    afterAll(async () => {
      await server?.close();
      await standIn?.server.close();
      await Promise.all([...faulty.values()].map((f) => f.close()));
    });

    const select = async (query: string) => {
      const response = await request(server.url)
        .get('/sparql')
        .query({ query })
        .set('Accept', 'application/sparql-results+json');
      expect(response.status).toBe(200);
      return (JSON.parse(response.text) as { results: { bindings: Row[] } }).results.bindings;
    };

    it('the stand-in answers as Wikidata would, with the labels of the items our data links to', async () => {
      const response = await request(standIn.endpoint)
        .get('')
        .query({ query: `${PREFIXES} SELECT ?label WHERE { wd:Q8423370 rdfs:label ?label }` })
        .set('Accept', 'application/sparql-results+json')
        .expect(200);
      expect(JSON.parse(response.text).results.bindings).toEqual([
        { label: { type: 'literal', value: 'Wikimédia France', 'xml:lang': 'en' } },
      ]);
    });

    it("joins our speakers with their employer's label from the remote side", async () => {
      const rows = await select(JOIN_QUERY(standIn.endpoint));
      const joined = sortRows(
        rows.map((row) => ({
          speaker: value(row, 'speaker'),
          item: value(row, 'item'),
          employerLabel: value(row, 'employerLabel'),
        })),
      );
      // The expected rows: the local half of the join, each with the label the stand-in holds.
      const local = await select(`${PREFIXES}
      SELECT ?speaker ?item WHERE { ?speaker wdt:P108 ?org . ?org owl:sameAs ?item }`);
      const labels = new Map(standIn.items.map((i) => [i.item, i.label]));
      const expected = sortRows(
        local.map((row) => ({
          speaker: value(row, 'speaker'),
          item: value(row, 'item'),
          employerLabel: labels.get(value(row, 'item')) ?? '(no label)',
        })),
      );
      expect(joined).toEqual(expected);
      expect(joined).toContainEqual({
        speaker: 'https://w3id.org/communs-kg/id/person/remy-gerbet',
        item: 'http://www.wikidata.org/entity/Q8423370',
        employerLabel: 'Wikimédia France',
      });
    });

    it('joins on the remote classes too: wdt:P31 and their labels come from the stand-in', async () => {
      const rows = await select(`${PREFIXES}
      SELECT ?class ?classLabel WHERE {
        <https://w3id.org/communs-kg/id/organisation/wikimedia-france> owl:sameAs ?item .
        SERVICE <${standIn.endpoint}> { ?item wdt:P31 ?class . OPTIONAL { ?class rdfs:label ?classLabel } }
      }`);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows)
        expect(value(row, 'class')).toMatch(/^http:\/\/www\.wikidata\.org\/entity\/Q/);
    });

    it.each(Object.keys(FAULTS))(
      'a remote that %s gives a clear error within the time limit, not a hang',
      async (name) => {
        const endpoint = faulty.get(name)?.endpoint ?? 'missing';
        const started = Date.now();
        const response = await request(server.url)
          .get('/sparql')
          .query({
            query: `${PREFIXES}
            SELECT ?speaker ?label WHERE {
              ?speaker wdt:P108 ?org . ?org owl:sameAs ?item .
              SERVICE <${endpoint}> { ?item rdfs:label ?label }
            }`,
          })
          .set('Accept', 'application/sparql-results+json');
        const elapsed = Date.now() - started;
        expect(elapsed).toBeLessThan(TIMEOUT_MS + GRACE_MS);
        expect({ status: response.status, text: response.text }).toEqual({
          status: name === 'hangs' ? 504 : 502,
          text: expect.stringContaining(endpoint),
        });
        expect(response.headers['content-type']).toMatch(/^text\/plain/);
        expect(response.text).not.toMatch(/\n\s+at /); // no stack trace
        // The server, and federation, still work for the next query.
        expect(await select(JOIN_QUERY(standIn.endpoint))).not.toHaveLength(0);
      },
    );

    it('refuses SERVICE to an endpoint off the allow-list, without evaluating', async () => {
      const response = await request(server.url)
        .get('/sparql')
        .query({ query: 'SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }' })
        .expect(400);
      expect(response.text).toMatch(
        /SERVICE <http:\/\/127\.0\.0\.1:9\/sparql> is not on the allow-list/,
      );
    });
  },
);
