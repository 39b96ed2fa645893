import type { AddressInfo } from 'node:net';
import type { Quad } from '@rdfjs/types';
import { Writer } from 'n3';
import { pino } from 'pino';
import type { Settings } from '../config/settings.js';
import { Dataset } from '../graph/dataset.js';
import { loadGraph, projectSources } from '../graph/loader.js';
import { SparqlEngine, type EngineOptions } from '../sparql/engine.js';
import { QueryPool } from '../sparql/worker-pool.js';
import { GraphStore } from '../store/graph-store.js';
import { createApp } from './app.js';

export interface ServerOptions {
  /**
   * 'project' (default): the ontology and data, the default graph being the union of all graphs.
   * 'empty': no triples and a plain default graph, as the W3C test suite expects.
   */
  graph?: 'project' | 'empty';
  /**
   * A store used instead of loading the project graph. It may still be loading: the query workers
   * start meanwhile (their start-up is mostly module loading), and take its snapshot once it is.
   */
  store?: GraphStore | Promise<GraphStore>;
  /**
   * Awaited once the query workers are up and before the port opens: a check that may run
   * alongside their start-up; if it rejects, nothing listens and the rejection is passed on.
   */
  beforeListening?: Promise<unknown>;
}

export interface RunningServer {
  url: string;
  store: GraphStore;
  /** Resolves once every query worker has started (the port opens after the first). */
  allWorkersReady(): Promise<void>;
  close(): Promise<void>;
}

const SNAPSHOT_CHUNK = 20_000;

/** The store as N-Quads chunks, produced as they are read (never the whole text at once). */
function* snapshot(store: GraphStore): Iterable<string> {
  const writer = new Writer({ format: 'N-Quads' });
  let chunk: Quad[] = [];
  for (const quad of store.index.readQuads(null, null, null, null)) {
    chunk.push(quad);
    if (chunk.length === SNAPSHOT_CHUNK) {
      yield writer.quadsToString(chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) yield writer.quadsToString(chunk);
}

/** Starts the HTTP server with its query workers; resolves once it accepts connections. */
export async function startServer(
  settings: Settings,
  options: ServerOptions = {},
): Promise<RunningServer> {
  const empty = options.graph === 'empty';
  const loading = Promise.resolve(
    options.store ??
      (empty
        ? new GraphStore()
        : projectSources().then(
            async (sources) => (await loadGraph(settings.baseIri, sources)).store,
          )),
  );
  const engineOptions: EngineOptions = {
    baseIri: settings.baseIri,
    serviceAllowList: settings.serviceAllowList,
    maxRows: settings.maxRows,
    unionDefaultGraph: !empty,
  };
  const pool = new QueryPool(async () => snapshot(await loading), {
    engine: engineOptions,
    engineName: settings.engine,
    size: settings.queryWorkers,
    timeoutMs: settings.queryTimeoutMs,
    memoryLimitMb: settings.queryMemoryMb,
    maxWaiting: 64,
  });
  let store: GraphStore;
  try {
    // One ready worker is enough to answer; the others finish starting while the port is open.
    [store] = await Promise.all([loading, pool.ready(1), options.beforeListening]);
  } catch (error) {
    await pool.close();
    throw error;
  }
  const dataset = new Dataset(store, new SparqlEngine(store, engineOptions), (steps) =>
    pool.applyChange(steps),
  );
  const logger = pino({ level: settings.logLevel });
  const app = createApp({
    dataset,
    pool,
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
    allWorkersReady: () => pool.ready(),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.close();
    },
  };
}
