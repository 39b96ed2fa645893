import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { DataFactory, type Quad, type Term } from 'n3';
import request from 'supertest';
import { loadGraph, projectSources, type LoadedGraph } from '../../src/graph/loader.js';
import { voidIri } from '../../src/graph/void.js';
import { DCAT, VOID } from '../../src/rdf/namespaces.js';
import { dumpsRouter } from '../../src/http/dumps.js';
import { RDF_FORMATS, type RdfFormat } from '../../src/rdf/formats.js';
import { isomorphicDatasets } from '../../src/rdf/isomorphism.js';
import { CK, OWL, RDF, WD, graphIris } from '../../src/rdf/namespaces.js';
import { parseRdf } from '../../src/rdf/parse.js';
import { BASE } from '../helpers/project.js';

const { namedNode } = DataFactory;

const DATASET = voidIri(BASE);

function parse(text: string, format: RdfFormat): Promise<Quad[]> {
  return parseRdf(text, { format, baseIri: BASE, sourceName: `response.${format}` });
}

/** The objects of a subject's property in a parsed description. */
function objectsOf(quads: Quad[], subject: Term, predicate: string): Term[] {
  return quads
    .filter((q) => q.subject.equals(subject) && q.predicate.value === predicate)
    .map((q) => q.object);
}

function numberOf(quads: Quad[], subject: Term, predicate: string): number {
  const [value, ...others] = objectsOf(quads, subject, predicate);
  expect(others).toHaveLength(0);
  return Number(value?.value);
}

describe('dumps and the VoID description on a real server', () => {
  let graph: LoadedGraph;
  let url: string;
  let server: Server;

  beforeAll(async () => {
    graph = await loadGraph(BASE, await projectSources());
    const app = express();
    app.use(dumpsRouter({ store: graph.store, settings: { baseIri: BASE } }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it.each(Object.keys(RDF_FORMATS) as RdfFormat[])(
    'serves /export/dump in %s, parsing back to the whole graph',
    async (format) => {
      const extension = RDF_FORMATS[format].extensions[0];
      const response = await request(url).get(`/export/dump.${extension}`);
      expect(response.status).toBe(200);
      expect(response.type).toBe(RDF_FORMATS[format].mediaType);
      expect(response.headers['content-disposition']).toBe(
        `attachment; filename="communs-kg.${extension}"`,
      );
      const parsed = await parse(response.text, format);
      const stored = graph.store.quads();
      const expected = RDF_FORMATS[format].carriesGraphs
        ? stored
        : stored.map((q) => DataFactory.quad(q.subject, q.predicate, q.object));
      expect(parsed.length).toBeGreaterThan(1000);
      expect(isomorphicDatasets(parsed, expected)).toBe(true);
    },
  );

  describe('/.well-known/void', () => {
    let description: Quad[];
    const dataset = namedNode(DATASET);

    beforeAll(async () => {
      const response = await request(url).get('/.well-known/void').set('Accept', 'text/turtle');
      expect(response.status).toBe(200);
      expect(response.type).toBe('text/turtle');
      expect(response.headers.vary).toMatch(/Accept/);
      description = await parse(response.text, 'turtle');
    });

    it('is a void:Dataset and a dcat:Dataset under CC0, with title and description', () => {
      const types = objectsOf(description, dataset, `${RDF}type`).map((t) => t.value);
      expect(types).toEqual(expect.arrayContaining([`${VOID}Dataset`, `${DCAT}Dataset`]));
      expect(objectsOf(description, dataset, 'http://purl.org/dc/terms/license')).toEqual([
        namedNode('https://creativecommons.org/publicdomain/zero/1.0/'),
      ]);
      const titles = objectsOf(description, dataset, 'http://purl.org/dc/terms/title');
      expect(titles.map((t) => (t as { language: string }).language).sort()).toEqual(['en', 'fr']);
      expect(objectsOf(description, dataset, 'http://purl.org/dc/terms/description')).toHaveLength(
        2,
      );
    });

    it('counts the triples the store holds, in all and per named graph', () => {
      const distinct = new Set(
        graph.store.quads().map((q) => `${q.subject.value} ${q.predicate.value} ${q.object.id}`),
      );
      expect(numberOf(description, dataset, `${VOID}triples`)).toBe(distinct.size);
      for (const graphIri of Object.values(graphIris(BASE))) {
        const subset = description.find(
          (q) =>
            q.predicate.value === 'http://www.w3.org/ns/sparql-service-description#name' &&
            q.object.value === graphIri,
        )?.subject;
        expect(subset).toBeDefined();
        expect(numberOf(description, subset as Term, `${VOID}triples`)).toBe(
          graph.store.quads(graphIri).length,
        );
      }
    });

    it('counts the owl:sameAs links to Wikidata in a void:Linkset', () => {
      const sameAsLinks = graph.store.index
        .getQuads(null, namedNode(`${OWL}sameAs`), null, null)
        .filter((q) => q.object.value.startsWith(WD));
      expect(sameAsLinks.length).toBeGreaterThanOrEqual(13);
      const linkset = description.find(
        (q) => q.predicate.value === `${VOID}linkPredicate` && q.object.value === `${OWL}sameAs`,
      )?.subject as Term;
      expect(objectsOf(description, linkset, `${RDF}type`)).toEqual([namedNode(`${VOID}Linkset`)]);
      expect(numberOf(description, linkset, `${VOID}triples`)).toBe(sameAsLinks.length);
      expect(objectsOf(description, dataset, `${VOID}subset`)).toContainEqual(linkset);
    });

    it('has a class partition per class, counting its entities', () => {
      const partitions = objectsOf(description, dataset, `${VOID}classPartition`);
      const persons = partitions.find((p) =>
        objectsOf(description, p, `${VOID}class`).some((c) => c.value === `${CK}Person`),
      ) as Term;
      const stored = graph.store.index.getSubjects(
        namedNode(`${RDF}type`),
        namedNode(`${CK}Person`),
        null,
      );
      expect(numberOf(description, persons, `${VOID}entities`)).toBe(stored.length);
      const classes = new Set(
        graph.store.index
          .getObjects(null, namedNode(`${RDF}type`), null)
          .map((term: Term) => term.value),
      );
      expect(partitions).toHaveLength(classes.size);
    });

    it('lists the SPARQL endpoint and the dumps, which download', async () => {
      expect(objectsOf(description, dataset, `${VOID}sparqlEndpoint`)).toEqual([
        namedNode(`${url}/sparql`),
      ]);
      const dumps = objectsOf(description, dataset, `${VOID}dataDump`).map((t) => t.value);
      expect(dumps.sort()).toEqual(
        Object.values(RDF_FORMATS)
          .map((info) => `${url}/export/dump.${info.extensions[0]}`)
          .sort(),
      );
      const distributions = objectsOf(description, dataset, `${DCAT}distribution`);
      expect(distributions).toHaveLength(dumps.length);
      for (const distribution of distributions) {
        const [download] = objectsOf(description, distribution, `${DCAT}downloadURL`);
        const [mediaType] = objectsOf(description, distribution, `${DCAT}mediaType`);
        expect(dumps).toContain(download?.value);
        expect(mediaType?.value).toMatch(/^https:\/\/www\.iana\.org\/assignments\/media-types\//);
      }
      const turtleDump = await request(url).head('/export/dump.ttl');
      expect(turtleDump.status).toBe(200);
    });

    it('is also served as JSON-LD and N-Triples by Accept, or ?format=', async () => {
      for (const [format, mediaType] of [
        ['jsonld', 'application/ld+json'],
        ['ntriples', 'application/n-triples'],
      ] as const) {
        const response = await request(url).get('/.well-known/void').set('Accept', mediaType);
        expect(response.type).toBe(mediaType);
        expect(isomorphicDatasets(await parse(response.text, format), description)).toBe(true);
      }
      const byFormat = await request(url).get('/.well-known/void').query({ format: 'nt' });
      expect(byFormat.type).toBe('application/n-triples');
      const refused = await request(url).get('/.well-known/void').set('Accept', 'image/png');
      expect(refused.status).toBe(406);
    });
  });
});
