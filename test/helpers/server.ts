import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings, type SettingFlag, type Settings } from '../../src/config/settings.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/http/server.js';
import { DATABASE_FILE } from '../../src/store/database.js';
import { removeProjectGraphs, storeClient } from '../../src/graph/remote-backend.js';

export const ADMIN_TOKEN = 'test-admin-token';

/** Which backend the HTTP suites run on: `COMMUNS_TEST_BACKEND`, embedded unless said. */
export const TEST_BACKEND = process.env.COMMUNS_TEST_BACKEND ?? 'embedded';

/**
 * On `COMMUNS_TEST_BACKEND=virtuoso`, the flags that serve the graph from the test store that
 * `.ci/virtuoso-test-instance.sh` starts. The suites share that store, so they run one at a time
 * (jest.virtuoso.config.js), and a server on a fresh data directory starts on a fresh store.
 */
function backendFlags(): Partial<Record<SettingFlag, string>> {
  if (TEST_BACKEND === 'embedded') return {};
  const { COMMUNS_TEST_VIRTUOSO_URL: url, COMMUNS_TEST_VIRTUOSO_USER: user } = process.env;
  const password = process.env.COMMUNS_TEST_VIRTUOSO_PASSWORD;
  if (TEST_BACKEND !== 'virtuoso' || !url || !user || !password) {
    throw new Error(
      `COMMUNS_TEST_BACKEND=${TEST_BACKEND}: only "embedded" and "virtuoso" exist, and the ` +
        'latter needs the variables `. .ci/virtuoso-test-instance.sh` exports.',
    );
  }
  return { 'store-url': url, 'store-user': user, 'store-password': password };
}

/** The external store the suites run on, if any (its URL and credentials). */
export function testBackendStore(): { url: string; user: string; password: string } | undefined {
  const flags = backendFlags();
  const [url, user, password] = [flags['store-url'], flags['store-user'], flags['store-password']];
  return url && user && password ? { url, user, password } : undefined;
}

/** A fresh data directory under the system's temp folder. */
export const tempDataDir = () => mkdtempSync(join(tmpdir(), 'communs-kg-test-'));

/**
 * A real server on a free loopback port, quiet, with the given flags and, unless one is given, a
 * data directory of its own (a real SQLite file) removed when it closes. Resolves once all its
 * query workers are up, so that tests relying on two of them do not depend on start-up timing.
 */
export async function startTestServer(
  flags: Partial<Record<SettingFlag, string>> = {},
  options: ServerOptions = {},
): Promise<RunningServer> {
  const ownDir = flags['data-dir'] === undefined ? tempDataDir() : undefined;
  const settings = resolveSettings(
    {
      port: '0',
      'log-level': 'silent',
      'admin-token': ADMIN_TOKEN,
      ...(ownDir ? { 'data-dir': ownDir } : {}),
      ...(options.graph === 'empty' || options.store ? {} : backendFlags()),
      ...flags,
    },
    {},
  );
  if (settings.remoteStore && !existsSync(join(settings.dataDir, DATABASE_FILE))) {
    await emptyStore(settings.remoteStore, settings.baseIri);
  }
  const server = await startServer(settings, options);
  await server.allWorkersReady();
  if (!ownDir) return server;
  return {
    ...server,
    close: async () => {
      await server.close();
      rmSync(ownDir, { recursive: true, force: true });
    },
  };
}

/**
 * Removes the project's graphs from an external store: the server then seeds it again, as the
 * embedded store seeds a fresh data directory.
 */
export const emptyStore = (store: NonNullable<Settings['remoteStore']>, baseIri: string) =>
  removeProjectGraphs(storeClient(store), baseIri);
