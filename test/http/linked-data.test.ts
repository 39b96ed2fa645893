import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { DataFactory, type Quad } from 'n3';
import request from 'supertest';
import { EntityDescriber } from '../../src/graph/describe.js';
import { loadGraph, projectSources, type LoadedGraph } from '../../src/graph/loader.js';
import { escapeHtml } from '../../src/http/html.js';
import { linkedDataRouter } from '../../src/http/linked-data.js';
import { CK, OWL, RDF, RDFS, SKOS, graphIris } from '../../src/rdf/namespaces.js';
import { parseRdf } from '../../src/rdf/parse.js';
import type { RdfFormat } from '../../src/rdf/formats.js';
import { isomorphicDatasets } from '../../src/rdf/isomorphism.js';
import { GraphStore } from '../../src/store/graph-store.js';
import { BASE } from '../helpers/project.js';

const { namedNode, literal, quad } = DataFactory;

const VERDIER = `${BASE}id/person/henri-verdier`;
const CLAIM = `${BASE}id/claim/henri-verdier-1`;
const SOURCE = `${BASE}id/source/csnp-2023-page`;

/** Serves the linked-data router alone over a store, on a real socket. */
async function serve(store: GraphStore, baseIri = BASE): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(linkedDataRouter({ store, settings: { baseIri } }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const close = (server: Server) => new Promise((resolve) => server.close(resolve));

const asTriples = (quads: Quad[]) => quads.map((q) => quad(q.subject, q.predicate, q.object));
const tripleKey = (q: Quad) => `${q.subject.value} ${q.predicate.value} ${q.object.id}`;

function parse(text: string, format: RdfFormat): Promise<Quad[]> {
  return parseRdf(text, { format, baseIri: BASE, sourceName: `response.${format}` });
}

/** The single literal value of a subject's property in the store, for comparing with pages. */
function valueOf(graph: LoadedGraph, subject: string, predicate: string, language?: string) {
  const found = graph.store.index
    .getObjects(namedNode(subject), namedNode(predicate), null)
    .find((term) => term.termType === 'Literal' && (!language || term.language === language));
  if (!found) throw new Error(`no ${predicate} on ${subject}`);
  return found.value;
}

describe('linked data on a real server', () => {
  let graph: LoadedGraph;
  let url: string;
  let server: Server;

  beforeAll(async () => {
    graph = await loadGraph(BASE, await projectSources());
    ({ url, server } = await serve(graph.store));
  });
  afterAll(() => close(server));

  describe('HTML pages', () => {
    it('shows Henri Verdier: labels, type, his quotes with their source and selector', async () => {
      const response = await request(url)
        .get('/id/person/henri-verdier')
        .set('Accept', 'text/html');
      expect(response.status).toBe(200);
      expect(response.type).toBe('text/html');
      expect(response.headers.vary).toMatch(/Accept/);
      expect(response.headers['content-location']).toBe('/id/person/henri-verdier.html');
      const page = response.text;
      expect(page).toMatch(/^<!doctype html>\n<html lang="en">/);
      expect(page).toContain('<h1 lang="fr">Henri Verdier</h1>');
      expect(page).toContain('English: <span lang="en">Henri Verdier</span>');
      expect(page).toContain(`<code class="iri">${VERDIER}</code>`);
      expect(page).toContain('href="/ontology#Person"');
      expect(page).toContain('not linked to Wikidata yet');
      const quote = valueOf(graph, CLAIM, `${CK}text`);
      expect(page).toContain(`<span lang="fr">${escapeHtml(quote)}</span>`);
      expect(page).toContain(`<mark>${escapeHtml(quote)}</mark>`);
      expect(page).toContain(escapeHtml(valueOf(graph, SOURCE, `${RDFS}label`, 'en')));
      expect(page).toContain('href="/id/source/csnp-2023-page"');
      expect(page).toContain('href="/id/event/csnp-2023-intervention-henri-verdier"');
      expect(page).toContain('href="/topic/gouvernance"');
      // Links to entities under the base stay on this server.
      expect(page).toContain('href="/id/affiliation/henri-verdier-csnp-2023"');
      expect(page).not.toContain(`href="${BASE}id/`);
      expect(page).toMatch(
        /<link rel="alternate" type="text\/turtle" href="\/id\/person\/henri-verdier\.ttl"\s*\/?>/,
      );
    });

    it('links Wikimédia France to its Wikidata item Q8423370', async () => {
      const response = await request(url).get('/id/organisation/wikimedia-france');
      expect(response.status).toBe(200);
      expect(response.text).toContain('<h1 lang="fr">Wikimédia France</h1>');
      expect(response.text).toContain('href="https://www.wikidata.org/wiki/Q8423370"');
      expect(response.text).not.toContain('not linked to Wikidata yet');
    });

    it('shows a claim page with its text, speaker, pull-quote variant and highlighted context', async () => {
      const response = await request(url).get('/id/claim/henri-verdier-7');
      expect(response.status).toBe(200);
      expect(response.text).toContain('<h2>What was said</h2>');
      expect(response.text).toContain('Said by <a href="/id/person/henri-verdier"');
      expect(response.text).toContain('· pull quote');
      expect(response.text).toMatch(/<p class="in-source" lang="fr">…[^<]+<mark>l&#39;Europe doit/);
    });

    it('lists the claims that mention an organisation', async () => {
      const response = await request(url).get('/id/organisation/union-europeenne');
      expect(response.status).toBe(200);
      expect(response.text).toContain('Claims that mention it or are about it');
      expect(response.text).toContain('href="/id/claim/henri-verdier-7"');
    });

    it('serves the topics at /topic/… with the claims about them', async () => {
      const response = await request(url).get('/topic/souverainete');
      expect(response.status).toBe(200);
      expect(response.text).toContain('<h1 lang="fr">Souveraineté</h1>');
      expect(response.text).toContain(
        '<code class="iri">https://w3id.org/communs-kg/topic/souverainete</code>',
      );
      expect(response.text).toContain('href="/id/claim/henri-verdier-7"');
      const turtle = await request(url).get('/topic/souverainete').set('Accept', 'text/turtle');
      const triples = await parse(turtle.text, 'turtle');
      expect(triples.map(tripleKey)).toContain(
        tripleKey(
          quad(
            namedNode('https://w3id.org/communs-kg/topic/souverainete'),
            namedNode(`${SKOS}prefLabel`),
            literal('Souveraineté', 'fr'),
          ),
        ),
      );
    });
  });

  describe('RDF by content negotiation', () => {
    const cases: Array<[RdfFormat, string]> = [
      ['turtle', 'text/turtle'],
      ['jsonld', 'application/ld+json'],
      ['ntriples', 'application/n-triples'],
    ];

    it.each(cases)('answers %s with all of the entity’s triples', async (format, mediaType) => {
      const response = await request(url).get('/id/person/henri-verdier').set('Accept', mediaType);
      expect(response.status).toBe(200);
      expect(response.type).toBe(mediaType);
      expect(response.headers.vary).toMatch(/Accept/);
      expect(response.headers['content-location']).toMatch(/^\/id\/person\/henri-verdier\.\w+$/);
      const parsed = new Set((await parse(response.text, format)).map(tripleKey));
      const own = asTriples(graph.store.index.getQuads(namedNode(VERDIER), null, null, null));
      expect(own.length).toBeGreaterThan(10); // data and the derived Wikidata view
      for (const triple of own) expect(parsed).toContain(tripleKey(triple));
      // His claims come along with their text, type and label.
      expect(parsed).toContain(
        tripleKey(quad(namedNode(CLAIM), namedNode(`${CK}claimant`), namedNode(VERDIER))),
      );
      expect(parsed).toContain(
        tripleKey(quad(namedNode(CLAIM), namedNode(`${RDF}type`), namedNode(`${CK}Quote`))),
      );
      expect(parsed).toContain(
        tripleKey(quad(namedNode(CLAIM), namedNode(`${CK}source`), namedNode(SOURCE))),
      );
    });

    it('includes the selector blank node of a claim', async () => {
      const response = await request(url).get('/id/claim/henri-verdier-1.ttl');
      const parsed = await parse(response.text, 'turtle');
      const selector = parsed.find((q) => q.predicate.value === `${CK}selector`)?.object;
      expect(selector?.termType).toBe('BlankNode');
      const exact = parsed.find(
        (q) =>
          q.subject.value === selector?.value &&
          q.predicate.value === 'http://www.w3.org/ns/oa#exact',
      );
      expect(exact?.object.value).toBe(valueOf(graph, CLAIM, `${CK}text`));
    });

    it('follows q-values and prefers HTML when the client states no preference', async () => {
      const weighted = await request(url)
        .get('/id/person/henri-verdier')
        .set('Accept', 'text/html;q=0.5, text/turtle');
      expect(weighted.type).toBe('text/turtle');
      const anything = await request(url).get('/id/person/henri-verdier').set('Accept', '*/*');
      expect(anything.type).toBe('text/html');
    });

    it('serves explicit documents by extension and ?format= without negotiating', async () => {
      const turtle = await request(url)
        .get('/id/person/henri-verdier.ttl')
        .set('Accept', 'text/html');
      expect(turtle.status).toBe(200);
      expect(turtle.type).toBe('text/turtle');
      expect(turtle.headers['content-location']).toBeUndefined();
      expect((await parse(turtle.text, 'turtle')).length).toBeGreaterThan(10);
      const jsonld = await request(url).get('/id/person/henri-verdier.jsonld');
      expect(jsonld.type).toBe('application/ld+json');
      const nt = await request(url).get('/id/person/henri-verdier').query({ format: 'nt' });
      expect(nt.type).toBe('application/n-triples');
      const html = await request(url).get('/id/person/henri-verdier.html');
      expect(html.type).toBe('text/html');
    });

    it('answers 406 to an unsatisfiable Accept and 400 to an unknown ?format=', async () => {
      const png = await request(url).get('/id/person/henri-verdier').set('Accept', 'image/png');
      expect(png.status).toBe(406);
      expect(png.text).toContain('text/turtle');
      const unknown = await request(url).get('/id/person/henri-verdier').query({ format: 'xls' });
      expect(unknown.status).toBe(400);
    });
  });

  describe('unknown IRIs', () => {
    it('answers 404 with a helpful page suggesting similar entities', async () => {
      const response = await request(url).get('/id/person/nobody');
      expect(response.status).toBe(404);
      expect(response.type).toBe('text/html');
      expect(response.text).toContain(`${BASE}id/person/nobody`);
      expect(response.text).toContain('href="/sparql"');
      const section = /<h2 id="suggestions">[^]*?<\/section>/.exec(response.text)?.[0] ?? '';
      const suggestions = section.match(/<a href="\/id\/person\/[a-z-]+"/g) ?? [];
      expect(suggestions.length).toBeGreaterThanOrEqual(3);
    });

    it('puts the closest slug first', async () => {
      const response = await request(url).get('/id/person/henri-verdie');
      expect(response.status).toBe(404);
      const first = /<h2 id="suggestions">[^]*?<a href="([^"]+)"/.exec(response.text)?.[1];
      expect(first).toBe('/id/person/henri-verdier');
    });

    it('suggests for a very long unknown path from its first 200 characters only', async () => {
      // Found by the fuzzer: a 16 KB path was compared whole with every entity's slug (edit
      // distance), which held the main thread for seconds (this one: 8 s before the fix).
      const describer = new EntityDescriber(graph.store, BASE);
      const asked = `${BASE}id/person/henri-verdie${'x'.repeat(200_000)}`;
      const found = await describer.suggestSimilar(asked);
      expect(found.length).toBeGreaterThan(0);
      const start = asked.slice(0, `${BASE}id/`.length + 200);
      expect(found).toEqual(await describer.suggestSimilar(start));
      const response = await request(url).get(`/id/person/${'a'.repeat(12_000)}`);
      expect(response.status).toBe(404);
    });

    it('answers 404 for an unknown topic, suggesting topics, and for a bare /id', async () => {
      const topic = await request(url).get('/topic/souverainte');
      expect(topic.status).toBe(404);
      expect(topic.text).toMatch(/<h2 id="suggestions">[^]*?<a href="\/topic\/souverainete"/);
      expect((await request(url).get('/id')).status).toBe(404);
    });
  });

  describe('/ontology', () => {
    it('has an anchor per class and per property', async () => {
      const response = await request(url).get('/ontology').set('Accept', 'text/html');
      expect(response.status).toBe(200);
      const classes = graph.store.index
        .getSubjects(namedNode(`${RDF}type`), namedNode(`${OWL}Class`), null)
        .filter((term) => term.termType === 'NamedNode' && term.value.startsWith(CK));
      expect(classes.length).toBeGreaterThan(20);
      for (const cls of classes) {
        expect(response.text).toContain(`id="${cls.value.slice(CK.length)}"`);
      }
      expect(response.text).toContain('id="claimant"');
      expect(response.text).toContain('href="/topic/souverainete"');
    });

    it('serves the ontology graph as Turtle, by Accept and by extension', async () => {
      const ontologyTriples = asTriples(graph.store.quads(graphIris(BASE).ontology));
      for (const response of [
        await request(url).get('/ontology').set('Accept', 'text/turtle'),
        await request(url).get('/ontology.ttl'),
      ]) {
        expect(response.status).toBe(200);
        expect(response.type).toBe('text/turtle');
        const parsed = await parse(response.text, 'turtle');
        expect(isomorphicDatasets(parsed, ontologyTriples)).toBe(true);
      }
      const jsonld = await request(url).get('/ontology').set('Accept', 'application/ld+json');
      expect(isomorphicDatasets(await parse(jsonld.text, 'jsonld'), ontologyTriples)).toBe(true);
    });
  });
});

describe('linked data, edge cases', () => {
  it('escapes labels and refuses links to non-web IRIs', async () => {
    const store = new GraphStore();
    const evil = namedNode(`${BASE}id/person/evil`);
    store.addToGraph(graphIris(BASE).data, [
      quad(evil, namedNode(`${RDF}type`), namedNode(`${CK}Person`)),
      quad(evil, namedNode(`${RDFS}label`), literal('<script>alert("fr")</script> & co', 'fr')),
      quad(evil, namedNode(`${RDFS}label`), literal('"Quoted" <b>name</b>', 'en')),
      quad(evil, namedNode(`${RDFS}seeAlso`), namedNode('javascript:alert(1)')),
    ]);
    const { url, server } = await serve(store);
    try {
      const page = (await request(url).get('/id/person/evil')).text;
      expect(page).not.toMatch(/<script>|<b>/);
      expect(page).toContain(
        '<h1 lang="fr">&lt;script&gt;alert(&quot;fr&quot;)&lt;/script&gt; &amp; co</h1>',
      );
      expect(page).toContain('<span lang="en">&quot;Quoted&quot; &lt;b&gt;name&lt;/b&gt;</span>');
      expect(page).not.toContain('href="javascript:');
      expect(page).toContain('<title lang="fr">&lt;script&gt;');
      // The 404 page echoes the requested IRI escaped, too.
      const missing = await request(url).get('/id/person/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
      expect(missing.status).toBe(404);
      expect(missing.text).not.toContain('<script>');
      expect(missing.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    } finally {
      await close(server);
    }
  });

  it('serves an entity whose IRI holds characters beyond Latin-1, headers percent-encoded', async () => {
    // Found by the injection suite: the Link and Content-Location headers carried the decoded
    // path, and Node refused the header (500) for U+202E, CJK or an em dash in the IRI.
    const store = new GraphStore();
    const slug = `zhōu—李-\u202Eevil-e\u0301`;
    const entity = namedNode(`${BASE}id/note/${slug}`);
    store.addToGraph(graphIris(BASE).data, [
      quad(entity, namedNode(`${RDFS}label`), literal('odd IRI', 'en')),
    ]);
    const { url, server } = await serve(store);
    try {
      const path = `/id/note/${encodeURI(slug)}`;
      const page = await request(url).get(path).set('Accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.text).toContain('odd IRI');
      expect(page.headers['content-location']).toBe(`${path}.html`);
      expect(page.headers.link).toContain(`<${path}.ttl>; rel="alternate"; type="text/turtle"`);
      const turtle = await request(url).get(path).set('Accept', 'text/turtle');
      expect(turtle.status).toBe(200);
      expect(turtle.headers['content-location']).toBe(`${path}.ttl`);
      const quads = await parse(turtle.text, 'turtle');
      expect(quads.map((q) => q.subject.value)).toEqual([entity.value]);
      // The document named in Content-Location answers too.
      expect((await request(url).get(`${path}.ttl`)).status).toBe(200);
    } finally {
      await close(server);
    }
  });

  it('maps /id/… to the configured base, whatever host it runs on', async () => {
    const base = 'http://example.org/kg/';
    const { store } = await loadGraph(base, await projectSources());
    const { url, server } = await serve(store, base);
    try {
      const response = await request(url).get('/id/person/henri-verdier.nt');
      expect(response.status).toBe(200);
      expect(response.text).toContain(`<${base}id/person/henri-verdier> `);
      const page = await request(url).get('/id/person/henri-verdier');
      expect(page.text).toContain(`<code class="iri">${base}id/person/henri-verdier</code>`);
      // The vocabulary and topics keep their fixed IRIs and local paths.
      expect(page.text).toContain('href="/ontology#Person"');
    } finally {
      await close(server);
    }
  });
});
