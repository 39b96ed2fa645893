import type { AddressInfo } from 'node:net';
import type { Quad as RdfQuad } from '@rdfjs/types';
import { Writer, type Quad, type Store as N3Store } from 'n3';
import { pino, type Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import { Accounts } from '../graph/accounts.js';
import { Changesets } from '../graph/changesets.js';
import { Dataset, type FullChange, type GraphKeeping } from '../graph/dataset.js';
import { projectSources } from '../graph/loader.js';
import { openBareGraph, openProjectGraph } from '../graph/open.js';
import { Reconciler } from '../graph/reconciliation.js';
import { Database } from '../store/database.js';
import { SparqlEngine, type EngineOptions } from '../sparql/engine.js';
import { QueryPool } from '../sparql/worker-pool.js';
import { GraphStore } from '../store/graph-store.js';
import type { GraphBackend } from '../sparql/backend.js';
import { openRemoteBackend, type RemoteBackend } from '../graph/remote-backend.js';
import { EmbeddedKeeping } from '../graph/embedded-keeping.js';
import { createApp } from './app.js';

export interface ServerOptions {
  /**
   * 'project' (default): the database of the data directory, seeded from ontology/ and data/ when
   * empty; the default graph is the union of all graphs; contributions, history and gardening.
   * 'empty': the data directory's database as a bare store with a plain default graph, as the
   * W3C test suite expects; only admins write, nothing is recorded beyond the quads.
   */
  graph?: 'project' | 'empty';
  /**
   * A store already loaded (the benchmark's generated graphs), served with a private in-memory
   * database instead of the data directory's: its writes do not outlive the process.
   */
  store?: GraphStore;
}

export interface RunningServer {
  url: string;
  store: GraphStore;
  accounts: Accounts;
  /** Seed files changed since the database was seeded (reported, never merged). */
  changedSeedFiles: string[];
  /** Whether this start seeded an empty database. */
  seeded: boolean;
  /** Resolves once every query worker has started (the port opens after the first). */
  allWorkersReady(): Promise<void>;
  /** How many queries the workers are evaluating right now. */
  queriesRunning(): number;
  close(): Promise<void>;
}

const SNAPSHOT_CHUNK = 20_000;

/** The store as N-Quads chunks, produced as they are read (never the whole text at once). */
function* snapshot(store: GraphStore): Iterable<string> {
  const writer = new Writer({ format: 'N-Quads' });
  let chunk: RdfQuad[] = [];
  for (const quad of store.index.readQuads(null, null, null, null)) {
    chunk.push(quad);
    if (chunk.length === SNAPSHOT_CHUNK) {
      yield writer.quadsToString(chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) yield writer.quadsToString(chunk);
}

interface Opened {
  db: Database;
  store: GraphStore;
  shapes: Quad[];
  seeded: boolean;
  changedSeedFiles: string[];
}

async function open(settings: Settings, options: ServerOptions, log: Logger): Promise<Opened> {
  const progress = (line: string) => log.info(line);
  if (options.store) {
    return {
      db: Database.inMemory(),
      store: options.store,
      shapes: [],
      seeded: false,
      changedSeedFiles: [],
    };
  }
  if (options.graph === 'empty') {
    return {
      ...openBareGraph(settings.dataDir, progress),
      shapes: [],
      seeded: false,
      changedSeedFiles: [],
    };
  }
  return openProjectGraph(settings.dataDir, settings.baseIri, await projectSources(), progress);
}

/** The graph as served, and what the write paths and the account checks work on. */
interface Served extends Opened {
  backend: GraphBackend;
  keeping: GraphKeeping;
  /** Evaluates updates' WHERE clauses on a write's working graph. */
  engineFor: (index: N3Store) => SparqlEngine;
  /** Tells the readers a change was committed (the workers' replicas, cached indexes). */
  announce: (change: FullChange) => void;
  /** Reconciliation over this backend's reads (its index is rebuilt after an announced change). */
  reconciler: Reconciler;
  allWorkersReady: () => Promise<void>;
  closeQueries: () => Promise<void>;
}

/**
 * The embedded store: the graph opened from the data directory, and the query workers, which
 * start while the graph opens (their start-up is mostly module loading).
 */
async function serveEmbedded(
  settings: Settings,
  options: ServerOptions,
  engineOptions: EngineOptions,
  logger: Logger,
): Promise<Served> {
  const opening = open(settings, options, logger);
  const pool = new QueryPool(async () => snapshot((await opening).store), {
    engine: engineOptions,
    engineName: settings.engine,
    size: settings.queryWorkers,
    timeoutMs: settings.queryTimeoutMs,
    memoryLimitMb: settings.queryMemoryMb,
    maxWaiting: 64,
  });
  let opened: Opened;
  try {
    // One ready worker is enough to answer; the others finish starting while the port is open.
    [opened] = await Promise.all([opening, pool.ready(1)]);
  } catch (error) {
    await pool.close();
    (await opening.catch(() => undefined))?.db.close();
    throw error;
  }
  const { store } = opened;
  const reconciler = new Reconciler(store, settings.baseIri);
  const engine = new SparqlEngine(store, engineOptions);
  return {
    ...opened,
    backend: {
      reads: store,
      queries: pool,
      graphNames: async () => store.graphNames(),
      size: async () => store.size,
    },
    keeping: new EmbeddedKeeping(store, opened.db),
    engineFor: () => engine,
    announce: ({ removed, added }) => {
      const writer = new Writer({ format: 'N-Quads' });
      pool.applyChange([
        {
          delete: removed.length > 0 ? writer.quadsToString(removed) : undefined,
          add: added.length > 0 ? writer.quadsToString(added) : undefined,
        },
      ]);
      reconciler.invalidate();
    },
    reconciler,
    allWorkersReady: () => pool.ready(),
    closeQueries: () => pool.close(),
  };
}

/**
 * An external store keeps the graph. The data directory's database holds the accounts, the
 * changesets and the journal of changes not yet confirmed by the store (graph/remote-keeping.ts),
 * which is replayed before the server answers.
 */
async function serveRemote(
  settings: Settings,
  remoteStore: NonNullable<Settings['remoteStore']>,
  engineOptions: EngineOptions,
): Promise<Served> {
  const db = Database.open(settings.dataDir);
  let backend: RemoteBackend;
  try {
    backend = await openRemoteBackend(settings, remoteStore, projectSources, db);
  } catch (error) {
    db.close();
    throw error;
  }
  // The store may change by other means than this server: the index is built again each minute.
  const reconciler = new Reconciler(backend.reads, settings.baseIri, 60_000);
  return {
    db,
    store: new GraphStore(),
    shapes: backend.shapes,
    seeded: backend.seeded,
    changedSeedFiles: [],
    backend,
    keeping: backend.keeping,
    engineFor: (index) => new SparqlEngine(new GraphStore(index), engineOptions),
    announce: () => {
      backend.changed();
      reconciler.invalidate();
    },
    reconciler,
    allWorkersReady: async () => {},
    closeQueries: async () => {},
  };
}

/** Opens the graph and starts the HTTP server; resolves once it accepts connections. */
export async function startServer(
  settings: Settings,
  options: ServerOptions = {},
): Promise<RunningServer> {
  const empty = options.graph === 'empty';
  const logger = pino({ level: settings.logLevel });
  const engineOptions: EngineOptions = {
    baseIri: settings.baseIri,
    serviceAllowList: settings.serviceAllowList,
    maxRows: settings.maxRows,
    unionDefaultGraph: !empty,
  };
  if (settings.remoteStore && (empty || options.store)) {
    throw new Error('an external store serves the project graph only (no bare or preloaded store)');
  }
  const served = settings.remoteStore
    ? await serveRemote(settings, settings.remoteStore, engineOptions)
    : await serveEmbedded(settings, options, engineOptions, logger);
  const { db, store, backend, reconciler } = served;
  const dataset = new Dataset(served.keeping, served.engineFor, served.announce, {
    baseIri: settings.baseIri,
    derivedView: !empty && !options.store,
  });
  const changesets = new Changesets(dataset, db, {
    baseIri: settings.baseIri,
    shapes: served.shapes,
    history: !empty,
  });
  const accounts = new Accounts(db, settings.adminToken);
  const app = createApp({
    dataset,
    changesets,
    accounts,
    reconciler,
    backend,
    policy: engineOptions,
    settings,
    unionDefaultGraph: engineOptions.unionDefaultGraph ?? true,
    logger,
  });
  const server = app.listen(settings.port, settings.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return {
    url: `http://${host}:${port}`,
    store,
    accounts,
    changedSeedFiles: served.changedSeedFiles,
    seeded: served.seeded,
    allWorkersReady: served.allWorkersReady,
    queriesRunning: () => backend.queries.running,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await served.closeQueries();
      // Writers still running finish before the database closes.
      await dataset.afterWriters(() => db.close());
    },
  };
}
