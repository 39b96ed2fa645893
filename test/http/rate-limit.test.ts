import request from 'supertest';
import { resolveSettings } from '../../src/config/settings.js';
import type { RunningServer } from '../../src/http/server.js';
import {
  ADMIN,
  addUser,
  changesetTotal,
  freshIri,
  freshText,
  graphCounts,
  labelTriple,
  type Account,
  type Headers,
} from '../helpers/collab-helpers.js';
import { startTestServer } from '../helpers/server.js';

/**
 * The abuse limits on a real server with low limits. A window is a minute from a client's first
 * request: every test here sends its requests well within one, so no window resets meanwhile and
 * nothing depends on the clock. Each test is its own client — an account, or an address given in
 * X-Forwarded-For, which the server trusts from loopback only — so the tests do not share budgets.
 */
const SPARQL_LIMIT = 5;
const WRITE_LIMIT = 4;
const ASK = 'ASK { ?s ?p ?o }';

const from = (address: string): Headers => ({ 'X-Forwarded-For': address });

async function query(url: string, headers: Headers) {
  return request(url)
    .get('/sparql')
    .query({ query: ASK })
    .set('Accept', 'application/sparql-results+json')
    .set(headers);
}

/** Sends `count` queries one after the other; the statuses. */
async function queries(url: string, headers: Headers, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push((await query(url, headers)).status);
  return statuses;
}

const submit = (url: string, headers: Headers, text = freshText('limited')) =>
  request(url)
    .post('/api/changesets')
    .set(headers)
    .send({ message: text, add: labelTriple(freshIri(), text) });

function expectRetryAfter(response: request.Response): number {
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  return retryAfter;
}

describe('rate limits on a real server (sparql 5, writes 4 a minute)', () => {
  let server: RunningServer;
  let url: string;

  beforeAll(async () => {
    server = await startTestServer({
      'rate-limit-sparql': String(SPARQL_LIMIT),
      'rate-limit-writes': String(WRITE_LIMIT),
    });
    url = server.url;
  });
  afterAll(() => server.close());

  it('the sixth query from an address is answered 429 with Retry-After and a text message', async () => {
    const client = from('198.51.100.1');
    expect(await queries(url, client, SPARQL_LIMIT)).toEqual(Array(SPARQL_LIMIT).fill(200));
    const refused = await query(url, client);
    expect(refused.status).toBe(429);
    expectRetryAfter(refused);
    expect(refused.headers['content-type']).toMatch(/^text\/plain/);
    expect(refused.text).toMatch(/^Too many requests: the limit is 5 SPARQL queries a minute/);
    expect(refused.headers['ratelimit-policy']).toMatch(/"sparql"; q=5; w=60/);
    // POST counts as well.
    const posted = await request(url)
      .post('/sparql')
      .set(client)
      .type('application/sparql-query')
      .send(ASK);
    expect(posted.status).toBe(429);
  });

  it('counts per address: another address is still served', async () => {
    expect(await queries(url, from('198.51.100.2'), SPARQL_LIMIT + 1)).toEqual([
      ...Array(SPARQL_LIMIT).fill(200),
      429,
    ]);
    expect((await query(url, from('198.51.100.3'))).status).toBe(200);
  });

  it('counts an IPv6 address by its /56 prefix', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= SPARQL_LIMIT; i++) {
      statuses.push((await query(url, from(`2001:db8:0:${i}::1`))).status);
    }
    expect(statuses).toEqual([...Array(SPARQL_LIMIT).fill(200), 429]);
    expect((await query(url, from('2001:db8:0:100::1'))).status).toBe(200);
  });

  it('does not count the pages: they answer an address whose queries are exhausted', async () => {
    const client = from('198.51.100.4');
    await queries(url, client, SPARQL_LIMIT + 1);
    expect((await query(url, client)).status).toBe(429);
    for (const path of [
      '/',
      '/search?q=wikipedia',
      '/conference',
      '/id/person/henri-verdier',
      '/api/changesets',
      '/.well-known/void',
    ]) {
      const response = await request(url).get(path).set(client);
      expect([path, response.status]).toEqual([path, 200]);
    }
    // The query page and the service description are a GET without parameters.
    const page = await request(url).get('/sparql').set(client).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    const description = await request(url).get('/sparql').set(client).set('Accept', 'text/turtle');
    expect(description.status).toBe(200);
  });

  describe('writes', () => {
    let a: Account;
    let b: Account;

    beforeAll(async () => {
      // The admin is not limited: creating the accounts does not count.
      a = await addUser(url, 'limited-a', 'contributor');
      b = await addUser(url, 'limited-b', 'contributor');
    });

    it('count per account: A is refused its fifth write, B is still served', async () => {
      for (let i = 0; i < WRITE_LIMIT; i++) expect((await submit(url, a.headers)).status).toBe(201);
      const total = await changesetTotal(url);
      const counts = await graphCounts(url);

      const refused = await submit(url, a.headers, freshText('refused'));
      expect(refused.status).toBe(429);
      expectRetryAfter(refused);
      // Under /api the error is JSON, as the API's other errors.
      expect(refused.headers['content-type']).toMatch(/^application\/json/);
      expect(refused.body.error).toMatch(/^Too many requests: the limit is 4 writes a minute/);
      expect(refused.body.retryAfter).toBe(Number(refused.headers['retry-after']));

      // Every write path shares the budget: an update and a Graph Store write are refused too.
      const update = await request(url)
        .post('/update')
        .set(a.headers)
        .type('application/sparql-update')
        .send(`INSERT DATA { ${labelTriple(freshIri(), 'refused update')} }`);
      expect(update.status).toBe(429);
      expect(update.headers['content-type']).toMatch(/^text\/plain/);
      const put = await request(url)
        .put('/graph-store')
        .query({ graph: 'http://example.org/limited' })
        .set(a.headers)
        .type('text/turtle')
        .send(labelTriple(freshIri(), 'refused put'));
      expect(put.status).toBe(429);

      // Nothing was recorded or changed by the refused writes.
      expect(await changesetTotal(url)).toBe(total);
      expect(await graphCounts(url)).toEqual(counts);

      // A's reads are not writes.
      const mine = await request(url)
        .get('/api/changesets')
        .query({ author: a.name })
        .set(a.headers);
      expect(mine.status).toBe(200);
      expect(mine.body.total).toBe(WRITE_LIMIT);

      // B has a budget of its own, from the same address.
      const other = await submit(url, b.headers);
      expect(other.status).toBe(201);
      expect(await changesetTotal(url)).toBe(total + 1);
    });

    it('count per address without a token, before the role check', async () => {
      const client = from('203.0.113.9');
      for (let i = 0; i < WRITE_LIMIT; i++) expect((await submit(url, client)).status).toBe(401);
      const refused = await submit(url, client);
      expect(refused.status).toBe(429);
      expectRetryAfter(refused);
      const put = await request(url)
        .put('/graph-store')
        .query({ graph: 'http://example.org/limited' })
        .set(client)
        .type('text/turtle')
        .send('<http://example.org/s> <http://example.org/p> "o" .');
      expect(put.status).toBe(429);
      expect(put.text).toMatch(/^Too many requests/);
      // Another address is judged on its token (none: 401), not refused.
      expect((await submit(url, from('203.0.113.10'))).status).toBe(401);
    });

    it('do not limit the admin', async () => {
      for (let i = 0; i <= WRITE_LIMIT; i++) {
        const response = await request(url)
          .post('/api/users')
          .set(ADMIN)
          .send({ name: `limited-admin-made-${i}`, role: 'contributor' });
        expect(response.status).toBe(201);
      }
      expect(await queries(url, ADMIN, SPARQL_LIMIT + 1)).toEqual(
        Array(SPARQL_LIMIT + 1).fill(200),
      );
    });
  });
});

describe('rate limit settings', () => {
  it('default to 600 queries and 120 writes a minute, from flags or the environment', () => {
    const defaults = resolveSettings({}, {});
    expect([defaults.rateLimitSparql, defaults.rateLimitWrites]).toEqual([600, 120]);
    const env = resolveSettings(
      { 'rate-limit-writes': '7' },
      { COMMUNS_RATE_LIMIT_SPARQL: '0', COMMUNS_RATE_LIMIT_WRITES: '9' },
    );
    expect([env.rateLimitSparql, env.rateLimitWrites]).toEqual([0, 7]);
    expect(() => resolveSettings({ 'rate-limit-sparql': '-1' }, {})).toThrow(/rate-limit-sparql/);
  });

  it('0 turns the limits off', async () => {
    const server = await startTestServer({ 'rate-limit-sparql': '0', 'rate-limit-writes': '0' });
    try {
      const client = from('198.51.100.50');
      expect(await queries(server.url, client, 8)).toEqual(Array(8).fill(200));
      for (let i = 0; i < 6; i++) expect((await submit(server.url, client)).status).toBe(401);
      const response = await query(server.url, client);
      expect(response.headers['ratelimit-policy']).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
