/**
 * Reads the W3C SPARQL 1.1 test manifests (mf:, qt:, ut:, ht: vocabularies) into plain test records.
 * Manifests are parsed with their canonical W3C base IRI, so test and file IRIs are the official
 * ones (…/data-sparql11/add/manifest#add01); `localPath` maps such an IRI back to the local copy.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Parser, Store, type Term } from 'n3';
import { readHttpRequests, type HttpRequestSpec } from './http-spec.js';

export const SUITE_BASE = 'http://www.w3.org/2009/sparql/docs/tests/data-sparql11/';

export const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  mf: 'http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#',
  qt: 'http://www.w3.org/2001/sw/DataAccess/tests/test-query#',
  ut: 'http://www.w3.org/2009/sparql/tests/test-update#',
  dawgt: 'http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#',
  sd: 'http://www.w3.org/ns/sparql-service-description#',
  ht: 'http://www.w3.org/2011/http#',
  cnt: 'http://www.w3.org/2011/content#',
  hts: 'http://www.w3.org/2011/http-statusCodes#',
} as const;

/** A file loaded into a named graph: its IRI, and the graph's name (the file IRI for qt:graphData). */
export interface GraphData {
  file: string;
  graph: string;
}

/** What a store holds before an update or after it: default-graph files and named graphs. */
export interface StoreState {
  data: string[];
  graphData: GraphData[];
}

export interface ServiceData {
  endpoint: string;
  data: string[];
}

export interface TestCase {
  iri: string;
  /** The manifest's directory, e.g. "add", "syntax-query", "graph-store-protocol". */
  category: string;
  /** Local name of the rdf:type, e.g. "QueryEvaluationTest", "NegativeSyntaxTest11". */
  kind: string;
  name: string;
  comment?: string;
  /** Local name of dawgt:approval (Approved, Proposed, NotClassified, Withdrawn), if stated. */
  approval?: string;
  /** qt:query or ut:request file IRI; for syntax tests, mf:action itself. */
  query?: string;
  /** The store before the query or update runs. */
  action: StoreState;
  serviceData: ServiceData[];
  entailmentRegimes: string[];
  features: string[];
  requires: string[];
  /** A result file (.srx, .srj, .csv, .tsv, .ttl…) for queries. */
  resultFile?: string;
  /** The expected store after an update. */
  resultState?: StoreState;
  /** The HTTP exchanges of a ProtocolTest or GraphStoreProtocolTest. */
  requests: HttpRequestSpec[];
}

/** Maps an IRI under SUITE_BASE to a path in the local copy of the suite. */
export function localPath(suiteDir: string, iri: string): string {
  if (!iri.startsWith(SUITE_BASE)) throw new Error(`not a suite file: ${iri}`);
  return join(suiteDir, decodeURIComponent(iri.slice(SUITE_BASE.length).replace(/#.*$/, '')));
}

/** A small read-only view over a parsed manifest graph. */
export class ManifestGraph {
  constructor(readonly store: Store) {}

  objects(subject: Term, predicate: string): Term[] {
    return this.store.getObjects(subject, predicate, null);
  }

  object(subject: Term, predicate: string): Term | undefined {
    return this.objects(subject, predicate)[0];
  }

  value(subject: Term, predicate: string): string | undefined {
    return this.object(subject, predicate)?.value;
  }

  /** The members of an RDF collection, in order. */
  list(head: Term | undefined): Term[] {
    const members: Term[] = [];
    let node = head;
    while (node && node.value !== `${NS.rdf}nil`) {
      const first = this.object(node, `${NS.rdf}first`);
      if (first) members.push(first);
      node = this.object(node, `${NS.rdf}rest`);
    }
    return members;
  }
}

function localName(iri: string): string {
  return iri.replace(/^.*[#/]/, '');
}

async function parseManifest(suiteDir: string, iri: string): Promise<ManifestGraph> {
  const text = await readFile(localPath(suiteDir, iri), 'utf8');
  const store = new Store(new Parser({ baseIRI: iri }).parse(text));
  return new ManifestGraph(store);
}

/**
 * Every test of a manifest and of the manifests it includes (mf:include), in manifest order.
 * `manifestIri` defaults to manifest-all.ttl.
 */
export async function loadManifest(
  suiteDir: string,
  manifestIri = `${SUITE_BASE}manifest-all.ttl`,
): Promise<TestCase[]> {
  const graph = await parseManifest(suiteDir, manifestIri);
  const self = graph.store.getSubjects(`${NS.rdf}type`, `${NS.mf}Manifest`, null);
  const root = self.find((term) => term.value === manifestIri) ?? self[0];
  if (!root) throw new Error(`no mf:Manifest in ${manifestIri}`);
  const tests: TestCase[] = [];
  for (const included of graph.list(graph.object(root, `${NS.mf}include`))) {
    tests.push(...(await loadManifest(suiteDir, included.value)));
  }
  const category = manifestIri.slice(SUITE_BASE.length).replace(/\/[^/]*$/, '');
  for (const entry of graph.list(graph.object(root, `${NS.mf}entries`))) {
    tests.push(readTest(graph, entry, category));
  }
  return tests;
}

function readTest(graph: ManifestGraph, entry: Term, category: string): TestCase {
  const types = graph.objects(entry, `${NS.rdf}type`).map((type) => localName(type.value));
  const action = graph.object(entry, `${NS.mf}action`);
  const result = graph.object(entry, `${NS.mf}result`);
  const test: TestCase = {
    iri: entry.value,
    category,
    kind: types.find((type) => type.endsWith('Test') || type.endsWith('Test11')) ?? 'Unknown',
    name: graph.value(entry, `${NS.mf}name`) ?? localName(entry.value),
    comment: graph.value(entry, `${NS.rdfs}comment`),
    approval: localNameOrUndefined(graph.value(entry, `${NS.dawgt}approval`)),
    action: { data: [], graphData: [] },
    serviceData: [],
    entailmentRegimes: [],
    features: graph.objects(entry, `${NS.mf}feature`).map((term) => term.value),
    requires: graph.objects(entry, `${NS.mf}requires`).map((term) => localName(term.value)),
    requests: [],
  };
  if (!action) return test;
  if (action.termType === 'NamedNode') {
    // Syntax tests: the action is the query or update file itself.
    test.query = action.value;
  } else if (graph.object(action, `${NS.ht}requests`)) {
    test.requests = readHttpRequests(graph, action);
    // Protocol tests state their data on the test itself.
    test.action = readStoreState(graph, entry);
  } else {
    test.query = graph.value(action, `${NS.qt}query`) ?? graph.value(action, `${NS.ut}request`);
    test.action = readStoreState(graph, action);
    test.serviceData = graph.objects(action, `${NS.qt}serviceData`).map((service) => ({
      endpoint: graph.value(service, `${NS.qt}endpoint`) ?? '',
      data: graph.objects(service, `${NS.qt}data`).map((term) => term.value),
    }));
    test.entailmentRegimes = readRegimes(graph, action);
  }
  if (result?.termType === 'NamedNode') test.resultFile = result.value;
  else if (result) test.resultState = readStoreState(graph, result);
  return test;
}

function localNameOrUndefined(iri: string | undefined): string | undefined {
  return iri === undefined ? undefined : localName(iri);
}

/** qt:data / ut:data go to the default graph; qt:graphData is named by its file, ut:graphData by its label. */
function readStoreState(graph: ManifestGraph, node: Term): StoreState {
  const data = [...graph.objects(node, `${NS.qt}data`), ...graph.objects(node, `${NS.ut}data`)].map(
    (term) => term.value,
  );
  const graphData: GraphData[] = [];
  for (const term of graph.objects(node, `${NS.qt}graphData`)) {
    graphData.push({ file: term.value, graph: term.value });
  }
  for (const term of graph.objects(node, `${NS.ut}graphData`)) {
    const file = graph.value(term, `${NS.ut}graph`);
    const label = graph.value(term, `${NS.rdfs}label`);
    if (file) graphData.push({ file, graph: label ?? file });
  }
  return { data, graphData };
}

function readRegimes(graph: ManifestGraph, action: Term): string[] {
  const regime = graph.object(action, `${NS.sd}entailmentRegime`);
  if (!regime) return [];
  const members = graph.list(regime);
  return (members.length > 0 ? members : [regime]).map((term) => localName(term.value));
}
