import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings, type SettingFlag } from '../../src/config/settings.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/http/server.js';

export const ADMIN_TOKEN = 'test-admin-token';

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
