import { SparqlEngine } from '../../src/sparql/engine.js';
import { projectGraph, BASE } from '../helpers/project.js';

const PREFIXES = `PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
`;

describe('the Wikidata-aligned view', () => {
  let engine: SparqlEngine;
  const person = (slug: string) => `${BASE}id/person/${slug}`;
  const values = async (query: string, variable: string) =>
    (await engine.select(PREFIXES + query)).rows.map((row) => row[variable]?.value).sort();

  beforeAll(async () => {
    engine = new SparqlEngine((await projectGraph()).store, {
      baseIri: BASE,
      serviceAllowList: [],
    });
  });

  it('answers the issue example, written in Wikidata vocabulary, with Pierre Slamich', async () => {
    const names = await values(
      `SELECT ?name WHERE { ?p wdt:P31 wd:Q5 ; wdt:P108 ?org . ?org rdfs:label "Open Food Facts"@fr .
       ?p rdfs:label ?name FILTER(lang(?name)="fr") }`,
      'name',
    );
    expect(names).toEqual(['Pierre Slamich']);
  });

  it('types the ten speakers and moderator, and Lionel Maurel, as humans (wd:Q5)', async () => {
    const humans = await values('SELECT ?p WHERE { ?p wdt:P31 wd:Q5 }', 'p');
    expect(humans).toHaveLength(11);
    expect(humans).toContain(person('jeanne-bretecher'));
  });

  it('derives employer, affiliation and membership from the affiliation kinds', async () => {
    const employed = await values('SELECT ?p WHERE { ?p wdt:P108 ?org }', 'p');
    expect(employed).toContain(person('stephanie-schaer'));
    expect(employed).not.toContain(person('jeanne-bretecher'));
    const affiliated = await values('SELECT ?p WHERE { ?p wdt:P1416 ?org }', 'p');
    expect(affiliated).toContain(person('jeanne-bretecher'));
    const members = await values('SELECT ?org WHERE { ?p wdt:P463 ?org }', 'org');
    expect(members).toContain(`${BASE}id/organisation/societe-des-communs`);
  });

  it('gives each speaker a position (wdt:P39) and the verbatim quotations (wdt:P1683)', async () => {
    const positions = await values('SELECT DISTINCT ?p WHERE { ?p wdt:P39 ?position }', 'p');
    expect(positions).toHaveLength(10);
    const quotes = await values(
      `SELECT ?q WHERE { <${person('henri-verdier')}> wdt:P1683 ?q }`,
      'q',
    );
    expect(
      quotes.some((q) => q?.startsWith("l'Europe doit devenir le défenseur de ces communs")),
    ).toBe(true);
  });

  it('links events with part of / has part, participants, organiser, time and place', async () => {
    const conference = `${BASE}id/event/csnp-2023-communs-numeriques`;
    const parts = await values(`SELECT ?part WHERE { <${conference}> wdt:P527 ?part }`, 'part');
    expect(parts).toEqual([
      `${BASE}id/event/csnp-2023-table-ronde-1`,
      `${BASE}id/event/csnp-2023-table-ronde-2`,
    ]);
    const facts = await engine.select(
      `${PREFIXES}SELECT ?date ?org ?place WHERE { <${conference}> wdt:P585 ?date ; wdt:P664 ?org ; wdt:P276 ?place }`,
    );
    expect(facts.rows).toHaveLength(1);
    expect(facts.rows[0]?.date?.value).toBe('2023-05-31');
    const participants = await values(
      `SELECT DISTINCT ?p WHERE { <${BASE}id/event/csnp-2023-table-ronde-2> wdt:P710 ?p }`,
      'p',
    );
    expect(participants).toHaveLength(5);
  });

  it('gives claims their main subjects (wdt:P921) and organisations their Wikidata classes', async () => {
    const subjects = await values(
      'SELECT DISTINCT ?claim WHERE { ?claim wdt:P921 ?topic }',
      'claim',
    );
    expect(subjects.length).toBeGreaterThan(30);
    const agencies = await values('SELECT ?org WHERE { ?org wdt:P31/wdt:P279* wd:Q43229 }', 'org');
    expect(agencies).toContain(`${BASE}id/organisation/dinum`);
    expect(agencies).toContain(`${BASE}id/organisation/wikimedia-france`);
  });
});
