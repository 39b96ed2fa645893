import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings, type SettingFlag } from '../../src/config/settings.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/http/server.js';

export const ADMIN_TOKEN = 'test-admin-token';

/** Which backend the HTTP suites run on: `COMMUNS_TEST_BACKEND`, embedded unless said. */
export const TEST_BACKEND = process.env.COMMUNS_TEST_BACKEND ?? 'embedded';

/**
 * On `COMMUNS_TEST_BACKEND=virtuoso`, the flags that serve the graph from the test store that
 * `.ci/virtuoso-test-instance.sh` starts (the suites then share its seed graphs, which nothing
 * writes: the server does not write to an external store yet).
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
