import { Parser, Store, Writer, type Quad } from 'n3';
import request from 'supertest';
import type { RunningServer } from '../../src/http/server.js';
import { deriveWikidataView } from '../../src/graph/wikidata-view.js';
import { ADMIN, GRAPH } from '../helpers/collab-helpers.js';
import { BASE } from '../helpers/project.js';
import { startTestServer } from '../helpers/server.js';

// The derived Wikidata view is kept up to date change by change, reading only around what
// changed (on an external store, from a working copy of those surroundings). After each write it
// must equal the view derived from scratch from the whole ontology and data graphs.

const CK = 'https://w3id.org/communs-kg/ontology#';
const claim = `${BASE}id/claim/henri-verdier-1`;
const henri = `${BASE}id/person/henri-verdier`;
const stephanie = `${BASE}id/person/stephanie-schaer`;

async function graphQuads(url: string, graph: string): Promise<Quad[]> {
  const response = await request(url)
    .get('/graph-store')
    .query({ graph })
    .set('Accept', 'application/n-triples');
  expect(response.status).toBe(200);
  return new Parser({ format: 'application/n-triples' }).parse(response.text);
}

/** The triples as sorted N-Triples lines, blank nodes included (the view has none). */
const lines = (quads: Quad[]) =>
  new Writer({ format: 'N-Triples' }).quadsToString(quads).split('\n').filter(Boolean).sort();

async function expectViewFromScratch(url: string): Promise<void> {
  const source = new Store([
    ...(await graphQuads(url, GRAPH.ontology)),
    ...(await graphQuads(url, GRAPH.data)),
  ]);
  expect(lines(await graphQuads(url, GRAPH.wikidataView))).toEqual(
    lines(deriveWikidataView(source)),
  );
}

describe('the derived Wikidata view after writes equals the view derived from scratch', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const update = async (text: string) => {
    const response = await request(server.url)
      .post('/update')
      .set(ADMIN)
      .type('application/sparql-update')
      .send(`PREFIX ck: <${CK}>\n${text}`);
    expect(`${response.status} ${response.text}`).toMatch(/^204/);
  };

  it('at start', () => expectViewFromScratch(server.url));

  it('after a quotation changes claimant', async () => {
    await update(`DELETE { GRAPH <${GRAPH.data}> { <${claim}> ck:claimant ?p } }
      INSERT { GRAPH <${GRAPH.data}> { <${claim}> ck:claimant <${stephanie}> } }
      WHERE { GRAPH <${GRAPH.data}> { <${claim}> ck:claimant ?p } }`);
    await expectViewFromScratch(server.url);
    // The view did change: the quotation is now Stéphanie Schaer's (wdt:P1683).
    const view = await graphQuads(server.url, GRAPH.wikidataView);
    const quoted = (person: string) =>
      view.some((q) => q.subject.value === person && q.predicate.value.endsWith('/P1683'));
    expect(quoted(stephanie)).toBe(true);
  });

  it('after its text changes, and after it goes back', async () => {
    await update(`DELETE { GRAPH <${GRAPH.data}> { <${claim}> ck:text ?t } }
      INSERT { GRAPH <${GRAPH.data}> { <${claim}> ck:text "un autre texte"@fr } }
      WHERE { GRAPH <${GRAPH.data}> { <${claim}> ck:text ?t } }`);
    await expectViewFromScratch(server.url);
    await update(`DELETE { GRAPH <${GRAPH.data}> { <${claim}> ck:claimant ?p } }
      INSERT { GRAPH <${GRAPH.data}> { <${claim}> ck:claimant <${henri}> } }
      WHERE { GRAPH <${GRAPH.data}> { <${claim}> ck:claimant ?p } }`);
    await expectViewFromScratch(server.url);
  });

  it('after a new person with an affiliation, a new quote of theirs, and its removal', async () => {
    const person = `${BASE}id/person/view-test`;
    await update(`INSERT DATA { GRAPH <${GRAPH.data}> {
      <${person}> a ck:Person ; <http://www.w3.org/2000/01/rdf-schema#label> "View Test"@fr , "View Test"@en ;
        <https://schema.org/givenName> "View" ; <https://schema.org/familyName> "Test" ;
        <http://purl.org/dc/terms/source> <${BASE}id/source/csnp-2023-page> ;
        ck:affiliation <${BASE}id/affiliation/stephanie-schaer-csnp-2023> } }`);
    await expectViewFromScratch(server.url);
    await update(`DELETE { GRAPH <${GRAPH.data}> { <${claim}> ck:claimant ?p } }
      INSERT { GRAPH <${GRAPH.data}> { <${claim}> ck:claimant <${person}> } }
      WHERE { GRAPH <${GRAPH.data}> { <${claim}> ck:claimant ?p } }`);
    await expectViewFromScratch(server.url);
    await update(`DELETE { GRAPH <${GRAPH.data}> { <${claim}> ck:claimant ?p } }
      INSERT { GRAPH <${GRAPH.data}> { <${claim}> ck:claimant <${henri}> } }
      WHERE { GRAPH <${GRAPH.data}> { <${claim}> ck:claimant ?p } }`);
    await update(`DELETE WHERE { GRAPH <${GRAPH.data}> { <${person}> ?p ?o } }`);
    await expectViewFromScratch(server.url);
  });
});
