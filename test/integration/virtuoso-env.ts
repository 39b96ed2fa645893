import { resolveSettings } from '../../src/config/settings.js';
import { startServer, type RunningServer } from '../../src/http/server.js';
import { RemoteSparqlClient, virtuosoEndpoints } from '../../src/store/remote-sparql.js';
import { ADMIN_TOKEN } from '../helpers/server.js';

/**
 * A client of the test store that `.ci/virtuoso-test-instance.sh` starts (it exports these
 * variables). Never skips quietly: a run without a store fails, and says what to do.
 */
export function testStore(): { url: string; user: string; password: string } {
  const url = process.env.COMMUNS_TEST_VIRTUOSO_URL;
  const user = process.env.COMMUNS_TEST_VIRTUOSO_USER;
  const password = process.env.COMMUNS_TEST_VIRTUOSO_PASSWORD;
  if (!url || !user || !password) {
    const missing = Object.entries({
      COMMUNS_TEST_VIRTUOSO_URL: url,
      COMMUNS_TEST_VIRTUOSO_USER: user,
      COMMUNS_TEST_VIRTUOSO_PASSWORD: password,
    })
      .filter(([, value]) => !value)
      .map(([name]) => name);
    throw new Error(
      `${missing.join(', ')} not set: start a test store with \`. .ci/virtuoso-test-instance.sh\` ` +
        '(it exports them), then run `npm run test:integration`, then `virt_stop`.',
    );
  }
  return { url, user, password };
}

export function testStoreClient(): RemoteSparqlClient {
  const { url, user, password } = testStore();
  return new RemoteSparqlClient({
    endpoints: virtuosoEndpoints(url),
    credentials: { user, password },
    timeoutMs: 20_000,
  });
}

/**
 * A server (in this process, quiet, on a free port, ADMIN_TOKEN) keeping the graph in the test
 * store under `baseIri`, or in the store at `storeUrl` (a proxy in front of it).
 */
export function startOnTestStore(
  dataDir: string,
  baseIri: string,
  storeUrl = testStore().url,
): Promise<RunningServer> {
  const { user, password } = testStore();
  const settings = resolveSettings(
    {
      port: '0',
      'log-level': 'silent',
      'admin-token': ADMIN_TOKEN,
      'data-dir': dataDir,
      'base-iri': baseIri,
      'store-url': storeUrl,
      'store-user': user,
      'store-password': password,
    },
    {},
  );
  return startServer(settings);
}
