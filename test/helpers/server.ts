import { resolveSettings, type SettingFlag } from '../../src/config/settings.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/http/server.js';

export const ADMIN_TOKEN = 'test-admin-token';

/**
 * A real server on a free loopback port, quiet, with the given flags; resolves once all its query
 * workers are up, so that tests relying on two of them do not depend on start-up timing.
 */
export async function startTestServer(
  flags: Partial<Record<SettingFlag, string>> = {},
  options: ServerOptions = {},
): Promise<RunningServer> {
  const settings = resolveSettings(
    { port: '0', 'log-level': 'silent', 'admin-token': ADMIN_TOKEN, ...flags },
    {},
  );
  const server = await startServer(settings, options);
  await server.allWorkersReady();
  return server;
}
