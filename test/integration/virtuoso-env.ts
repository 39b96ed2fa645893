import { RemoteSparqlClient, virtuosoEndpoints } from '../../src/store/remote-sparql.js';

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
