/**
 * The load scenario: `communs-kg serve` on the seed graph in a child process (a fresh data
 * directory, an admin token, no rate limit), then for `--duration` seconds, at once:
 *
 * - mixed reads with autocannon, one instance per kind of request, each with its connections:
 *   entity lookups by SPARQL, the competency queries of queries/*.rq, entity pages /id/…, and
 *   search pages /search?q=…;
 * - contributions: writer loops in which a contributor submits a changeset through the API and a
 *   moderator accepts it.
 *
 * Prints the requests, statuses and errors, p50/p99/max latency per kind and overall, the
 * throughput, the server's RSS sampled across the run, and the contributions; then checks that
 * every accepted contribution is visible through /sparql. Exits 1 on any error, any status other
 * than the expected one, or an accepted contribution not visible.
 *
 *   npm run load -- [--duration 60] [--connections 8] [--writers 2] [--sample-seconds 5]
 */
import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon, { type AutocannonRequest } from 'autocannon';
import { PROJECT_ROOT } from '../src/paths.js';
import { commitDescription, percentile, residentMemory } from './harness.js';
import { mib, sampleRss, startSeedServer } from './seed-server.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '8' },
    writers: { type: 'string', default: '2' },
    'sample-seconds': { type: 'string', default: '5' },
  },
});
const DURATION_S = Number(values.duration);
const CONNECTIONS = Math.max(4, Number(values.connections));
const WRITERS = Number(values.writers);
const ADMIN_TOKEN = 'load-admin-token';
const BASE = 'https://w3id.org/communs-kg/';
const RDFS_LABEL = 'http://www.w3.org/2000/01/rdf-schema#label';
const JSON_RESULTS = 'application/sparql-results+json';

// ---- the server and its accounts -----------------------------------------------------------

const server = await startSeedServer({
  'admin-token': ADMIN_TOKEN,
  'rate-limit-sparql': '0',
  'rate-limit-writes': '0',
});
const { url } = server;

async function api(path: string, token: string, body: unknown) {
  const started = performance.now();
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json().catch(() => undefined)) as
    Record<string, unknown> | undefined;
  return { status: response.status, json, ms: performance.now() - started };
}

async function select(query: string): Promise<Record<string, { value: string }>[]> {
  const response = await fetch(`${url}/sparql`, {
    method: 'POST',
    headers: { 'content-type': 'application/sparql-query', accept: JSON_RESULTS },
    body: query,
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`SPARQL ${response.status}: ${text}`);
  return (JSON.parse(text) as { results: { bindings: Record<string, { value: string }>[] } })
    .results.bindings;
}

async function account(role: string): Promise<string> {
  const created = await api('/api/users', ADMIN_TOKEN, { name: `load-${role}`, role });
  if (created.status !== 201) throw new Error(`creating the ${role}: ${created.status}`);
  return created.json?.token as string;
}

// ---- the request mix ---------------------------------------------------------------------------

const entities = (
  await select(`SELECT DISTINCT ?s WHERE {
    GRAPH <${BASE}graph/data> { ?s a ?type }
    FILTER(STRSTARTS(STR(?s), "${BASE}id/"))
  } ORDER BY ?s`)
).map((row) => row.s?.value as string);
const queriesDir = join(PROJECT_ROOT, 'queries');
const competency = await Promise.all(
  (await readdir(queriesDir))
    .filter((file) => file.endsWith('.rq'))
    .sort()
    .map((file) => readFile(join(queriesDir, file), 'utf8')),
);
const SEARCHES = [
  'wikipedia',
  'souveraineté',
  'souverainete',
  'open food facts',
  'tchap',
  'numérique',
  'commun',
  'dinum',
  'verdier',
  'données',
  'IGN',
  'logiciel libre',
];
const sparqlGet = (query: string): AutocannonRequest => ({
  method: 'GET',
  path: `/sparql?query=${encodeURIComponent(query)}`,
  headers: { accept: JSON_RESULTS },
});

interface Kind {
  name: string;
  connections: number;
  requests: AutocannonRequest[];
}
const share = (part: number) => Math.max(1, Math.round((CONNECTIONS * part) / 8));
const kinds: Kind[] = [
  {
    name: 'sparql lookup',
    connections: share(3),
    requests: entities.map((iri) => sparqlGet(`SELECT ?p ?o WHERE { <${iri}> ?p ?o }`)),
  },
  {
    name: 'competency query',
    connections: share(2),
    requests: competency.map((query) => ({
      method: 'POST',
      path: '/sparql',
      headers: { 'content-type': 'application/sparql-query', accept: JSON_RESULTS },
      body: query,
    })),
  },
  {
    name: 'entity page',
    connections: share(2),
    requests: entities.map((iri) => ({
      method: 'GET',
      path: encodeURI(`/${iri.slice(BASE.length)}`),
      headers: { accept: 'text/html' },
    })),
  },
  {
    name: 'search page',
    connections: share(1),
    requests: SEARCHES.map((q) => ({
      method: 'GET',
      path: `/search?q=${encodeURIComponent(q)}`,
      headers: { accept: 'text/html' },
    })),
  },
];

// ---- the run -----------------------------------------------------------------------------------

interface Tally {
  latencies: number[];
  statuses: Map<number, number>;
  errors: number;
}
const tally = (): Tally => ({ latencies: [], statuses: new Map(), errors: 0 });
const count = (t: Tally, status: number, ms: number) => {
  t.latencies.push(ms);
  t.statuses.set(status, (t.statuses.get(status) ?? 0) + 1);
};
const tallies = new Map<string, Tally>();
for (const name of [...kinds.map((k) => k.name), 'submit changeset', 'accept changeset']) {
  tallies.set(name, tally());
}
const tallyOf = (name: string) => tallies.get(name) as Tally;

const contributor = await account('contributor');
const moderator = await account('moderator');
const accepted: { iri: string; text: string }[] = [];
let submitted = 0;
const writeErrors: string[] = [];

async function writer(index: number, deadline: number): Promise<void> {
  for (let n = 0; performance.now() < deadline; n++) {
    const iri = `${BASE}id/note/load-${index}-${n}`;
    const text = `load test ${index}-${n} ${new Date().toISOString()}`;
    try {
      const submission = await api('/api/changesets', contributor, {
        message: `load ${index}-${n}`,
        add: `<${iri}> <${RDFS_LABEL}> ${JSON.stringify(text)}@en .`,
      });
      count(tallyOf('submit changeset'), submission.status, submission.ms);
      if (submission.status !== 201) {
        writeErrors.push(`submit ${index}-${n}: ${submission.status}`);
        continue;
      }
      submitted++;
      const acceptance = await api(
        `/api/changesets/${submission.json?.id as number}/accept`,
        moderator,
        {},
      );
      count(tallyOf('accept changeset'), acceptance.status, acceptance.ms);
      if (acceptance.status === 200) accepted.push({ iri, text });
      else writeErrors.push(`accept ${index}-${n}: ${acceptance.status}`);
    } catch (error) {
      writeErrors.push(`${index}-${n}: ${(error as Error).message}`);
    }
  }
}

const rssBefore = residentMemory(server.pid).rss;
const sampler = sampleRss(
  () => residentMemory(server.pid).rss,
  Number(values['sample-seconds']) * 1000,
);
const started = performance.now();
const deadline = started + DURATION_S * 1000;
const readers = kinds.map((kind) => {
  const instance = autocannon({
    url,
    connections: kind.connections,
    duration: DURATION_S,
    timeout: 30,
    requests: kind.requests,
  });
  const t = tallyOf(kind.name);
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) =>
    count(t, status, ms),
  );
  instance.on('reqError', () => t.errors++);
  return instance;
});
const writers = Array.from({ length: WRITERS }, (_, index) => writer(index, deadline));
const results = await Promise.all(readers);
await Promise.all(writers);
const elapsedS = (performance.now() - started) / 1000;
sampler.stop();
const rssPeak = residentMemory(server.pid).peak;

// ---- every accepted contribution is visible through /sparql ------------------------------------

let visible = 0;
for (let i = 0; i < accepted.length; i += 200) {
  const batch = accepted.slice(i, i + 200);
  const rows = await select(`SELECT (COUNT(*) AS ?n) WHERE {
    VALUES (?s ?text) { ${batch.map((c) => `(<${c.iri}> ${JSON.stringify(c.text)}@en)`).join(' ')} }
    ?s <${RDFS_LABEL}> ?text }`);
  visible += Number(rows[0]?.n?.value ?? 0);
}

// ---- the report --------------------------------------------------------------------------------

const fmt = (ms: number | undefined) => (ms === undefined ? '-' : `${ms.toFixed(1)} ms`);
const statusText = (t: Tally) =>
  [...t.statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ') || '-';
const expectedStatus = (name: string) => (name === 'submit changeset' ? 201 : 200);
const maxOf = (values: number[]) => values.reduce((max, v) => (v > max ? v : max), -Infinity);
let failures = 0;
const lines: string[] = [];
const all: number[] = [];
let total = 0;
for (const [name, t] of tallies) {
  const unexpected = [...t.statuses.entries()]
    .filter(([status]) => status !== expectedStatus(name))
    .reduce((sum, [, n]) => sum + n, 0);
  failures += unexpected + t.errors;
  total += t.latencies.length;
  all.push(...t.latencies);
  const sorted = t.latencies;
  lines.push(
    `| ${name} | ${sorted.length} | ${(sorted.length / elapsedS).toFixed(1)} | ${statusText(t)} | ` +
      `${t.errors} | ${fmt(sorted.length ? percentile(sorted, 50) : undefined)} | ` +
      `${fmt(sorted.length ? percentile(sorted, 99) : undefined)} | ` +
      `${fmt(sorted.length ? maxOf(sorted) : undefined)} |`,
  );
}
const timeouts = results.reduce((sum, r) => sum + r.timeouts, 0);
failures += writeErrors.length;
const invisible = accepted.length - visible;
failures += invisible;
const samples = sampler.samples;
const first = samples[0]?.rss;
const last = samples[samples.length - 1]?.rss;
const sampledPeak = maxOf(samples.map((s) => s.rss));
console.log(
  [
    `# Load — ${new Date().toISOString()}, commit ${commitDescription(PROJECT_ROOT)}, ${availableParallelism()} cores, ` +
      `Node ${process.version}`,
    '',
    `\`communs-kg serve\` on the seed graph (${server.quads} quads, 2 query workers, no rate ` +
      `limit), ${elapsedS.toFixed(1)} s: ${kinds
        .map((k) => `${k.name} ×${k.connections} connections (${k.requests.length} variants)`)
        .join(', ')}; ${WRITERS} writer loops (a contributor submits, a moderator accepts).`,
    '',
    '| requests | count | req/s | statuses | errors | p50 | p99 | max |',
    '|---|---:|---:|---|---:|---:|---:|---:|',
    ...lines,
    `| **all** | ${total} | ${(total / elapsedS).toFixed(1)} | | ${timeouts} timeouts | ` +
      `${fmt(percentile(all, 50))} | ${fmt(percentile(all, 99))} | ${fmt(maxOf(all))} |`,
    '',
    `Contributions: ${submitted} submitted, ${accepted.length} accepted, ${visible} of them ` +
      `visible through /sparql at the end${writeErrors.length ? `; errors: ${writeErrors.slice(0, 5).join('; ')}` : ''}.`,
    '',
    `RSS every ${values['sample-seconds']} s (MiB): ${samples
      .map((s) => (s.rss / 2 ** 20).toFixed(0))
      .join(' ')}`,
    `RSS before the run ${mib(rssBefore)}; first sample ${mib(first)}, last ${mib(last)}, ` +
      `highest sample ${mib(sampledPeak)}, peak (VmHWM) ${mib(rssPeak)}.`,
    '',
    failures === 0
      ? 'No error.'
      : `${failures} failures (errors, unexpected statuses, invisible contributions).`,
  ].join('\n'),
);
await server.close();
process.exitCode = failures > 0 ? 1 : 0;
