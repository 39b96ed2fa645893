/**
 * The embedded store against Virtuoso 7 on the query mix of the benchmark, over HTTP: the row the
 * external-store issue asks for (docs/deployment.md, docs/performance.md). Both servers answer
 * the same generated graph; the communs-kg server is bench/communs-server.mjs as in run.ts.
 *
 *   . .ci/virtuoso-test-instance.sh        # a throw-away Virtuoso on loopback (Debian's package)
 *   npx tsx bench/generate.ts --size 100k  # if the graph is not cached yet
 *   npm run build && npx tsx bench/virtuoso.ts --size 100k [--runs 20] [--queries REGEX]
 *   virt_stop
 *
 * Virtuoso is reached through COMMUNS_TEST_VIRTUOSO_URL, _USER and _PASSWORD (exported by the
 * script above); its RSS is read from /proc when VIRT_PID is set. The report is printed and
 * written to bench/results/<date>-<size>-virtuoso.md.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RemoteSparqlClient, virtuosoEndpoints } from '../src/store/remote-sparql.js';
import { DEFAULT_SEED, RESULTS_DIR, dataFile, parseSize, sizeLabel } from './generate.js';
import {
  DEFAULT_POLICY,
  compareResults,
  freePort,
  geometricMean,
  httpQuery,
  loadQueries,
  mediaTypeFor,
  measure,
  residentMemory,
  stop,
  type BenchQuery,
  type Measurement,
} from './harness.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);

function environment(): { url: string; user: string; password: string } {
  const url = process.env.COMMUNS_TEST_VIRTUOSO_URL;
  if (!url) {
    throw new Error(
      'COMMUNS_TEST_VIRTUOSO_URL is not set: start a Virtuoso with `. .ci/virtuoso-test-instance.sh` ' +
        '(it exports the URL and the credentials), then run this again',
    );
  }
  return {
    url,
    user: process.env.COMMUNS_TEST_VIRTUOSO_USER ?? 'dba',
    password: process.env.COMMUNS_TEST_VIRTUOSO_PASSWORD ?? 'dba',
  };
}

/** The generated N-Quads, as N-Triples per named graph (blank nodes stay within one document). */
function triplesByGraph(path: string): Map<string, string[]> {
  const graphs = new Map<string, string[]>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^(.*) <([^>]*)> \.$/.exec(line);
    if (!match) continue;
    const [, triple, graph] = match as unknown as [string, string, string];
    let lines = graphs.get(graph);
    if (!lines) graphs.set(graph, (lines = []));
    lines.push(`${triple} .`);
  }
  return graphs;
}

/** A query to Virtuoso's endpoint as an HTML form: it never answers a direct query POST. */
async function virtuosoQuery(endpoint: string, query: BenchQuery, timeoutMs: number) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { accept: mediaTypeFor(query.form) },
    body: new URLSearchParams({ query: query.text }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${body.slice(0, 300)}`);
  return body;
}

/** bench/communs-server.mjs on the file; resolves with its URL and a stop function. */
async function startCommunsKg(path: string, timeoutMs: number) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      join(BENCH_DIR, 'communs-server.mjs'),
      ...['--data', path, '--port', String(port), '--timeout', String(timeoutMs)],
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const started = performance.now();
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const ready = /ready (\S+)/.exec(chunk.toString());
      if (ready) resolve(ready[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`the communs-kg server ended (${code})`)));
  });
  const startMs = performance.now() - started;
  return { url, startMs, child };
}

const mib = (bytes: number | undefined) =>
  bytes === undefined ? '—' : Math.round(bytes / 2 ** 20).toLocaleString('en-US');
const fixed = (value: number | undefined, digits = 2) =>
  value === undefined ? '—' : value < 10 ? value.toFixed(digits) : value.toFixed(1);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '100k' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      runs: { type: 'string', default: String(DEFAULT_POLICY.runs) },
      queries: { type: 'string' },
      timeout: { type: 'string', default: String(DEFAULT_POLICY.timeoutMs) },
    },
  });
  const virtuoso = environment();
  const triples = parseSize(values.size as string);
  const path = dataFile(triples, Number(values.seed));
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: run npx tsx bench/generate.ts --size ${values.size} first`,
    );
  }
  const policy = {
    ...DEFAULT_POLICY,
    runs: Number(values.runs),
    timeoutMs: Number(values.timeout),
  };
  const queries = await loadQueries(values.queries);

  const client = new RemoteSparqlClient({
    endpoints: virtuosoEndpoints(virtuoso.url),
    credentials: { user: virtuoso.user, password: virtuoso.password },
    timeoutMs: 600_000,
  });
  const graphs = triplesByGraph(path);
  const loading = performance.now();
  for (const [graph, lines] of graphs) {
    await client.putGraph(graph, { contentType: 'application/n-triples', text: lines.join('\n') });
  }
  const loadMs = performance.now() - loading;
  const loaded = [...graphs.values()].reduce((sum, lines) => sum + lines.length, 0);
  log(`Virtuoso: loaded ${loaded} triples in ${(loadMs / 1000).toFixed(1)} s (Graph Store PUT)`);

  const communs = await startCommunsKg(path, policy.timeoutMs);
  log(`communs-kg server: first answer ${(communs.startMs / 1000).toFixed(1)} s after spawn`);
  const endpoint = virtuosoEndpoints(virtuoso.url).query;
  let communsRss: number | undefined;
  const rows: {
    query: BenchQuery;
    ck: Measurement;
    vt: Measurement;
    same: string;
  }[] = [];
  try {
    for (const query of queries) {
      const ck = await measure(() => httpQuery(communs.url, query, policy.timeoutMs), policy);
      const vt = await measure(() => virtuosoQuery(endpoint, query, policy.timeoutMs), policy);
      const same =
        ck.result !== undefined && vt.result !== undefined
          ? (() => {
              const c = compareResults(query.form, ck.result as string, vt.result as string);
              // The detail quotes rows: keep the Markdown table whole.
              return c.same
                ? 'same'
                : `differ: ${c.detail.replace(/\s+/g, ' ').replace(/\|/g, '\\|')}`;
            })()
          : '—';
      log(
        `  ${query.name}: communs-kg ${fixed(ck.median)} ms, Virtuoso ${fixed(vt.median)} ms, ${same}`,
      );
      rows.push({ query, ck, vt, same });
    }
    communsRss = residentMemory(communs.child.pid as number).rss;
  } finally {
    await stop(communs.child);
  }

  const ratios = rows
    .filter((r) => r.ck.median !== undefined && r.vt.median !== undefined)
    .map((r) => (r.vt.median as number) / (r.ck.median as number));
  const lines = [
    `# Embedded store vs Virtuoso — ${sizeLabel(triples)} triples, over HTTP`,
    '',
    `- Command: \`npx tsx bench/virtuoso.ts --size ${values.size}\` — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `- Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}; Virtuoso at ${virtuoso.url} (Debian's virtuoso-opensource-7, the test instance of .ci/virtuoso-test-instance.sh)`,
    `- Per query: ${policy.warmups} warm-up runs, then ${policy.runs} timed runs, median in ms. communs-kg: POST /sparql (application/sparql-query); Virtuoso: POST /sparql as a form.`,
    '',
    '| | communs-kg (embedded) | Virtuoso |',
    '|---|---:|---:|',
    `| load | server spawn → first answer ${(communs.startMs / 1000).toFixed(1)} s (parse, index, workers) | ${(loadMs / 1000).toFixed(1)} s (Graph Store PUT, ${Math.round(loaded / (loadMs / 1000)).toLocaleString('en-US')} triples/s) |`,
    `| RSS after the queries | ${mib(communsRss)} MiB (the server process: main thread and query workers) | ${mib(process.env.VIRT_PID ? residentMemory(Number(process.env.VIRT_PID)).rss : undefined)} MiB |`,
    '',
    '| query | communs-kg median | Virtuoso median | Virtuoso / communs-kg | results |',
    '|---|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.query.name} | ${fixed(r.ck.median)} | ${fixed(r.vt.median)} | ${
          r.ck.median && r.vt.median ? `${(r.vt.median / r.ck.median).toFixed(2)}×` : '—'
        } | ${r.same} |`,
    ),
    `| **geometric mean** | | | **${ratios.length ? geometricMean(ratios).toFixed(2) : '—'}×** | |`,
    '',
  ];
  const report = lines.join('\n');
  process.stdout.write(report);
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(
    RESULTS_DIR,
    `${new Date().toISOString().slice(0, 10)}-${sizeLabel(triples)}-virtuoso.md`,
  );
  writeFileSync(file, report);
  log(`Wrote ${file}`);
}

await main();
