import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { DataFactory, Parser, termToId, Writer } from 'n3';
import sparqljs from 'sparqljs';
import request from 'supertest';
import type { RunningServer } from '../../src/http/server.js';
import { changesetUpdate } from '../../src/store/update-text.js';
import {
  addUser,
  CK,
  getChangeset,
  GRAPH,
  graphCounts,
  hasTriple,
  RDFS_LABEL,
  select,
  submitPending,
  type Account,
} from '../helpers/collab-helpers.js';
import { BASE } from '../helpers/project.js';
import { startTestServer } from '../helpers/server.js';
import { wellFormedXml } from '../helpers/xml.js';

/**
 * Injection (issue 9, part 2): every place that builds SPARQL or HTML from what a user typed or
 * stored — search, reconciliation, the query page, entity pages, the changeset views, the Atom
 * feed, messages and sources — given hostile values. Nothing in the graph may change that was not
 * accepted, every HTML page shows the value only as text (no element or attribute made from it),
 * JSON parses, the feed is well-formed XML, and a value stored on purpose comes back exactly.
 */

const HOSTILE = {
  quotes: `it's "quoted" ''' """`,
  braces: '{ } }} {{ ?s ?p ?o }',
  newlines: 'line one\nline two\r\nline three',
  drop: '"} ; DROP ALL ; {"',
  script: '<script>alert(1)</script>',
  attribute: '"><img src=x onerror=alert(1)>',
  cdata: ']]> <![CDATA[ x ]]>',
  nul: 'nul\u0000byte',
  rtl: '\u202Eevil\u202C rtl \u05D0\u05D1\u05D2',
  combining: 'e\u0301\u0327 Z\u0351\u0354 a\u0308',
  backslashes: 'back\\slash \\" \\u0022 \\n',
  everything: `it's "} ; DROP ALL ; {" <script>alert(1)</script> "><img src=x onerror=alert(1)> ]]> \\ \u202E\u0301 {}\n`,
} as const;
const CASES = Object.entries(HOSTILE);

const HENRI = `${BASE}id/person/henri-verdier`;
/** Statements the attempts must leave in place. */
const KNOWN = [
  `<${HENRI}> <${RDFS_LABEL}> "Henri Verdier"@fr`,
  `<${HENRI}> a <${CK}Person>`,
  `<${BASE}id/commons/tchap> <${RDFS_LABEL}> "Tchap"@fr`,
  `<${BASE}id/claim/henri-verdier-1> <${CK}claimant> <${HENRI}>`,
];

/** What no page of the site may hold: elements or attributes that run or load something. */
function expectSafeHtml(markup: string, where: string): Document {
  const errors: string[] = [];
  const document = new DOMParser({
    onError: (level, message) => {
      if (level === 'fatalError') errors.push(message);
    },
  }).parseFromString(markup, 'text/html');
  expect({ where, errors }).toEqual({ where, errors: [] });
  const all = document.getElementsByTagName('*');
  for (let i = 0; i < all.length; i++) {
    const element = all.item(i) as Element;
    const name = (element.localName ?? '').toLowerCase();
    expect({ where, element: name }).not.toEqual({
      where,
      element: expect.stringMatching(/^(img|iframe|object|embed|base|frame)$/),
    });
    for (let k = 0; k < element.attributes.length; k++) {
      const attribute = element.attributes.item(k);
      if (!attribute) continue;
      // No event handler, and no link that runs script.
      expect({ where, attribute: attribute.name }).not.toEqual({
        where,
        attribute: expect.stringMatching(/^on/i),
      });
      if (/^(href|src|action|formaction)$/i.test(attribute.name)) {
        expect({ where, url: attribute.value }).not.toEqual({
          where,
          url: expect.stringMatching(/^\s*(javascript|data|vbscript):/i),
        });
      }
    }
    if (name === 'script') {
      // Scripts are the project's files, or JSON data blocks that never run.
      const src = element.getAttribute('src');
      if (src) expect(src).toMatch(/^\/assets\//);
      else {
        expect(element.getAttribute('type')).toBe('application/json');
        expect(() => JSON.parse(element.textContent ?? '')).not.toThrow();
      }
    }
    if (name === 'meta') expect(element.getAttribute('http-equiv')).toBeNull();
  }
  expect(markup).not.toContain('<script>alert');
  expect(markup).not.toContain('<img src=x');
  return document;
}

/**
 * What HTML keeps of a text: a parser normalises line breaks to \n and drops U+0000 (HTML never
 * carries it); everything else must come back as it was.
 */
const asHtmlText = (text: string) => text.replace(/\r\n?/g, '\n').replaceAll('\u0000', '');

/** An attribute value as xmldom reads it: XML's normalisation turns tabs and breaks to spaces. */
const asAttribute = (text: string) => asHtmlText(text).replace(/[\t\n]/g, ' ');

const textOf = (document: Document) =>
  asHtmlText(document.documentElement?.textContent ?? '').replace(/\uFFFD/g, '');

/** A Turtle (and N-Triples) string literal: JSON's escapes are Turtle's. */
const literal = (text: string) => JSON.stringify(text);

describe('hostile values never subvert a query or a page', () => {
  let server: RunningServer;
  let url: string;
  let alice: Account;
  let mod: Account;
  let initial: Record<string, number>;
  /** The data graph's size as it should be: the seed plus what was accepted. */
  let expectedData: number;

  beforeAll(async () => {
    server = await startTestServer();
    url = server.url;
    alice = await addUser(url, 'alice', 'contributor');
    mod = await addUser(url, 'mod', 'moderator');
    initial = await graphCounts(url);
    expectedData = initial[GRAPH.data] as number;
  });
  afterAll(() => server.close());

  /** The graph is as it should be: nothing lost, nothing added but what was accepted. */
  async function intact(after: string) {
    const counts = await graphCounts(url);
    expect({ after, ontology: counts[GRAPH.ontology], data: counts[GRAPH.data] }).toEqual({
      after,
      ontology: initial[GRAPH.ontology],
      data: expectedData,
    });
    for (const triple of KNOWN)
      expect({ after, triple, there: await hasTriple(url, triple) }).toEqual({
        after,
        triple,
        there: true,
      });
    const health = await request(url).get('/healthz');
    expect(health.status).toBe(200);
  }

  const page = (path: string, language = 'en') =>
    request(url).get(path).set('Accept', 'text/html').set('Accept-Language', language);

  // ---------------------------------------------------------------------------------------------

  it.each(CASES)(
    'the search page shows %s as text only, in the box and the status',
    async (_name, hostile) => {
      for (const language of ['en', 'fr']) {
        const response = await page(`/search?q=${encodeURIComponent(hostile)}`, language);
        expect(response.status).toBe(200);
        const document = expectSafeHtml(response.text, `/search ${hostile}`);
        const box = document.getElementById('site-search');
        // xmldom keeps a U+0000 in an attribute, where a browser puts U+FFFD: compare without.
        expect(asAttribute(box?.getAttribute('value') ?? '')).toBe(asAttribute(hostile));
        expect(textOf(document)).toContain(asHtmlText(hostile).trim().split('\n')[0]);
      }
      await intact(`search ${hostile}`);
    },
  );

  it.each(CASES)(
    'pages taking parameters keep %s as text: query page, 404, contribute, conference, history',
    async (_name, hostile) => {
      const encoded = encodeURIComponent(hostile);
      const query = `SELECT * WHERE { ?s <${RDFS_LABEL}> ${literal(hostile)} }`;
      for (const [path, status] of [
        [`/?query=${encodeURIComponent(query)}`, 200],
        [`/?example=${encoded}`, 200],
        [`/?lang=fr&example=${encoded}`, 200],
        [`/id/person/${encoded}`, 404],
        [`/topic/${encoded}`, 404],
        [`/contribute?entity=${encoded}&speaker=${encoded}`, 200],
        [`/conference?iri=${encoded}`, 404],
        [`/history?entity=${encoded}`, 200],
        [`/moderate?lang=${encoded}`, 200],
      ] as const) {
        const response = await page(path);
        expect({ path, status: response.status }).toEqual({ path, status });
        expectSafeHtml(response.text, path);
      }
      // The query page gives the query back as it was typed, in its editor.
      const editor = expectSafeHtml((await page(`/?query=${encodeURIComponent(query)}`)).text, '/');
      expect(asHtmlText(editor.getElementById('query')?.textContent ?? '')).toBe(asHtmlText(query));
      await intact(`pages ${hostile}`);
    },
  );

  it.each(CASES)(
    'SPARQL: %s inside a literal is data, and as a query it is refused',
    async (_name, hostile) => {
      const rows = await select(url, `SELECT ?s WHERE { ?s rdfs:label ${literal(hostile)} }`);
      expect(rows).toEqual([]);
      const refused = await request(url)
        .get('/sparql')
        .query({ query: hostile })
        .set('Accept', 'application/sparql-results+json');
      expect(refused.status).toBe(400);
      // An update with the value inside a literal, from a contributor, is a proposal and no more.
      const update = await request(url)
        .post('/update')
        .set(alice.headers)
        .type('application/sparql-update')
        .send(
          `INSERT DATA { GRAPH <${GRAPH.data}> { <${BASE}id/note/sparql-literal> <${RDFS_LABEL}> ${literal(hostile)}@en } }`,
        );
      expect(update.status).toBe(202);
      await intact(`sparql ${hostile}`);
    },
  );

  it.each(CASES)(
    'reconciliation treats %s as a name, in queries, types, properties and suggest',
    async (_name, hostile) => {
      const batch = {
        q0: { query: hostile },
        q1: { query: hostile, type: hostile, limit: 3 },
        q2: { query: 'DINUM', properties: [{ pid: hostile, v: hostile }] },
        q3: { query: 'DINUM', properties: [{ pid: 'affiliation', v: hostile }] },
      };
      const answers = [
        await request(url)
          .get('/reconcile')
          .query({ queries: JSON.stringify(batch) }),
        await request(url)
          .post('/reconcile')
          .type('form')
          .send({ queries: JSON.stringify(batch) }),
        await request(url).post('/reconcile').send({ queries: batch }),
      ];
      for (const response of answers) {
        expect(response.status).toBe(200);
        const results = JSON.parse(response.text) as Record<string, { result: unknown[] }>;
        expect(Object.keys(results).sort()).toEqual(['q0', 'q1', 'q2', 'q3']);
      }
      for (const path of [
        '/reconcile/suggest/entity',
        '/reconcile/suggest/type',
        '/reconcile/suggest/property',
      ]) {
        const response = await request(url)
          .get(path)
          .query({ prefix: hostile, type: hostile, callback: hostile });
        expect(response.status).toBe(200);
        // A hostile callback is not a JavaScript name: plain JSON, never script.
        expect(response.type).toBe('application/json');
        expect(Array.isArray(JSON.parse(response.text).result)).toBe(true);
      }
      const preview = await request(url).get('/reconcile/preview').query({ id: hostile });
      expect(preview.status).toBe(404);
      expect(preview.text).not.toContain('<');
      await intact(`reconcile ${hostile}`);
    },
  );

  // ---------------------------------------------------------------------------------------------

  describe('a hostile contribution, accepted, then shown everywhere', () => {
    /** A quote whose labels, text and selector are hostile, and a note whose IRI is odd too. */
    const QUOTE = `${BASE}id/claim/hostile-quote-1`;
    const ODD = `${BASE}id/note/odd-'();!*$&=+,~é\u202Eevil-e\u0301`;
    const hostile: string = HOSTILE.everything;
    const message = `message ${HOSTILE.drop} ${HOSTILE.script} ${HOSTILE.nul}`;
    // A web address with the characters an IRI allows that matter to HTML (' & ( ) and
    // escaped markup): linked, as an attribute, never as markup.
    const source = "https://example.org/r?a=1&b='x'(y)&c=%22%3E%3Cscript%3Ealert(1)%3C/script%3E";
    const reason = `reason ${HOSTILE.attribute} ${HOSTILE.cdata}`;
    const turtle = `@prefix ck: <${CK}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
<${QUOTE}> a ck:Quote ;
  rdfs:label ${literal(hostile)}@fr , ${literal(`${HOSTILE.quotes} ${HOSTILE.rtl}`)}@en ;
  ck:text ${literal(`${hostile} ${HOSTILE.nul} ${HOSTILE.combining} ${HOSTILE.backslashes}`)}@fr ;
  ck:claimant <${HENRI}> ;
  ck:intervention <${BASE}id/event/csnp-2023-intervention-henri-verdier> ;
  ck:topic <https://w3id.org/communs-kg/topic/gouvernance> ;
  ck:source <${BASE}id/source/csnp-2023-page> ;
  schema:description ${literal(HOSTILE.newlines)}@en ;
  ck:selector [ a oa:TextQuoteSelector ; oa:exact ${literal(hostile)} ] .
<${ODD}> rdfs:label ${literal(HOSTILE.attribute)}@en .
`;
    let added: number;
    let id: number;
    let quoteText: string;

    beforeAll(async () => {
      quoteText = `${hostile} ${HOSTILE.nul} ${HOSTILE.combining} ${HOSTILE.backslashes}`;
      added = new Parser().parse(turtle).length;
      id = await submitPending(url, alice.headers, { message, source, add: turtle });
    });

    it('the API gives the changeset back exactly, message, source and diff, as JSON', async () => {
      const response = await request(url).get(`/api/changesets/${id}`);
      expect(response.status).toBe(200);
      const changeset = JSON.parse(response.text) as Record<string, unknown>;
      expect(changeset.message).toBe(message);
      expect(changeset.source).toBe(source);
      const diff = (changeset.diff as string[]).join('\n');
      // The diff writes terms as Turtle: the literal escaped, the same text once read back.
      const line = (changeset.diff as string[]).find((l) => l.includes('ck:text'));
      expect(line).toBeDefined();
      const object = /ck:text (".*"@fr)/.exec(line ?? '')?.[1] ?? '';
      const [quad] = new Parser().parse(`<x:s> <x:p> ${object} .`);
      expect(quad?.object.value).toBe(quoteText);
      expect(diff).not.toContain('\u0000');
      await intact('a pending hostile changeset');
    });

    it('the moderation queue shows it as text: labels, message, source link, diff', async () => {
      for (const language of ['en', 'fr']) {
        const response = await page('/moderate', language);
        expect(response.status).toBe(200);
        const document = expectSafeHtml(response.text, '/moderate');
        const article = document.getElementById(`changeset-${id}`);
        expect(article).toBeTruthy();
        const text = asHtmlText(article?.textContent ?? '');
        expect(text).toContain(asHtmlText(message));
        expect(text).toContain(asHtmlText(hostile).trim());
        // The source is a link to itself, as an attribute value, not markup.
        const links = article?.getElementsByTagName('a');
        const hrefs = [...Array(links?.length ?? 0).keys()].map((k) =>
          links?.item(k)?.getAttribute('href'),
        );
        expect(hrefs).toContain(source);
      }
    });

    it('sources that are not web addresses are refused, and rejections keep a hostile reason', async () => {
      const before = await request(url).get('/api/changesets').query({ limit: 1 });
      for (const bad of [
        'javascript:alert(1)',
        'data:text/html,<script>alert(1)</script>',
        ' javascript:alert(1)',
        HOSTILE.attribute,
        `https://example.org/r?a="'<>"><script>alert(1)</script>`,
        'https://example.org/a b',
      ]) {
        const response = await request(url)
          .post('/api/changesets')
          .set(alice.headers)
          .send({
            message: 'source',
            source: bad,
            add: `<${BASE}id/note/source> <${RDFS_LABEL}> "source"@en .`,
          });
        expect({ bad, status: response.status }).toEqual({ bad, status: 400 });
        expect(JSON.parse(response.text).error).toMatch(/source/);
      }
      const after = await request(url).get('/api/changesets').query({ limit: 1 });
      expect(after.body.total).toBe(before.body.total);
      // A proposal rejected with a hostile reason: the reason is text in the page and the feed.
      const rejected = await submitPending(url, alice.headers, {
        message: `to reject ${HOSTILE.script}`,
        source,
        add: `<${BASE}id/note/rejected> <${RDFS_LABEL}> ${literal(HOSTILE.drop)}@en .`,
      });
      await request(url)
        .post(`/api/changesets/${rejected}/reject`)
        .set(mod.headers)
        .send({ reason })
        .expect(200);
      const document = expectSafeHtml((await page('/changes')).text, '/changes');
      const article = document.getElementById(`changeset-${rejected}`);
      expect(asHtmlText(article?.textContent ?? '')).toContain(asHtmlText(reason));
      expect(asHtmlText(article?.textContent ?? '')).toContain(HOSTILE.drop);
      await intact('hostile sources and a rejection');
    });

    it('IRIs that are not IRIs are refused in every format, before anything is stored', async () => {
      const total = (await request(url).get('/api/changesets').query({ limit: 1 })).body.total;
      const bad = `${BASE}id/note/q"x<y>{z}`;
      for (const [format, add] of [
        ['application/ld+json', JSON.stringify({ '@id': bad, [RDFS_LABEL]: 'x' })],
        [
          'application/ld+json',
          JSON.stringify({ '@id': `${BASE}id/note/ok`, [RDFS_LABEL]: { '@id': bad } }),
        ],
        ['text/turtle', `<${BASE}id/note/q\\u0022x> <${RDFS_LABEL}> "x" .`],
        ['application/n-triples', `<${bad}> <${RDFS_LABEL}> "x" .`],
        [
          'application/rdf+xml',
          `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"><rdf:Description rdf:about="${BASE}id/note/q&quot;x"><rdfs:label>x</rdfs:label></rdf:Description></rdf:RDF>`,
        ],
      ]) {
        const response = await request(url)
          .post('/api/changesets')
          .set(alice.headers)
          .send({ message: 'bad IRI', add, format });
        expect({ format, status: response.status }).toEqual({ format, status: 400 });
        expect(JSON.parse(response.text).error).toEqual(expect.any(String));
      }
      expect((await request(url).get('/api/changesets').query({ limit: 1 })).body.total).toBe(
        total,
      );
      await intact('IRIs that are not IRIs');
    });

    it('accepted by a moderator with a hostile reason, it is stored exactly', async () => {
      const response = await request(url)
        .post(`/api/changesets/${id}/accept`)
        .set(mod.headers)
        .send({ reason });
      expect({ status: response.status, body: response.body }).toMatchObject({
        status: 200,
        body: { status: 'accepted' },
      });
      expectedData += added;
      await intact('the accepted hostile changeset');
      const rows = await select(
        url,
        `SELECT ?text ?label WHERE { <${QUOTE}> ck:text ?text ; rdfs:label ?label FILTER(lang(?label) = "fr") }`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]?.text?.value).toBe(quoteText);
      expect(rows[0]?.label?.value).toBe(hostile);
      const odd = await select(url, `SELECT ?label WHERE { <${ODD}> rdfs:label ?label }`);
      expect(odd.map((r) => r.label?.value)).toEqual([HOSTILE.attribute]);
    });

    it('its entity page shows the labels and the quote as text, and its RDF gives them back', async () => {
      const path = `/id/claim/hostile-quote-1`;
      for (const language of ['en', 'fr']) {
        const response = await page(path, language);
        expect(response.status).toBe(200);
        const document = expectSafeHtml(response.text, path);
        const text = textOf(document);
        expect(text).toContain(asHtmlText(hostile).trim());
        expect(text).toContain(asHtmlText(HOSTILE.combining));
        expect(text).toContain(HOSTILE.backslashes);
      }
      const nt = await request(url).get(`${path}.nt`);
      expect(nt.status).toBe(200);
      const quads = new Parser({ format: 'N-Triples' }).parse(nt.text);
      expect(quads.find((q) => q.predicate.value === `${CK}text`)?.object.value).toBe(quoteText);
      const jsonld = await request(url).get(`${path}.jsonld`);
      expect(jsonld.status).toBe(200);
      expect(JSON.stringify(JSON.parse(jsonld.text))).toContain(
        JSON.stringify(quoteText).slice(1, -1),
      );
      // The odd IRI dereferences too, and its page escapes it.
      const odd = await page(`/id/${encodeURI(ODD.slice(`${BASE}id/`.length))}`);
      expect(odd.status).toBe(200);
      expect(textOf(expectSafeHtml(odd.text, 'the odd IRI'))).toContain(HOSTILE.attribute);
    });

    it('search, history, recent changes and the neighbour pages show it as text', async () => {
      const search = await page(`/search?q=${encodeURIComponent('evil rtl')}`);
      expect(search.status).toBe(200);
      const found = expectSafeHtml(search.text, '/search');
      expect(found.getElementsByTagName('mark').length).toBeGreaterThan(0);
      for (const path of [
        `/history?entity=${encodeURIComponent(QUOTE)}`,
        `/history?entity=${encodeURIComponent(ODD)}`,
        '/changes',
        '/changes?lang=fr',
        '/id/person/henri-verdier',
        '/conference',
      ]) {
        const response = await page(path);
        expect({ path, status: response.status }).toEqual({ path, status: 200 });
        expectSafeHtml(response.text, path);
      }
      const history = expectSafeHtml(
        (await page(`/history?entity=${encodeURIComponent(QUOTE)}`)).text,
        'history',
      );
      const text = textOf(history);
      expect(text).toContain(asHtmlText(message));
      expect(text).toContain(asHtmlText(reason));
      const api = await request(url).get('/api/history').query({ entity: QUOTE });
      expect(api.status).toBe(200);
      expect(JSON.parse(api.text).changesets[0].message).toBe(message);
      await intact('the pages of the hostile changeset');
    });

    it('the Atom feed is well-formed XML holding message and reason as text', async () => {
      const response = await request(url).get('/api/changes.atom');
      expect(response.status).toBe(200);
      const document = wellFormedXml(response.text);
      const entries = document.getElementsByTagName('entry');
      const entry = [...Array(entries.length).keys()]
        .map((k) => entries.item(k) as Element)
        .find(
          (e) => e.getElementsByTagName('id').item(0)?.textContent === `${BASE}id/changeset/${id}`,
        );
      expect(entry).toBeDefined();
      // U+0000 cannot be in XML: the feed shows U+FFFD in its place, the rest as written.
      const title = entry?.getElementsByTagName('title').item(0)?.textContent ?? '';
      expect(title).toBe(`Changeset ${id} accepted: ${message.replaceAll('\u0000', '\uFFFD')}`);
      expect(entry?.getElementsByTagName('summary').item(0)?.textContent).toContain(reason);
      // Nothing in the feed became markup of its own.
      expect(document.getElementsByTagName('script').length).toBe(0);
      expect(document.getElementsByTagName('img').length).toBe(0);
    });

    it('the changeset list and its JSON keep every hostile text as written', async () => {
      const list = await request(url).get('/api/changesets').query({ author: `alice' OR '1'='1` });
      expect(list.status).toBe(200);
      expect(JSON.parse(list.text).total).toBe(0);
      const changeset = await getChangeset(url, id);
      expect(changeset).toMatchObject({
        message,
        source,
        reviewReason: reason,
        status: 'accepted',
      });
    });
  });

  // ---------------------------------------------------------------------------------------------

  it.each(CASES)(
    'SPARQL Update text built from quads keeps %s inside its literal',
    (_name, hostile) => {
      // The client of an external store writes changesets as INSERT DATA / DELETE DATA texts.
      const { namedNode, literal: lit, quad } = DataFactory;
      const quads = [
        quad(
          namedNode(`${BASE}id/note/u`),
          namedNode(RDFS_LABEL),
          lit(hostile, 'en'),
          namedNode(GRAPH.data),
        ),
        quad(
          namedNode(`${BASE}id/note/u`),
          namedNode(`${CK}text`),
          lit(hostile),
          namedNode(GRAPH.data),
        ),
      ];
      const text = changesetUpdate(quads, quads);
      const parsed = new sparqljs.Parser().parse(text) as sparqljs.Update;
      expect(parsed.updates).toHaveLength(2);
      type DataOperation = { insert?: sparqljs.Quads[]; delete?: sparqljs.Quads[] };
      for (const operation of parsed.updates as DataOperation[]) {
        const groups = [...(operation.insert ?? []), ...(operation.delete ?? [])];
        const back = groups.flatMap((group) =>
          group.triples.map((t: sparqljs.Triple) =>
            [t.subject, t.predicate, t.object].map((term) => termToId(term as never)).join(' '),
          ),
        );
        expect(back).toEqual(
          quads.map((q) => [q.subject, q.predicate, q.object].map(termToId).join(' ')),
        );
      }
      // The same text as N-Quads, for comparison: one line per quad, whatever the value.
      expect(
        new Writer({ format: 'N-Quads' }).quadsToString(quads).trim().split('\n'),
      ).toHaveLength(2);
    },
  );
});
