import {
  cutOf,
  expensiveQueries,
  postQuery,
  TRIVIAL_QUERY,
  type ExpensiveQuery,
} from '../../bench/expensive-queries.js';
import type { RunningServer } from '../../src/http/server.js';
import { MAX_NESTING_DEPTH, nestingDepth } from '../../src/sparql/policy.js';
import { startTestServer } from '../helpers/server.js';

/**
 * Expensive queries against a real server with a 1.5 s time limit and two query workers: each is
 * cut — 503 by the time limit, 400 by a limit of the policy or the engine, or by the row bound —
 * the process survives, and a trivial query sent while the expensive one runs (the pool says when
 * it does: `queriesRunning`) is answered. Latencies are printed, never asserted: figures are for
 * bench/expensive.ts and docs/reliability.md.
 */
const TIMEOUT_MS = 1500;
const MAX_ROWS = 100_000;

type Outcome = Awaited<ReturnType<typeof postQuery>>;

/** Waits for a condition the server reports (not for time to pass). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** No query running and every worker ready (a worker ended at the time limit is replaced). */
async function idle(server: RunningServer): Promise<void> {
  await until(() => server.queriesRunning() === 0);
  await server.allWorkersReady();
}

interface Row {
  server: string;
  name: string;
  status: number;
  cut: string;
  cutMs: number;
  during?: number;
  after: number;
}

/**
 * Sends the expensive query; once a worker runs it (or it was answered first, refused before
 * evaluation), a trivial query; then another once the expensive one has ended.
 */
async function runCase(server: RunningServer, label: string, query: ExpensiveQuery): Promise<Row> {
  await idle(server);
  let settled = false;
  const heavy = postQuery(server.url, query.text).finally(() => (settled = true));
  await until(() => settled || server.queriesRunning() > 0);
  let during: Outcome | undefined;
  if (!settled) {
    during = await postQuery(server.url, TRIVIAL_QUERY);
    expect([query.name, during.status, JSON.parse(during.body).boolean]).toEqual([
      query.name,
      200,
      true,
    ]);
  }
  const result = await heavy;
  const cut = cutOf(result.status, result.body, MAX_ROWS);
  // The test's title names the query.
  expect(query.cut).toContain(cut);
  if (cut === 400) expect(result.body).not.toMatch(/Internal error/);
  const after = await postQuery(server.url, TRIVIAL_QUERY);
  expect([query.name, after.status]).toEqual([query.name, 200]);
  return {
    server: label,
    name: query.name,
    status: result.status,
    cut: String(cut),
    cutMs: Math.round(result.ms),
    during: during && Math.round(during.ms),
    after: Math.round(after.ms),
  };
}

const rows: Row[] = [];

afterAll(() => {
  const lines = rows.map(
    (r) =>
      `${r.server.padEnd(9)} ${r.name.padEnd(20)} ${String(r.status).padEnd(4)} ${r.cut.padEnd(9)} ` +
      `${String(r.cutMs).padStart(6)} ms  trivial during ${
        r.during === undefined ? '     -' : `${String(r.during).padStart(3)} ms`
      }, after ${r.after} ms`,
  );
  console.log(
    `expensive queries (time limit ${TIMEOUT_MS} ms, 2 workers): status, cut, time to cut, ` +
      `trivial ASK latency\n${lines.join('\n')}`,
  );
});

describe('expensive queries on a real server (time limit 1.5 s, 2 workers)', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startTestServer({ 'query-timeout-ms': String(TIMEOUT_MS) });
  });
  afterAll(() => server.close());

  it.each(expensiveQueries().map((q) => [q.name, q] as const))(
    '%s is cut and a trivial query answers meanwhile',
    async (_name, query) => {
      rows.push(await runCase(server, 'oxigraph', query));
    },
    30_000,
  );

  it('answers a query nested below the limit', async () => {
    const depth = MAX_NESTING_DEPTH - 10;
    const text = `SELECT * WHERE ${'{ '.repeat(depth)}?s ?p ?o${' }'.repeat(depth)} LIMIT 1`;
    expect(nestingDepth(text)).toBe(depth);
    const response = await postQuery(server.url, text);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).results.bindings).toHaveLength(1);
  });

  it('refuses nesting in updates too, with the same message', async () => {
    const depth = 3000;
    const response = await fetch(`${server.url}/update`, {
      method: 'POST',
      headers: {
        'content-type': 'application/sparql-update',
        authorization: 'Bearer test-admin-token',
      },
      body: `INSERT { ?s ?p ?o } WHERE ${'{ '.repeat(depth)}?s ?p ?o${' }'.repeat(depth)}`,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Brackets are nested 3000 levels deep/);
  });
});

describe('the nesting depth of a SPARQL text', () => {
  it('counts { ( [ and ignores strings, IRIs, comments and escapes', () => {
    expect(nestingDepth('SELECT * { ?s ?p [ ?q ( 1 2 ) ] }')).toBe(3);
    expect(nestingDepth(`SELECT * { ?s ?p "{{{(((" , '[[[' , """{{{\n((""" }`)).toBe(1);
    expect(nestingDepth('SELECT * { ?s <http://e/((((> ?o } # {{{{{{\n')).toBe(1);
    expect(nestingDepth('SELECT * { FILTER(?a < ?b && ?c > (1)) }')).toBe(3);
    expect(nestingDepth('SELECT * { ?s ?p "a\\"{{{{" }')).toBe(1);
  });
});

describe('a backtracking regular expression on the Comunica engine', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startTestServer({ 'query-timeout-ms': String(TIMEOUT_MS), engine: 'comunica' });
  });
  afterAll(() => server.close());

  it('is cut by the time limit, its worker replaced, and a trivial query answers meanwhile', async () => {
    const regex = expensiveQueries().find((q) => q.name === 'regex-backtracking');
    if (!regex) throw new Error('no regex case');
    const row = await runCase(server, 'comunica', { ...regex, cut: [503] });
    rows.push(row);
    // The replacement worker starts and answers too.
    await idle(server);
    expect((await postQuery(server.url, TRIVIAL_QUERY)).status).toBe(200);
  }, 60_000);
});
