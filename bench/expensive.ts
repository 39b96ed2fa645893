/**
 * The expensive queries of bench/expensive-queries.ts against `communs-kg serve` on the seed graph,
 * in a child process: for each, how it ends and how long it takes to be cut, the latency of a
 * trivial query sent over and over while it runs, and the server's RSS (sampled every 50 ms from
 * /proc/<pid>/status, query workers included), before, during and after.
 *
 *   npm run bench:expensive -- [--timeout 5000] [--workers 2] [--scale 1] [--queries REGEX]
 *                              [--engine oxigraph|comunica]
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/paths.js';
import { cutOf, expensiveQueries, postQuery, TRIVIAL_QUERY } from './expensive-queries.js';
import { commitDescription, median, residentMemory } from './harness.js';
import { mib, sampleRss, startSeedServer } from './seed-server.js';

const { values } = parseArgs({
  options: {
    timeout: { type: 'string', default: '5000' },
    workers: { type: 'string', default: '2' },
    scale: { type: 'string', default: '1' },
    queries: { type: 'string' },
    engine: { type: 'string', default: 'oxigraph' },
  },
});
const timeoutMs = Number(values.timeout);
const MAX_ROWS = 100_000;
/** Time given to a worker ended at the time limit to be replaced before the next query. */
const SETTLE_MS = 2000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const server = await startSeedServer({
  'query-timeout-ms': String(timeoutMs),
  'query-workers': values.workers,
  'max-rows': String(MAX_ROWS),
  engine: values.engine,
  'rate-limit-sparql': '0',
  'rate-limit-writes': '0',
});
const rssOf = () => residentMemory(server.pid).rss;
try {
  // Warm up: both workers loaded, the trivial query prepared.
  for (let i = 0; i < 10; i++) await postQuery(server.url, TRIVIAL_QUERY);
  await sleep(1000);
  const before = rssOf();
  const sampler = sampleRss(rssOf, 50);
  const filter = values.queries ? new RegExp(values.queries) : undefined;
  const rows: string[] = [];
  let failures = 0;
  for (const query of expensiveQueries(Number(values.scale))) {
    if (filter && !filter.test(query.name)) continue;
    const from = sampler.samples.length;
    const started = performance.now();
    let settled = false;
    const heavy = postQuery(server.url, query.text).finally(() => (settled = true));
    const trivial: number[] = [];
    let trivialFailed = 0;
    while (!settled) {
      const sent = performance.now();
      const answer = await postQuery(server.url, TRIVIAL_QUERY);
      if (answer.status === 200) trivial.push(performance.now() - sent);
      else trivialFailed++;
    }
    const result = await heavy;
    const cutMs = performance.now() - started;
    const cut = cutOf(result.status, result.body, MAX_ROWS);
    const expected = query.cut.some((allowed) => String(allowed) === String(cut));
    if (!expected || trivialFailed > 0) failures++;
    await sleep(SETTLE_MS);
    const during = sampler.samples.slice(from).map((s) => s.rss);
    rows.push(
      `| ${query.name} | ${result.status} | ${cut}${expected ? '' : ' (unexpected)'} | ` +
        `${cutMs.toFixed(0)} ms | ${trivial.length}${trivialFailed ? ` (+${trivialFailed} failed)` : ''} | ` +
        `${trivial.length ? `${median(trivial).toFixed(1)} ms` : '-'} | ` +
        `${trivial.length ? `${Math.max(...trivial).toFixed(1)} ms` : '-'} | ${mib(Math.max(...during))} |`,
    );
    process.stderr.write(`${query.name}: ${result.status} in ${cutMs.toFixed(0)} ms\n`);
  }
  sampler.stop();
  const after = rssOf();
  const { peak } = residentMemory(server.pid);
  const stillUp = (await postQuery(server.url, TRIVIAL_QUERY)).status === 200;
  console.log(
    [
      `# Expensive queries — ${new Date().toISOString()}, commit ${commitDescription(PROJECT_ROOT)}, ` +
        `${availableParallelism()} cores, Node ${process.version}`,
      '',
      `Server: \`communs-kg serve\` on the seed graph (${server.quads} quads), engine ` +
        `${values.engine}, ${values.workers} query workers, time limit ${timeoutMs} ms, row bound ` +
        `${MAX_ROWS}. A trivial \`${TRIVIAL_QUERY}\` is sent again and again while each query runs.`,
      '',
      '| query | status | cut | time to cut | trivial queries answered | trivial median | trivial max | RSS peak during |',
      '|---|---:|---|---:|---:|---:|---:|---:|',
      ...rows,
      '',
      `RSS before: ${mib(before)}; after: ${mib(after)}; peak (VmHWM): ${mib(peak)}; ` +
        `sampled max: ${mib(Math.max(...sampler.samples.map((s) => s.rss)))}. ` +
        `Server still answering: ${stillUp ? 'yes' : 'NO'}.`,
    ].join('\n'),
  );
  if (!stillUp || server.child.exitCode !== null) failures++;
  process.exitCode = failures > 0 ? 1 : 0;
} finally {
  await server.close();
}
