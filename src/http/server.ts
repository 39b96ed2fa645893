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
  /** An already loaded store, used instead of loading the project graph. */
  store?: GraphStore;
  /**
   * Awaited once the query workers are up and before the port opens: a check that may run
   * alongside their start-up; if it rejects, nothing listens and the rejection is passed on.
   */
  beforeListening?: Promise<unknown>;
}

export interface RunningServer {
  url: string;
  store: GraphStore;
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
  const store =
    options.store ??
    (empty ? new GraphStore() : (await loadGraph(settings.baseIri, await projectSources())).store);
  const engineOptions: EngineOptions = {
    baseIri: settings.baseIri,
    serviceAllowList: settings.serviceAllowList,
    maxRows: settings.maxRows,
    unionDefaultGraph: !empty,
  };
  const pool = new QueryPool(() => snapshot(store), {
    engine: engineOptions,
    engineName: settings.engine,
    size: settings.queryWorkers,
    timeoutMs: settings.queryTimeoutMs,
    memoryLimitMb: settings.queryMemoryMb,
    maxWaiting: 64,
  });
  try {
    await Promise.all([pool.ready(), options.beforeListening]);
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
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.close();
    },
  };
}
