import type { Settings } from '../config/settings.js';
import { graphIris } from '../rdf/namespaces.js';
import type { GraphBackend } from '../sparql/backend.js';
import { RemoteQueryRunner } from '../sparql/remote-queries.js';
import { RemoteGraphReads } from '../store/remote-reads.js';
import { RemoteSparqlClient, virtuosoEndpoints } from '../store/remote-sparql.js';
import { loadGraph, validateLoadedGraph, type GraphSources } from './loader.js';
import { InvalidSeedError } from './open.js';

/** How long the list of the project's graphs is reused before the store is asked again. */
const GRAPH_LIST_TTL_MS = 10_000;

export interface RemoteBackend extends GraphBackend {
  /** Whether this start seeded a store that held none of the project's graphs. */
  seeded: boolean;
}

/**
 * The served graph kept in an external SPARQL store (Virtuoso's endpoints): reads and queries
 * go to the store. A store holding no graph under the base IRI is seeded first, from ontology/
 * and data/, validated as on the embedded store, one Graph Store PUT per graph. Read-only for
 * now (see GraphBackend#writable).
 */
export async function openRemoteBackend(
  settings: Settings,
  store: NonNullable<Settings['remoteStore']>,
  sources: () => Promise<GraphSources>,
): Promise<RemoteBackend> {
  const { user, password } = store;
  const client = new RemoteSparqlClient({
    endpoints: virtuosoEndpoints(store.url),
    credentials: user !== undefined && password !== undefined ? { user, password } : undefined,
    timeoutMs: settings.queryTimeoutMs,
  });
  const inProject = `FILTER(STRSTARTS(STR(?g), ${JSON.stringify(settings.baseIri)}))`;
  const listGraphs = async () => {
    const { bindings } = await client.select(
      `SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } ${inProject} }`,
    );
    return bindings
      .map((row) => row.g?.value ?? '')
      .filter(Boolean)
      .sort();
  };

  // The ontology graph is written last: a seeding cut short is done again (PUT replaces).
  const lastSeeded = graphIris(settings.baseIri).ontology;
  let seeded = false;
  if (!(await listGraphs()).includes(lastSeeded)) {
    const graph = await loadGraph(settings.baseIri, await sources());
    const outcome = await validateLoadedGraph(graph);
    if (!outcome.conforms) throw new InvalidSeedError(outcome.violations);
    const names = graph.store.graphNames().filter((name) => name !== lastSeeded);
    for (const name of [...names, lastSeeded]) {
      await client.putGraph(name, graph.store.quads(name));
    }
    seeded = true;
  }

  let graphs: { names: Promise<string[]>; at: number } | undefined;
  const graphNames = () => {
    if (!graphs || Date.now() - graphs.at > GRAPH_LIST_TTL_MS) {
      const names = listGraphs();
      graphs = { names, at: Date.now() };
      names.catch(() => (graphs = undefined));
    }
    return graphs.names;
  };
  return {
    reads: new RemoteGraphReads(client),
    queries: new RemoteQueryRunner(client, graphNames, settings.queryTimeoutMs),
    graphNames,
    size: async () => {
      const { bindings } = await client.select(
        `SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } ${inProject} }`,
      );
      return Number(bindings[0]?.n?.value ?? 0);
    },
    writable: false,
    seeded,
  };
}
