/**
 * The write paths on the embedded store and on Virtuoso, over HTTP: how long a contribution, its
 * acceptance and two kinds of SPARQL Update take on the seed graph (docs/deployment.md). On
 * Virtuoso a write reads a working copy from the store and goes through the journal; an update
 * with a WHERE clause copies every project graph.
 *
 *   . .ci/virtuoso-test-instance.sh      # optional: without it, the embedded store alone
 *   npm run build && npx tsx bench/writes.ts [--runs 20]
 *   virt_stop
 *
 * Virtuoso is reached through COMMUNS_TEST_VIRTUOSO_URL, _USER and _PASSWORD; the project's
 * graphs in it are removed first (the server seeds them again). The report is printed and
 * written to bench/results/<date>-writes.md.
 */
import { writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { removeProjectGraphs, storeClient } from '../src/graph/remote-backend.js';
import { RESULTS_DIR } from './generate.js';
import { BASE_IRI, commitDescription, median, percentile } from './harness.js';
import { startSeedServer, type SeedServer } from './seed-server.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ADMIN_TOKEN = 'bench-writes-admin-token';
const log = (line: string) => process.stderr.write(`${line}\n`);

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const RUNS = Number(values.runs);
const WARMUPS = 3;

interface Tokens {
  contributor: string;
  moderator: string;
}

async function call(
  url: string,
  path: string,
  token: string,
  body: unknown,
  contentType = 'application/json',
): Promise<{ status: number; json: () => unknown }> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`POST ${path}: ${response.status} ${text}`);
  return { status: response.status, json: () => JSON.parse(text) as unknown };
}

async function accounts(url: string): Promise<Tokens> {
  const token = async (name: string, role: string) =>
    ((await call(url, '/api/users', ADMIN_TOKEN, { name, role })).json() as { token: string })
      .token;
  return {
    contributor: await token('bench-c', 'contributor'),
    moderator: await token('bench-m', 'moderator'),
  };
}

/** The write operations, each run with a fresh key so that every one changes the graph. */
const OPERATIONS: Record<string, (url: string, tokens: Tokens, key: string) => Promise<void>> = {
  'contribution + acceptance': async (url, tokens, key) => {
    const entity = `${BASE_IRI}id/bench/${key}`;
    const submitted = await call(url, '/api/changesets', tokens.contributor, {
      message: `bench ${key}`,
      add: `<${entity}> <http://www.w3.org/2000/01/rdf-schema#label> "bench ${key}"@en .`,
    });
    const { id } = submitted.json() as { id: number };
    await call(url, `/api/changesets/${id}/accept`, tokens.moderator, {});
  },
  'update INSERT DATA (admin)': async (url, _tokens, key) => {
    await call(
      url,
      '/update',
      ADMIN_TOKEN,
      `INSERT DATA { GRAPH <${BASE_IRI}graph/data> { <${BASE_IRI}id/bench/${key}> <http://www.w3.org/2000/01/rdf-schema#comment> "inserted" } }`,
      'application/sparql-update',
    );
  },
  'update DELETE/INSERT WHERE (admin)': async (url, _tokens, key) => {
    await call(
      url,
      '/update',
      ADMIN_TOKEN,
      `DELETE { GRAPH <${BASE_IRI}graph/data> { ?s <http://www.w3.org/2000/01/rdf-schema#comment> ?c } }
       INSERT { GRAPH <${BASE_IRI}graph/data> { ?s <http://www.w3.org/2000/01/rdf-schema#comment> "${key}" } }
       WHERE { GRAPH <${BASE_IRI}graph/data> { ?s <http://www.w3.org/2000/01/rdf-schema#comment> ?c } FILTER(STRSTARTS(STR(?s), "${BASE_IRI}id/bench/")) }`,
      'application/sparql-update',
    );
  },
};

async function measureBackend(name: string, server: SeedServer): Promise<Map<string, number[]>> {
  const tokens = await accounts(server.url);
  const times = new Map<string, number[]>();
  let counter = 0;
  for (const [operation, run] of Object.entries(OPERATIONS)) {
    const samples: number[] = [];
    for (let i = 0; i < WARMUPS + RUNS; i++) {
      const started = performance.now();
      await run(server.url, tokens, `${name}-${counter++}`);
      if (i >= WARMUPS) samples.push(performance.now() - started);
    }
    times.set(operation, samples);
    log(`${name}: ${operation}: median ${median(samples).toFixed(1)} ms`);
  }
  return times;
}

const embedded = await startSeedServer({ 'admin-token': ADMIN_TOKEN });
let results: [string, Map<string, number[]>][];
try {
  results = [['embedded', await measureBackend('embedded', embedded)]];
} finally {
  await embedded.close();
}
const store = process.env.COMMUNS_TEST_VIRTUOSO_URL;
if (store) {
  const credentials = {
    url: store,
    user: process.env.COMMUNS_TEST_VIRTUOSO_USER,
    password: process.env.COMMUNS_TEST_VIRTUOSO_PASSWORD,
  };
  await removeProjectGraphs(storeClient(credentials), BASE_IRI);
  const remote = await startSeedServer({
    'admin-token': ADMIN_TOKEN,
    'store-url': store,
    ...(credentials.user ? { 'store-user': credentials.user } : {}),
    ...(credentials.password ? { 'store-password': credentials.password } : {}),
  });
  try {
    results.push(['Virtuoso', await measureBackend('virtuoso', remote)]);
  } finally {
    await remote.close();
  }
} else {
  log('COMMUNS_TEST_VIRTUOSO_URL is not set: the embedded store alone is measured');
}

const header = ['operation', ...results.flatMap(([name]) => [`${name} p50`, `${name} p90`])];
const rows = Object.keys(OPERATIONS).map((operation) => {
  const cells = results.flatMap(([, times]) => {
    const samples = times.get(operation) ?? [];
    return [median(samples).toFixed(1), percentile(samples, 90).toFixed(1)];
  });
  const ratio =
    results.length === 2
      ? `${(median(results[1]?.[1].get(operation) ?? []) / median(results[0]?.[1].get(operation) ?? [])).toFixed(1)}×`
      : '';
  return [operation, ...cells, ...(ratio ? [ratio] : [])];
});
if (results.length === 2) header.push('Virtuoso / embedded (p50)');
const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`);
const report = [
  `# Write paths, ${new Date().toISOString().slice(0, 10)} (commit ${commitDescription(join(BENCH_DIR, '..'))})`,
  '',
  `Seed graph, one writer, ${RUNS} timed runs after ${WARMUPS} warm-ups, milliseconds per request`,
  `(client side, over loopback HTTP). ${os.cpus().length} CPUs, Node ${process.version}.`,
  '',
  ...table,
  '',
].join('\n');
process.stdout.write(report);
await mkdir(RESULTS_DIR, { recursive: true });
writeFileSync(join(RESULTS_DIR, `${new Date().toISOString().slice(0, 10)}-writes.md`), report);
