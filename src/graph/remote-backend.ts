import type { Settings } from '../config/settings.js';
import { graphIris } from '../rdf/namespaces.js';
import type { GraphBackend } from '../sparql/backend.js';
import { RemoteQueryRunner } from '../sparql/remote-queries.js';
import { RemoteGraphReads } from '../store/remote-reads.js';
import type { Quad } from 'n3';
import type { Database } from '../store/database.js';
import {
  RemoteSparqlClient,
  virtuosoEndpoints,
  type RemoteSparqlOptions,
} from '../store/remote-sparql.js';
import { Skolemizer, skolemPrefix } from '../store/skolem.js';
import { parseRdfFile } from '../rdf/parse.js';
import { loadGraph, validateLoadedGraph, type GraphSources } from './loader.js';
import { InvalidSeedError } from './open.js';
import { RemoteKeeping } from './remote-keeping.js';
import { projectGraphFilter } from './scopes.js';

/** How long the list of the project's graphs is reused before the store is asked again. */
const GRAPH_LIST_TTL_MS = 10_000;

export interface RemoteBackend extends GraphBackend {
  /** Whether this start seeded a store that held none of the project's graphs. */
  seeded: boolean;
  /** The SHACL shapes contributions are checked against (ontology/shapes.ttl). */
  shapes: Quad[];
  /** The writes' keeping: working copies from the store, the journal. */
  keeping: RemoteKeeping;
  /** Says the graph changed through this server (the cached list of graphs is read again). */
  changed(): void;
}

/** A client of the configured store (Virtuoso's endpoints, its Digest credentials). */
export function storeClient(
  store: NonNullable<Settings['remoteStore']>,
  options: Pick<RemoteSparqlOptions, 'timeoutMs' | 'skolemizer'> = {},
): RemoteSparqlClient {
  const { user, password } = store;
  return new RemoteSparqlClient({
    endpoints: virtuosoEndpoints(store.url),
    credentials: user !== undefined && password !== undefined ? { user, password } : undefined,
    ...options,
  });
}

/**
 * Removes the project's graphs (under the base IRI) from a store: a server started on it seeds
 * it again. For tests and benchmarks, which start each run on a fresh store.
 */
export async function removeProjectGraphs(
  client: RemoteSparqlClient,
  baseIri: string,
): Promise<void> {
  const { bindings } = await client.select(
    `SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ${JSON.stringify(baseIri)})) }`,
  );
  for (const row of bindings) if (row.g) await client.deleteGraph(row.g.value);
}

/**
 * The served graph kept in an external SPARQL store (Virtuoso's endpoints): reads, queries and
 * writes go to the store; blank nodes are kept there as skolem IRIs. A store holding no graph
 * under the base IRI is seeded first, from ontology/ and data/, validated as on the embedded
 * store, one Graph Store PUT per graph. Changes left in `db`'s journal by an earlier run are
 * applied before this resolves.
 */
export async function openRemoteBackend(
  settings: Settings,
  store: NonNullable<Settings['remoteStore']>,
  sources: () => Promise<GraphSources>,
  db: Database,
): Promise<RemoteBackend> {
  const client = storeClient(store, {
    timeoutMs: settings.queryTimeoutMs,
    skolemizer: new Skolemizer(skolemPrefix(settings.baseIri)),
  });
  const inProject = projectGraphFilter(settings.baseIri);
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
  const reads = new RemoteGraphReads(client);
  // Writes list the graphs afresh: another process may have made one since the cached list.
  const keeping = new RemoteKeeping(client, reads, db, settings.baseIri, listGraphs);
  const release = await keeping.acquire();
  try {
    await keeping.settle();
  } finally {
    release();
  }
  const { shapesFile } = await sources();
  return {
    reads,
    queries: new RemoteQueryRunner(client, graphNames, settings.queryTimeoutMs),
    graphNames,
    size: async () => {
      const { bindings } = await client.select(
        `SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } ${inProject} }`,
      );
      return Number(bindings[0]?.n?.value ?? 0);
    },
    seeded,
    shapes: (await parseRdfFile(shapesFile, settings.baseIri)) as Quad[],
    keeping,
    changed: () => {
      graphs = undefined;
    },
  };
}
