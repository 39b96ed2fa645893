import { randomUUID } from 'node:crypto';
import type { Quad, Term } from 'n3';
import { EntityDescriber, type EntityDescription } from '../../src/graph/describe.js';
import { loadGraph, projectSources } from '../../src/graph/loader.js';
import { NeighbourhoodReader } from '../../src/graph/neighbourhood.js';
import { Catalogue } from '../../src/graph/catalogue.js';
import { ConferenceReader } from '../../src/graph/conference.js';
import { Reconciler, type ReconciliationQuery } from '../../src/graph/reconciliation.js';
import { catalogueScope, labelsScope, projectScope, searchScope } from '../../src/graph/scopes.js';
import { ClassIndex } from '../../src/graph/classes.js';
import { EntitySearch } from '../../src/graph/search.js';
import { TOPIC } from '../../src/rdf/namespaces.js';
import { isomorphicDatasets } from '../../src/rdf/isomorphism.js';
import type { GraphStore } from '../../src/store/graph-store.js';
import type { RemoteSparqlClient } from '../../src/store/remote-sparql.js';
import { RemoteGraphReads } from '../../src/store/remote-reads.js';
import { testStoreClient } from './virtuoso-env.js';

// The domain services' reads, on the embedded store and on Virtuoso holding the same seed graph,
// must give the same answers: each service reads a view scoped by a SPARQL query (graph/scopes.ts)
// that the embedded store ignores (it holds everything) and Virtuoso evaluates. A scope that
// misses something its reader looks at shows here as a difference. The seed is loaded under a
// base IRI of this run, so earlier runs' graphs do not count.

const base = `http://communs-kg.test/${randomUUID()}/`;
let client: RemoteSparqlClient;
let embedded: GraphStore;
let remote: RemoteGraphReads;
let entities: string[];

beforeAll(async () => {
  client = testStoreClient();
  embedded = (await loadGraph(base, await projectSources())).store;
  for (const graph of embedded.graphNames()) {
    await client.putGraph(graph, embedded.quads(graph));
  }
  remote = new RemoteGraphReads(client);
  entities = [
    ...new Set(
      embedded
        .quads()
        .map((q) => q.subject.value)
        .filter((iri) => iri.startsWith(`${base}id/`) || iri.startsWith(TOPIC)),
    ),
  ].sort();
}, 120_000);

afterAll(async () => {
  if (!client || !embedded) return;
  for (const graph of embedded.graphNames()) await client.deleteGraph(graph);
});

/** A blank node's label says nothing: each store names them its own way. */
const termKey = (term: Term) => (term.termType === 'BlankNode' ? '_:b' : term.id);
const quadKeys = (quads: Quad[]) =>
  quads.map((q) => [q.subject, q.predicate, q.object, q.graph].map(termKey).join(' ')).sort();

/** What a page shows of a description, blank-node labels aside. */
function comparable(description: EntityDescription | undefined) {
  if (!description) return undefined;
  const { statements, blankNodes, labels, referencedBy, triples, ...rest } = description;
  return {
    ...JSON.parse(JSON.stringify(rest, (_key, value: unknown) => value)),
    statements: quadKeys(statements),
    blankNodes: [...blankNodes.values()].map(quadKeys).sort(),
    labels: Object.fromEntries([...labels].sort()),
    referencedBy: quadKeys(referencedBy),
    tripleCount: new Set(quadKeys(triples)).size,
  };
}

describe('the same reads on the embedded store and on Virtuoso', () => {
  test('the seed has entities to compare', () => {
    expect(entities.length).toBeGreaterThan(100);
  });

  test('every entity and topic is described alike', async () => {
    const local = new EntityDescriber(embedded, base);
    const far = new EntityDescriber(remote, base);
    const differing: string[] = [];
    for (const iri of entities) {
      const [mine, theirs] = await Promise.all([local.describe(iri), far.describe(iri)]);
      expect(theirs).toBeDefined();
      if (JSON.stringify(comparable(mine)) !== JSON.stringify(comparable(theirs))) {
        differing.push(iri);
      } else if (!isomorphicDatasets(mine?.triples ?? [], theirs?.triples ?? [])) {
        differing.push(`${iri} (document)`);
      }
    }
    if (differing.length > 0) {
      const first = differing[0] as string;
      expect(comparable(await far.describe(first))).toEqual(
        comparable(await local.describe(first)),
      );
    }
    expect(differing).toEqual([]);
    console.log(`remote reads: ${entities.length} entity descriptions identical on both stores`);
    // Two hundred entity pages, one after the other: more than a minute on a busy machine.
  }, 240_000);

  test('existence, the ontology and the suggestions of a 404 page', async () => {
    const local = new EntityDescriber(embedded, base);
    const far = new EntityDescriber(remote, base);
    for (const iri of [entities[0] as string, `${base}id/person/nobody`, `${base}id/a b`]) {
      expect(await far.exists(iri)).toBe(await local.exists(iri));
    }
    const [mine, theirs] = await Promise.all([local.describeOntology(), far.describeOntology()]);
    expect(theirs.terms.map((t) => [t.iri, t.kind, t.statements.length])).toEqual(
      mine.terms.map((t) => [t.iri, t.kind, t.statements.length]),
    );
    expect(theirs.topics).toEqual(mine.topics);
    expect([...theirs.labels].sort()).toEqual([...mine.labels].sort());
    expect(isomorphicDatasets(theirs.triples, mine.triples)).toBe(true);
    for (const wrong of [`${base}id/person/henri-verdie`, `${TOPIC}souverainete`]) {
      expect(await far.suggestSimilar(wrong)).toEqual(await local.suggestSimilar(wrong));
    }
  });

  test('every neighbourhood picture is drawn alike', async () => {
    const local = new NeighbourhoodReader(embedded, base);
    const far = new NeighbourhoodReader(remote, base);
    // One entity in five, of every kind: three queries each on the remote side.
    for (const iri of entities.filter((_iri, index) => index % 5 === 0)) {
      expect({ iri, ...(await far.read(iri)) }).toEqual({ iri, ...(await local.read(iri)) });
    }
  });

  test('reconciliation gives the same candidates, property constraints included', async () => {
    const local = new Reconciler(embedded, base);
    const far = new Reconciler(remote, base);
    const queries: ReconciliationQuery[] = [
      { query: 'Stephanie Schaer' },
      { query: 'DINUM', type: 'Organisation' },
      { query: 'wikimedia france' },
      {
        query: 'Pierre',
        type: ['Person'],
        properties: [{ pid: 'affiliation', v: 'Open Food Facts' }],
      },
      { query: 'Henri Verdier', properties: [{ pid: 'wikidata', v: 'Q3132327' }] },
      { query: 'tchap' },
    ];
    for (const query of queries) {
      expect(await far.reconcile(query)).toEqual(await local.reconcile(query));
    }
    expect(await far.types()).toEqual(await local.types());
    expect(await far.unlinked(['Person', 'Organisation'])).toEqual(
      await local.unlinked(['Person', 'Organisation']),
    );
  });

  test('the web pages list, search and show conferences alike, each from its own scope', async () => {
    const both = async (scope: string) => Promise.all([embedded.view(scope), remote.view(scope)]);
    const [mine, theirs] = await both(searchScope(base));
    for (const query of ['numerique', 'Wikidata', 'schaer', 'souverainete communs', 'zzz']) {
      expect(new EntitySearch(theirs, base).search(query)).toEqual(
        new EntitySearch(mine, base).search(query),
      );
    }
    const [wholeMine, wholeTheirs] = await both(projectScope(base));
    expect(wholeTheirs.size).toBe(wholeMine.size);
    const [conferences, remoteConferences] = [wholeMine, wholeTheirs].map(
      (view) => new ConferenceReader(view, base),
    );
    expect(remoteConferences?.list()).toEqual(conferences?.list());
    for (const { iri } of conferences?.list() ?? []) {
      expect(remoteConferences?.read(iri)).toEqual(conferences?.read(iri));
    }
    const entity = `${base}id/person/henri-verdier`;
    const [catalogue, remoteCatalogue] = (await both(catalogueScope(base, entity))).map(
      (view) => new Catalogue(view, base),
    );
    const lists = [
      'people',
      'topics',
      'mentionable',
      'sources',
      'interventions',
      'correctable',
    ] as const;
    for (const list of lists) expect(remoteCatalogue?.[list]()).toEqual(catalogue?.[list]());
    expect(remoteCatalogue?.literalStatements(entity)).toEqual(
      catalogue?.literalStatements(entity),
    );
    const [labels, remoteLabels] = (await both(labelsScope(base))).map(
      (view) => new ClassIndex(view),
    );
    for (const iri of entities) expect(remoteLabels?.labelsOf(iri)).toEqual(labels?.labelsOf(iri));
  });
});
