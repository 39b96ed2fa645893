import request from 'supertest';
import type { RunningServer } from '../../src/http/server.js';
import { ADMIN_TOKEN, startTestServer } from '../helpers/server.js';

interface Candidate {
  id: string;
  name: string;
  score: number;
  match: boolean;
  type: { id: string; name: string }[];
  wikidata?: string;
}
type Results = Record<string, { result: Candidate[] }>;

/**
 * Name variants as a spreadsheet would hold them (accents dropped, typos, acronyms, word order,
 * other languages), each with the entity it must find first.
 */
const VARIANTS: [string, string][] = [
  ['Stephanie Schaer', 'person/stephanie-schaer'],
  ['schaer stéphanie', 'person/stephanie-schaer'],
  ['SCHAER, Stéphanie', 'person/stephanie-schaer'],
  ['Henri Verdié', 'person/henri-verdier'],
  ['verdier henri', 'person/henri-verdier'],
  ['Sebastien Soriano', 'person/sebastien-soriano'],
  ['Jean Catan', 'person/jean-cattan'],
  ['Pierre Slamitch', 'person/pierre-slamich'],
  ['Mathilde Bras', 'person/mathilde-bras'],
  ['Lionel Maurell', 'person/lionel-maurel'],
  ['Constance Nebula', 'person/constance-nebbula'],
  ['Remy Gerbet', 'person/remy-gerbet'],
  ['DINUM', 'organisation/dinum'],
  ['Direction interministérielle du numérique', 'organisation/dinum'],
  ['direction interministerielle numerique', 'organisation/dinum'],
  ['Interministerial Digital Directorate', 'organisation/dinum'],
  ['Wikimedia France', 'organisation/wikimedia-france'],
  ['wikimédia france', 'organisation/wikimedia-france'],
  ['IGN', 'organisation/ign'],
  ["Institut national de l'information geographique et forestiere", 'organisation/ign'],
  ['CNNum', 'organisation/cnnum'],
  ['Conseil national du numerique', 'organisation/cnnum'],
  ['ANCT', 'organisation/anct'],
  ['Agence nationale de la cohesion des territoires', 'organisation/anct'],
  ['Open Data France', 'organisation/open-data-france'],
  ['ODF', 'organisation/open-data-france'],
  ['Numericite', 'organisation/numericite'],
  ['openfoodfacts', 'organisation/open-food-facts'],
  ['Assemblee Nationale', 'organisation/assemblee-nationale'],
  ['Union europeenne', 'organisation/union-europeenne'],
  ['Peertube', 'commons/peertube'],
  ['Open Fisca', 'commons/openfisca'],
  ['Tchap', 'commons/tchap'],
  ['PIX', 'commons/pix'],
  ['Wikipédia', 'commons/wikipedia'],
  ['wikidata', 'commons/wikidata'],
];

async function reconcile(url: string, queries: Record<string, unknown>): Promise<Results> {
  const response = await request(url)
    .post('/reconcile')
    .type('form')
    .send({ queries: JSON.stringify(queries) })
    .expect(200);
  return response.body as Results;
}

describe('the reconciliation service (W3C Entity Reconciliation API, as OpenRefine uses it)', () => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    server = await startTestServer();
    url = server.url;
  });
  afterAll(() => server.close());

  it('serves its manifest: identifier and schema spaces, default types, view, preview, suggest', async () => {
    const response = await request(url).get('/reconcile').expect(200);
    expect(response.body).toMatchObject({
      versions: ['0.2'],
      identifierSpace: 'https://w3id.org/communs-kg/id/',
      schemaSpace: 'https://w3id.org/communs-kg/ontology#',
      view: { url: 'https://w3id.org/communs-kg/id/{{id}}' },
      suggest: { entity: { service_path: '/reconcile/suggest/entity' } },
    });
    expect(response.body.defaultTypes.map((t: { id: string }) => t.id)).toEqual([
      'Person',
      'Organisation',
      'DigitalCommons',
      'Place',
      'Event',
    ]);
    const jsonp = await request(url).get('/reconcile').query({ callback: 'cb' }).expect(200);
    expect(jsonp.type).toBe('application/javascript');
    expect(jsonp.text).toMatch(/^cb\(\{"versions"/);
  });

  it('answers a single query by GET with scored candidates, a match flag and the Wikidata id', async () => {
    const response = await request(url)
      .get('/reconcile')
      .query({ queries: JSON.stringify({ q0: { query: 'Wikimedia France' } }) })
      .expect(200);
    const [top] = (response.body as Results).q0?.result ?? [];
    expect(top).toMatchObject({
      id: 'organisation/wikimedia-france',
      name: 'Wikimédia France',
      match: true,
      wikidata: 'Q8423370',
    });
    expect(top?.score).toBe(100);
    expect(top?.type.map((t) => t.id)).toEqual(expect.arrayContaining(['Organisation']));
  });

  it(`finds the right entity first for at least 90 % of ${VARIANTS.length} name variants`, async () => {
    const queries = Object.fromEntries(
      VARIANTS.map(([query], i) => [
        `q${i}`,
        { query, type: ['Person', 'Organisation', 'DigitalCommons'] },
      ]),
    );
    const results = await reconcile(url, queries);
    const wrong = VARIANTS.filter(([, id], i) => results[`q${i}`]?.result[0]?.id !== id);
    const right = VARIANTS.length - wrong.length;
    console.log(
      `reconciliation: ${right}/${VARIANTS.length} name variants get the right top candidate ` +
        `(${((100 * right) / VARIANTS.length).toFixed(1)} %)` +
        (wrong.length ? `; wrong: ${wrong.map(([q]) => q).join(', ')}` : ''),
    );
    expect(VARIANTS.length).toBeGreaterThanOrEqual(30);
    expect(right / VARIANTS.length).toBeGreaterThanOrEqual(0.9);
  });

  it('filters by type, subclasses included', async () => {
    const results = await reconcile(url, {
      any: { query: 'Stéphanie Schaer' },
      org: { query: 'Stéphanie Schaer', type: 'Organisation' },
      agency: { query: 'DINUM', type: 'GovernmentAgency' },
      commons: { query: 'Open Food Facts', type: 'DigitalCommons' },
    });
    expect(results.any?.result.map((c) => c.id)).toContain(
      'event/csnp-2023-intervention-stephanie-schaer',
    );
    expect(results.org?.result).toEqual([]);
    expect(results.agency?.result[0]?.id).toBe('organisation/dinum');
    expect(results.commons?.result[0]?.id).toBe('commons/open-food-facts-database');
  });

  it('uses property constraints: a Wikidata id, an affiliation by name', async () => {
    const results = await reconcile(url, {
      right: { query: 'Wikimedia', properties: [{ pid: 'wikidata', v: 'Q8423370' }] },
      // Q180 is the Wikimedia Foundation, which the graph does not hold.
      wrong: { query: 'Wikimedia France', properties: [{ pid: 'wikidata', v: 'Q180' }] },
      employer: {
        query: 'Schaer',
        type: 'Person',
        properties: [{ pid: 'affiliation', v: 'DINUM' }],
      },
    });
    expect(results.right?.result[0]?.id).toBe('organisation/wikimedia-france');
    const wrongTop = results.wrong?.result[0];
    expect(wrongTop?.id).toBe('organisation/wikimedia-france');
    expect(wrongTop?.match).toBe(false);
    expect(wrongTop?.score).toBeLessThan(85);
    expect(results.employer?.result[0]?.id).toBe('person/stephanie-schaer');
  });

  it('suggests entities, types and properties by prefix', async () => {
    const entity = await request(url)
      .get('/reconcile/suggest/entity')
      .query({ prefix: 'verdier', type: 'Person' })
      .expect(200);
    expect(entity.body.result[0]).toMatchObject({
      id: 'person/henri-verdier',
      name: 'Henri Verdier',
    });
    const type = await request(url)
      .get('/reconcile/suggest/type')
      .query({ prefix: 'org' })
      .expect(200);
    expect(type.body.result.map((t: { id: string }) => t.id)).toContain('Organisation');
    const property = await request(url)
      .get('/reconcile/suggest/property')
      .query({ prefix: 'wiki' })
      .expect(200);
    expect(property.body.result[0].id).toBe('wikidata');
  });

  it('previews an entity as escaped HTML; an unknown id is 404', async () => {
    const preview = await request(url)
      .get('/reconcile/preview')
      .query({ id: 'organisation/wikimedia-france' })
      .expect(200);
    expect(preview.type).toBe('text/html');
    expect(preview.text).toContain('Wikimédia France');
    expect(preview.text).toContain('https://www.wikidata.org/wiki/Q8423370');
    await request(url).get('/reconcile/preview').query({ id: '<script>' }).expect(404);
  });

  it('refuses a malformed batch with 400 and a message', async () => {
    for (const queries of ['{not json', '[1, 2]', '{"q0": {"limit": 2}}']) {
      const response = await request(url).post('/reconcile').type('form').send({ queries });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(/queries|query/);
    }
  });

  it('refuses ill-typed types and property constraints with 400, not a 500', async () => {
    // Found by the fuzzer (test/hardening/fuzz.test.ts): these reached the matcher and threw.
    for (const query of [
      { query: 'DINUM', properties: [null] },
      { query: 'DINUM', properties: [{ pid: 5, v: 'a' }] },
      { query: 'DINUM', properties: [{ v: 'a' }] },
      { query: 'DINUM', type: 5 },
      { query: 'DINUM', type: {} },
      { query: 'DINUM', type: ['Organisation', null] },
    ]) {
      const response = await request(url)
        .get('/reconcile')
        .query({ queries: JSON.stringify({ q0: query }) });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(/"(properties|type)"/);
    }
    const typed = await reconcile(url, {
      q0: { query: 'DINUM', type: ['Organisation'], properties: [{ pid: 'wikidata', v: 'Q1' }] },
    });
    expect(Array.isArray(typed.q0?.result)).toBe(true);
  });

  it('takes hostile input as plain text, never as SPARQL or markup', async () => {
    const hostile = '"} ; DROP ALL ; {" <script>alert(1)</script>';
    const results = await reconcile(url, { q0: { query: hostile } });
    expect(Array.isArray(results.q0?.result)).toBe(true);
    const still = await reconcile(url, { q0: { query: 'DINUM' } });
    expect(still.q0?.result[0]?.id).toBe('organisation/dinum');
  });

  it('sees an entity added after start', async () => {
    await request(url)
      .post('/update')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .type('form')
      .send({
        update: `PREFIX ck: <https://w3id.org/communs-kg/ontology#>
          INSERT DATA { GRAPH <https://w3id.org/communs-kg/graph/data> {
            <https://w3id.org/communs-kg/id/place/lyon> a ck:Place ;
              <http://www.w3.org/2000/01/rdf-schema#label> "Lyon"@fr , "Lyon"@en } }`,
      })
      .expect(204);
    const results = await reconcile(url, { q0: { query: 'lyon', type: 'Place' } });
    expect(results.q0?.result[0]?.id).toBe('place/lyon');
  });
});
