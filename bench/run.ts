/**
 * The performance benchmark: communs-kg against Oxigraph, on the same generated graph and the same
 * queries, in-process and over HTTP, in one run.
 *
 *   npm run bench -- --size 1M          (builds, then: npx tsx bench/run.ts --size 1M)
 *
 * Options: --size 10k|100k|1M|5M (default 100k), --seed N (42), --runs N timed runs (20),
 * --warmups N (3), --queries REGEX (names of bench/queries/*.rq), --engines communs-kg,oxigraph,
 * --modes inprocess,http, --timeout MS per run (30000), --budget MS for the timed runs of one
 * query (30000), --seed-starts N cold starts of the seed-graph server (3; 0 to skip).
 *
 * Each engine is measured in processes of its own, one after the other: in-process (child.ts:
 * load, RSS, queries), then as a server (spawn → first answer, RSS, queries over HTTP). The
 * Markdown report is printed on stdout and written to bench/results/<date>-<size>.md, with the
 * raw figures beside it in JSON. Progress goes to stderr.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveSettings, type Settings } from '../src/config/settings.js';
import type { ChildMessage } from './child.js';
import {
  DEFAULT_SEED,
  RESULTS_DIR,
  dataFile,
  parseSize,
  readSummary,
  sizeLabel,
  type GenerationSummary,
} from './generate.js';
import {
  DEFAULT_POLICY,
  ENGINES,
  exited,
  freePort,
  stop,
  compareResults,
  canonicalResult,
  commitDescription,
  geometricMean,
  httpQuery,
  loadQueries,
  measure,
  median,
  residentMemory,
  resultSize,
  type BenchQuery,
  type EngineName,
  type Measurement,
  type Policy,
} from './harness.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH_DIR, '..');
const CHILD_HEAP = '--max-old-space-size=16000';
type Mode = 'inprocess' | 'http';

interface Options {
  triples: number;
  size: string;
  seed: number;
  policy: Policy;
  queries?: string;
  engines: EngineName[];
  modes: Mode[];
  seedStarts: number;
}

interface QueryRecord {
  measurement: Omit<Measurement, 'result'>;
  result?: string;
}

interface EngineRun {
  mode: Mode;
  engine: EngineName;
  triples?: number;
  loadMs?: number;
  /** In-process: after load; server: once it answered its first query. */
  rss?: number;
  peak?: number;
  rssAfterQueries?: number;
  peakAfterQueries?: number;
  coldStartMs?: number;
  restarts: number;
  failure?: string;
  note?: string;
  queries: Map<string, QueryRecord>;
}

const log = (text: string) => process.stderr.write(`${text}\n`);

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '100k' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      runs: { type: 'string', default: String(DEFAULT_POLICY.runs) },
      warmups: { type: 'string', default: String(DEFAULT_POLICY.warmups) },
      queries: { type: 'string' },
      engines: { type: 'string', default: ENGINES.join(',') },
      modes: { type: 'string', default: 'inprocess,http' },
      timeout: { type: 'string', default: String(DEFAULT_POLICY.timeoutMs) },
      budget: { type: 'string', default: '30000' },
      'seed-starts': { type: 'string', default: '3' },
    },
    strict: true,
  });
  const positive = (name: string, value: string | undefined, min = 1) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return n;
  };
  const engines = (values.engines ?? '').split(',').map((e) => e.trim());
  for (const engine of engines) {
    if (!(ENGINES as readonly string[]).includes(engine)) {
      throw new Error(`--engines: unknown engine "${engine}" (${ENGINES.join(', ')})`);
    }
  }
  const modes = (values.modes ?? '').split(',').map((m) => m.trim());
  for (const mode of modes) {
    if (mode !== 'inprocess' && mode !== 'http') throw new Error(`--modes: inprocess, http`);
  }
  const triples = parseSize(values.size ?? '100k');
  return {
    triples,
    size: sizeLabel(triples),
    seed: positive('seed', values.seed, 0),
    policy: {
      runs: positive('runs', values.runs),
      warmups: positive('warmups', values.warmups),
      timeoutMs: positive('timeout', values.timeout),
      budgetMs: positive('budget', values.budget, 0),
    },
    queries: values.queries,
    engines: engines as EngineName[],
    modes: modes as Mode[],
    seedStarts: positive('seed-starts', values['seed-starts'], 0),
  };
}

// ------------------------------------------------------------------------------------------------
// Processes
// ------------------------------------------------------------------------------------------------

async function ensureData(
  options: Options,
): Promise<{ path: string; summary: GenerationSummary; generationMs?: number }> {
  const path = dataFile(options.triples, options.seed);
  const cached = existsSync(path) ? readSummary(path) : undefined;
  if (cached) {
    log(`Using the generated graph ${relative(ROOT, path)} (${cached.triples} triples).`);
    return { path, summary: cached };
  }
  log(`Generating ${options.size} triples (seed ${options.seed})…`);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CHILD_HEAP,
      join(BENCH_DIR, 'generate.ts'),
      '--size',
      String(options.triples),
      '--seed',
      String(options.seed),
      '--out',
      path,
    ],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  await exited(child);
  const summary = readSummary(path);
  if (child.exitCode !== 0 || !summary) throw new Error('the generator failed');
  return { path, summary, generationMs: performance.now() - started };
}

/** The engine in-process, in child processes (a new one after a communs-kg timeout). */
async function runInProcess(
  engine: EngineName,
  data: string,
  queries: BenchQuery[],
  options: Options,
  outDir: string,
): Promise<EngineRun> {
  const run: EngineRun = { mode: 'inprocess', engine, restarts: 0, queries: new Map() };
  let from = 0;
  while (from < queries.length) {
    let current = -1;
    let next = queries.length;
    let loaded = false;
    const child = fork(
      join(BENCH_DIR, 'child.ts'),
      [
        '--engine',
        engine,
        '--data',
        data,
        '--from',
        String(from),
        '--runs',
        String(options.policy.runs),
        '--warmups',
        String(options.policy.warmups),
        '--timeout',
        String(options.policy.timeoutMs),
        '--budget',
        String(options.policy.budgetMs),
        '--out',
        outDir,
        ...(options.queries ? ['--queries', options.queries] : []),
      ],
      {
        cwd: ROOT,
        execArgv: ['--import', 'tsx', '--expose-gc', CHILD_HEAP],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    const p = options.policy;
    const queryLimit = 2 * p.timeoutMs + p.budgetMs + 60_000;
    let watchdog: NodeJS.Timeout | undefined;
    let killedByWatchdog = false;
    const arm = (ms: number) => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        killedByWatchdog = true;
        child.kill('SIGKILL');
      }, ms);
    };
    arm(30 * 60_000);
    child.on('message', (message: ChildMessage) => {
      switch (message.type) {
        case 'loaded':
          loaded = true;
          if (run.triples === undefined) {
            Object.assign(run, {
              triples: message.triples,
              loadMs: message.loadMs,
              rss: message.rss,
              peak: message.peak,
            });
            log(
              `  ${engine} in-process: loaded ${message.triples} triples in ${(message.loadMs / 1000).toFixed(1)} s, RSS ${mib(message.rss)}`,
            );
          }
          break;
        case 'start':
          current = message.index;
          arm(queryLimit);
          break;
        case 'query': {
          const query = queries[message.index] as BenchQuery;
          const result = message.resultFile ? readFileSync(message.resultFile, 'utf8') : undefined;
          if (message.resultFile) rmSync(message.resultFile);
          run.queries.set(query.name, { measurement: message.measurement, result });
          log(`  ${engine} in-process ${query.name}: ${describe(message.measurement)}`);
          current = -1;
          break;
        }
        case 'restart':
          next = message.next;
          break;
        case 'done':
          run.rssAfterQueries = message.rss;
          run.peakAfterQueries = message.peak;
          break;
      }
    });
    await exited(child);
    clearTimeout(watchdog);
    if (!loaded) {
      run.failure = `the ${engine} process ended while loading (${child.signalCode ?? `exit ${child.exitCode}`})`;
      log(`  ${run.failure}`);
      break;
    }
    if (next < queries.length) {
      run.restarts++;
      from = next;
    } else if (current >= 0) {
      // The process died or was stopped during a query: record it, go on with the next one.
      const query = queries[current] as BenchQuery;
      run.queries.set(query.name, {
        measurement: killedByWatchdog
          ? { status: 'timeout', samples: [] }
          : {
              status: 'error',
              samples: [],
              error: `process ended (${child.signalCode ?? child.exitCode})`,
            },
      });
      run.restarts++;
      from = current + 1;
    } else {
      break;
    }
  }
  return run;
}

async function waitForFirstAnswer(
  url: string,
  child: ChildProcess,
  limitMs: number,
): Promise<boolean> {
  const deadline = performance.now() + limitMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      const response = await fetch(`${url}/sparql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/sparql-query',
          accept: 'application/sparql-results+json',
        },
        body: 'ASK {}',
      });
      await response.text();
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

/** Spawns a server and measures the time from spawn to its first successful /sparql answer. */
async function startMeasured(
  args: string[],
  port: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ child: ChildProcess; url: string; coldStartMs?: number }> {
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const ok = await waitForFirstAnswer(url, child, 30 * 60_000);
  return { child, url, coldStartMs: ok ? performance.now() - started : undefined };
}

async function runServer(
  engine: EngineName,
  data: string,
  queries: BenchQuery[],
  options: Options,
): Promise<EngineRun> {
  const run: EngineRun = { mode: 'http', engine, restarts: 0, queries: new Map() };
  const spawnServer = async (heap: string[]) => {
    const port = await freePort();
    // Plain node, as `npm start` runs: a TypeScript loader would slow every module load.
    const script = engine === 'communs-kg' ? 'communs-server.mjs' : 'oxigraph-server.mjs';
    const args = [...heap, join(BENCH_DIR, script), '--data', data];
    args.push('--port', String(port));
    if (engine === 'communs-kg') args.push('--timeout', String(options.policy.timeoutMs));
    return startMeasured(args, port);
  };
  if (engine === 'communs-kg' && !existsSync(join(ROOT, 'dist', 'http', 'server.js'))) {
    run.failure = 'dist/ is missing: run `npm run build` (npm run bench does)';
    return run;
  }
  // The server runs as `npm start` would, with Node's default heap; if it dies while starting,
  // that is reported and it is measured again with a larger heap.
  let { child, url, coldStartMs } = await spawnServer([]);
  if (coldStartMs === undefined) {
    const how = child.signalCode ?? `exit ${child.exitCode}`;
    log(
      `  the ${engine} server died while starting with Node's default heap (${how}); again with ${CHILD_HEAP}`,
    );
    run.note = `with Node's default heap limit the server died while starting (${how}${child.signalCode === 'SIGABRT' ? ': JavaScript heap out of memory' : ''}); measured with ${CHILD_HEAP}`;
    ({ child, url, coldStartMs } = await spawnServer([CHILD_HEAP]));
  }
  try {
    if (coldStartMs === undefined || child.pid === undefined) {
      run.failure = `the ${engine} server did not answer (${child.signalCode ?? `exit ${child.exitCode}`})`;
      log(`  ${run.failure}`);
      return run;
    }
    run.coldStartMs = coldStartMs;
    const memory = residentMemory(child.pid);
    run.rss = memory.rss;
    run.peak = memory.peak;
    log(
      `  ${engine} server: first answer ${(coldStartMs / 1000).toFixed(1)} s after spawn, RSS ${mib(run.rss)}`,
    );
    // The server's own limit answers 503 first; the client gives it two more seconds.
    const policy = { ...options.policy, timeoutMs: options.policy.timeoutMs + 2000 };
    for (const query of queries) {
      const { result, ...measurement } = await measure(
        (signal) => httpQuery(url, query, policy.timeoutMs, signal),
        policy,
      );
      run.queries.set(query.name, { measurement, result });
      log(`  ${engine} HTTP ${query.name}: ${describe(measurement)}`);
    }
    const after = residentMemory(child.pid);
    run.rssAfterQueries = after.rss;
    run.peakAfterQueries = after.peak;
  } finally {
    await stop(child);
  }
  return run;
}

/**
 * Cold starts of `node dist/cli/bin.js serve` on the seed graph, in a fresh data directory: the
 * first start seeds the database (parse, derive, SHACL validation, one transaction); the `count`
 * starts measured after it read the database back, as every later start of a deployment does.
 */
async function seedStarts(
  count: number,
): Promise<{ samples: number[]; seedingMs?: number; note?: string }> {
  const bin = join(ROOT, 'dist', 'cli', 'bin.js');
  if (count === 0) return { samples: [] };
  if (!existsSync(bin)) return { samples: [], note: 'dist/ is missing: run `npm run build`' };
  const dataDir = mkdtempSync(join(os.tmpdir(), 'communs-bench-seed-'));
  const samples: number[] = [];
  let seedingMs: number | undefined;
  try {
    for (let i = 0; i <= count; i++) {
      const port = await freePort();
      const { child, coldStartMs } = await startMeasured(
        [bin, 'serve', '--port', String(port), '--data-dir', dataDir],
        port,
        { ...process.env, COMMUNS_LOG_LEVEL: 'silent' },
      );
      await stop(child);
      if (coldStartMs === undefined) return { samples, note: 'the seed server did not start' };
      if (i === 0) seedingMs = coldStartMs;
      else samples.push(coldStartMs);
      const what = i === 0 ? 'first start, seeding the database' : 'restart';
      log(
        `  seed graph server (${what}): first answer ${(coldStartMs / 1000).toFixed(2)} s after spawn`,
      );
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { samples, seedingMs };
}

// ------------------------------------------------------------------------------------------------
// Report
// ------------------------------------------------------------------------------------------------

function mib(bytes?: number): string {
  return bytes === undefined ? '—' : `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MiB`;
}

function ms(value?: number): string {
  if (value === undefined) return '—';
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return Math.round(value).toLocaleString('en-US');
}

function seconds(value?: number): string {
  return value === undefined ? '—' : `${(value / 1000).toFixed(value < 10_000 ? 2 : 1)} s`;
}

function ratio(value?: number, lowerBound = false): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  const text = value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
  return `${lowerBound ? '≥ ' : ''}${text}×`;
}

function describe(m: Omit<Measurement, 'result'>): string {
  if (m.status === 'timeout') return 'timeout';
  if (m.status === 'error') return `error: ${m.error ?? ''}`;
  return `median ${ms(m.median)} ms, p95 ${ms(m.p95)} ms (${m.samples.length} runs)`;
}

function cell(record: QueryRecord | undefined, field: 'median' | 'p95', runs: number): string {
  if (!record) return '—';
  const m = record.measurement;
  if (m.status === 'timeout') return 'timeout';
  if (m.status === 'error') return 'error';
  const value = ms(m[field]);
  return field === 'median' && m.samples.length < runs
    ? `${value} (${m.samples.length} run${m.samples.length === 1 ? '' : 's'})`
    : value;
}

interface Ratio {
  value?: number;
  lowerBound: boolean;
}

function queryRatio(
  ck: QueryRecord | undefined,
  ox: QueryRecord | undefined,
  timeoutMs: number,
): Ratio {
  const oxMedian = ox?.measurement.status === 'ok' ? ox.measurement.median : undefined;
  if (oxMedian === undefined || !ck) return { lowerBound: false };
  if (ck.measurement.status === 'timeout') return { value: timeoutMs / oxMedian, lowerBound: true };
  if (ck.measurement.status !== 'ok' || ck.measurement.median === undefined)
    return { lowerBound: false };
  return { value: ck.measurement.median / oxMedian, lowerBound: false };
}

function agreement(query: BenchQuery, ck?: QueryRecord, ox?: QueryRecord): string {
  if (ck?.result === undefined || ox?.result === undefined) return '—';
  try {
    const c = compareResults(query.form, ck.result, ox.result);
    if (c.same) return 'same';
    if (query.form === 'DESCRIBE') {
      return `differ (DESCRIBE is engine-defined: ${c.sizes[0]} vs ${c.sizes[1]} triples)`;
    }
    return `**DIFFER** (${c.detail.slice(0, 120).replace(/\|/g, '\\|')})`;
  } catch (error) {
    return `**unreadable** (${(error as Error).message.slice(0, 80)})`;
  }
}

function size(query: BenchQuery, ...records: (QueryRecord | undefined)[]): string {
  for (const record of records) {
    if (record?.result === undefined) continue;
    try {
      const result = canonicalResult(query.form, record.result);
      return result.kind === 'boolean'
        ? result.value
          ? 'true'
          : 'false'
        : `${resultSize(result)} ${result.kind === 'rows' ? 'rows' : 'triples'}`;
    } catch {
      // try the next one
    }
  }
  return '—';
}

interface Report {
  options: Options;
  data: { path: string; summary: GenerationSummary; generationMs?: number };
  queries: BenchQuery[];
  runs: EngineRun[];
  seed: { samples: number[]; seedingMs?: number; note?: string };
  wallMs: number;
  command: string;
  /** 1-minute load average at the start and at the end. */
  load: number[];
  phases: { name: string; ms: number }[];
}

function machine(): string {
  const cpus = os.cpus();
  const oxigraphVersion = (() => {
    try {
      return (
        JSON.parse(
          readFileSync(join(ROOT, 'node_modules', 'oxigraph', 'package.json'), 'utf8'),
        ) as { version: string }
      ).version;
    } catch {
      return '?';
    }
  })();
  const commit = commitDescription(ROOT);
  return (
    `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ` +
    `${os.type()} ${os.release()}, Node ${process.version}, oxigraph ${oxigraphVersion}, communs-kg ${commit}`
  );
}

/** The engine of the in-process communs-kg measurement: the server's setting, from the environment. */
function inProcessEngine(): string {
  try {
    const { engine } = resolveSettings({}, process.env);
    return engine === 'oxigraph'
      ? 'oxigraph: Oxigraph, Comunica where it deviates from SPARQL 1.1'
      : 'comunica: Comunica over an N3 store';
  } catch (error) {
    return `invalid settings: ${(error as Error).message}`;
  }
}

/** The settings the communs-kg server child resolves (flags it is given, then the environment). */
function serverSettings(): string {
  try {
    const settings = resolveSettings({ 'max-rows': '0' }, process.env) as Settings & {
      engine?: string;
    };
    return (
      `${settings.queryWorkers} query workers` +
      (settings.engine ? `, engine ${settings.engine}` : '') +
      `, worker heap ${settings.queryMemoryMb} MiB, no row bound`
    );
  } catch (error) {
    return `invalid settings: ${(error as Error).message}`;
  }
}

function render(report: Report): string {
  const { options, data, queries, runs } = report;
  const find = (mode: Mode, engine: EngineName) =>
    runs.find((r) => r.mode === mode && r.engine === engine);
  const ckIn = find('inprocess', 'communs-kg');
  const oxIn = find('inprocess', 'oxigraph');
  const ckHttp = find('http', 'communs-kg');
  const oxHttp = find('http', 'oxigraph');
  const s = data.summary;
  const p = options.policy;
  const lines: string[] = [];
  const out = (line = '') => lines.push(line);

  out(`# communs-kg vs Oxigraph — ${options.size} triples`);
  out();
  out(
    `- Command: \`${report.command}\` — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, whole run ${seconds(report.wallMs)}`,
  );
  out(`- Machine: ${machine()}`);
  out(
    `- Load average (1 min) at start and end: ${report.load.map((l) => l.toFixed(2)).join(', ')} ` +
      `(the figures assume an otherwise idle machine)`,
  );
  out(
    `- communs-kg in-process: what a query worker holds, the replica of the configured engine ` +
      `(${inProcessEngine()}), loaded from the file in chunks of whole lines (UTF-8 bytes), without a ` +
      `second validation (the server validated the data when it came in), queries prepared by the ` +
      `server's policy; ` +
      `Oxigraph loads with its defaults. Server: startServer with ${serverSettings()}`,
  );
  out(
    `- Graph: seed ${s.seed}, ${s.triples.toLocaleString('en-US')} triples (ontology ${s.ontology.toLocaleString('en-US')}, data ${s.data.toLocaleString('en-US')}, ` +
      `derived Wikidata view ${s.derived.toLocaleString('en-US')})` +
      (data.generationMs ? `, generated in ${seconds(data.generationMs)}` : ', cached') +
      `; ${Object.entries(s.entities)
        .map(([k, v]) => `${v.toLocaleString('en-US')} ${k}`)
        .join(', ')}`,
  );
  out(
    `- Per query: up to ${p.warmups} warm-up runs, then ${p.runs} timed runs (fewer when they take more than ` +
      `${seconds(p.budgetMs)} in all: the count is shown), median and p95 in ms; a run over ${seconds(p.timeoutMs)} ` +
      `is a timeout and is not repeated. In-process: evaluation and serialisation (SPARQL JSON, N-Triples) to a string. ` +
      `HTTP: POST /sparql from this process, whole body read.`,
  );
  out();

  out('## Load, memory, start');
  out();
  out('| | communs-kg | Oxigraph | communs-kg / Oxigraph | target |');
  out('|---|---:|---:|---:|---|');
  const loadRatio = ckIn?.loadMs && oxIn?.loadMs ? ckIn.loadMs / oxIn.loadMs : undefined;
  out(
    `| load: parse + insert, in-process | ${seconds(ckIn?.loadMs)} | ${seconds(oxIn?.loadMs)} | ${ratio(loadRatio)} | |`,
  );
  const rate = (r?: EngineRun) =>
    r?.loadMs && r.triples ? Math.round(r.triples / (r.loadMs / 1000)) : undefined;
  const ckRate = rate(ckIn);
  out(
    `| triples/s | ${ckRate?.toLocaleString('en-US') ?? '—'} | ${rate(oxIn)?.toLocaleString('en-US') ?? '—'} | | ≥ 150,000 ${ckRate === undefined ? '' : ckRate >= 150_000 ? '✓' : '✗'} |`,
  );
  const rssRatio = ckIn?.rss && oxIn?.rss ? ckIn.rss / oxIn.rss : undefined;
  out(
    `| RSS after load, in-process (one store) | ${mib(ckIn?.rss)} | ${mib(oxIn?.rss)} | ${ratio(rssRatio)} | ≤ 1.5× ${rssRatio === undefined ? '' : rssRatio <= 1.5 ? '✓' : '✗'} |`,
  );
  out(
    `| peak RSS, in-process, by the end of the queries | ${mib(ckIn?.peakAfterQueries ?? ckIn?.peak)} | ${mib(oxIn?.peakAfterQueries ?? oxIn?.peak)} | | |`,
  );
  if (ckHttp || oxHttp) {
    const startRatio =
      ckHttp?.coldStartMs && oxHttp?.coldStartMs
        ? ckHttp.coldStartMs / oxHttp.coldStartMs
        : undefined;
    out(
      `| server on this graph: spawn → first /sparql answer | ${seconds(ckHttp?.coldStartMs)} | ${seconds(oxHttp?.coldStartMs)} | ${ratio(startRatio)} | |`,
    );
    const serverRss = ckHttp?.rss && oxHttp?.rss ? ckHttp.rss / oxHttp.rss : undefined;
    out(
      `| server RSS once ready (communs-kg: store + query workers' replicas) | ${mib(ckHttp?.rss)} | ${mib(oxHttp?.rss)} | ${ratio(serverRss)} | |`,
    );
    out(
      `| server RSS after the queries | ${mib(ckHttp?.rssAfterQueries)} | ${mib(oxHttp?.rssAfterQueries)} | | |`,
    );
  }
  const seedMedian = report.seed.samples.length > 0 ? median(report.seed.samples) : undefined;
  if (report.seed.samples.length > 0 || report.seed.note) {
    out(
      `| seed graph: first \`node dist/cli/bin.js serve\` on an empty data directory (seeds it) | ${seconds(report.seed.seedingMs)} | | | |`,
    );
    out(
      `| seed graph: \`node dist/cli/bin.js serve\` restart, spawn → first answer (median of ${report.seed.samples.length}) | ${seconds(seedMedian)}${report.seed.samples.length > 1 ? ` (${report.seed.samples.map((v) => (v / 1000).toFixed(2)).join(', ')})` : ''}${report.seed.note ? ` (${report.seed.note})` : ''} | | | < 2 s ${seedMedian === undefined ? '' : seedMedian < 2000 ? '✓' : '✗'} |`,
    );
  }
  if (ckIn?.triples !== undefined && oxIn?.triples !== undefined && ckIn.triples !== oxIn.triples) {
    out(`| **triples loaded differ** | ${ckIn.triples} | ${oxIn.triples} | | |`);
  }
  out();

  for (const r of runs) {
    const what = `${r.engine} ${r.mode === 'http' ? 'server' : 'in-process'}`;
    if (r.failure) out(`- **${what} failed**: ${r.failure}.`);
    if (r.note) out(`- ${what}: ${r.note}.`);
    if (r.restarts > 0)
      out(`- ${what}: ${r.restarts} fresh process(es) after a timeout or a crash.`);
  }
  if (runs.some((r) => r.failure || r.note || r.restarts > 0)) out();

  out('## Queries (ms)');
  out();
  out(
    '| query | form | result | communs-kg median | p95 | Oxigraph median | p95 | ratio | communs-kg HTTP median | p95 | Oxigraph HTTP median | p95 | HTTP ratio | results in-process / HTTP |',
  );
  out('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  const inRatios: Ratio[] = [];
  const httpRatios: Ratio[] = [];
  const worst: { name: string; ratio: Ratio }[] = [];
  for (const q of queries) {
    const a = ckIn?.queries.get(q.name);
    const b = oxIn?.queries.get(q.name);
    const c = ckHttp?.queries.get(q.name);
    const d = oxHttp?.queries.get(q.name);
    const rIn = queryRatio(a, b, p.timeoutMs);
    const rHttp = queryRatio(c, d, p.timeoutMs);
    if (rIn.value !== undefined) {
      inRatios.push(rIn);
      worst.push({ name: q.name, ratio: rIn });
    }
    if (rHttp.value !== undefined) httpRatios.push(rHttp);
    out(
      `| ${q.name} | ${q.form} | ${size(q, b, a, d, c)} | ${cell(a, 'median', p.runs)} | ${cell(a, 'p95', p.runs)} | ${cell(b, 'median', p.runs)} | ${cell(b, 'p95', p.runs)} | ` +
        `${ratio(rIn.value, rIn.lowerBound)} | ${cell(c, 'median', p.runs)} | ${cell(c, 'p95', p.runs)} | ${cell(d, 'median', p.runs)} | ${cell(d, 'p95', p.runs)} | ` +
        `${ratio(rHttp.value, rHttp.lowerBound)} | ${agreement(q, a, b)} / ${agreement(q, c, d)} |`,
    );
  }
  const geo = (ratios: Ratio[]) => ({
    value: geometricMean(ratios.map((r) => r.value as number)),
    lowerBound: ratios.some((r) => r.lowerBound),
  });
  const gIn = geo(inRatios);
  const gHttp = geo(httpRatios);
  out(
    `| **geometric mean** | | | | | | | **${ratio(gIn.value, gIn.lowerBound)}** | | | | | **${ratio(gHttp.value, gHttp.lowerBound)}** | |`,
  );
  out();
  out(
    'Ratios are communs-kg / Oxigraph medians; "≥" marks a communs-kg timeout, counted at the time limit (a lower bound). ' +
      'Results are compared as multisets of rows (SELECT), booleans (ASK) and graphs up to blank-node renaming (CONSTRUCT, DESCRIBE); ' +
      'DESCRIBE is engine-defined (Oxigraph returns the concise bounded description, following blank nodes such as the selector).',
  );
  out();

  out('## Run time');
  out();
  out('| phase | time |');
  out('|---|---:|');
  for (const phase of report.phases) out(`| ${phase.name} | ${seconds(phase.ms)} |`);
  out(`| **whole run** | **${seconds(report.wallMs)}** |`);
  out();

  out('## Targets (in-process, this size)');
  out();
  const over5 = worst
    .filter((w) => (w.ratio.value as number) > 5)
    .sort((x, y) => (y.ratio.value as number) - (x.ratio.value as number));
  const verdict = (ok: boolean | undefined) => (ok === undefined ? '—' : ok ? '✓ met' : '✗ missed');
  out(`| target | measured | |`);
  out(`|---|---|---|`);
  out(
    `| geometric-mean median latency ≤ 2× Oxigraph | ${ratio(gIn.value, gIn.lowerBound)} | ${verdict(Number.isFinite(gIn.value) ? gIn.value <= 2 : undefined)} |`,
  );
  out(
    `| no query above 5× Oxigraph | ${over5.length} of ${worst.length} above${
      over5.length > 0
        ? ` (worst: ${over5
            .slice(0, 3)
            .map((w) => `${w.name} ${ratio(w.ratio.value, w.ratio.lowerBound)}`)
            .join(', ')})`
        : ''
    } | ${verdict(worst.length > 0 ? over5.length === 0 : undefined)} |`,
  );
  out(
    `| load ≥ 150 k triples/s | ${ckRate?.toLocaleString('en-US') ?? '—'} triples/s | ${verdict(ckRate === undefined ? undefined : ckRate >= 150_000)} |`,
  );
  out(
    `| RSS ≤ 1.5× Oxigraph's | ${ratio(rssRatio)} | ${verdict(rssRatio === undefined ? undefined : rssRatio <= 1.5)} |`,
  );
  out(
    `| seed graph server ready < 2 s | ${seconds(seedMedian)} | ${verdict(seedMedian === undefined ? undefined : seedMedian < 2000)} |`,
  );
  out();
  return lines.join('\n');
}

function toJson(report: Report): unknown {
  return {
    ...report,
    runs: report.runs.map((r) => ({
      ...r,
      queries: Object.fromEntries([...r.queries].map(([name, q]) => [name, q.measurement])),
    })),
    queries: report.queries.map((q) => ({ name: q.name, form: q.form })),
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = os.loadavg()[0] ?? 0;
  const options = parseOptions();
  const queries = await loadQueries(options.queries);
  if (queries.length === 0) throw new Error(`no query matches ${options.queries}`);
  log(
    `communs-kg benchmark: ${options.size} triples, ${queries.length} queries, engines ${options.engines.join(', ')}, modes ${options.modes.join(', ')}`,
  );

  const phases: { name: string; ms: number }[] = [];
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const begun = performance.now();
    try {
      return await work();
    } finally {
      phases.push({ name, ms: performance.now() - begun });
    }
  };
  const seed = await timed('seed graph server starts', () => seedStarts(options.seedStarts));
  const data = await timed('graph generation (or cache)', () => ensureData(options));
  const outDir = mkdtempSync(join(os.tmpdir(), 'communs-bench-'));
  const runs: EngineRun[] = [];
  try {
    if (options.modes.includes('inprocess')) {
      for (const engine of options.engines) {
        log(`${engine}, in-process:`);
        runs.push(
          await timed(`${engine} in-process: load and queries`, () =>
            runInProcess(engine, data.path, queries, options, outDir),
          ),
        );
      }
    }
    if (options.modes.includes('http')) {
      for (const engine of options.engines) {
        log(`${engine}, HTTP:`);
        runs.push(
          await timed(`${engine} server: start and queries over HTTP`, () =>
            runServer(engine, data.path, queries, options),
          ),
        );
      }
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  const args = process.argv.slice(2).join(' ');
  const command =
    process.env.npm_lifecycle_event === 'bench'
      ? `npm run bench -- ${args}`.trim()
      : `npx tsx bench/run.ts ${args}`.trim();
  const report: Report = {
    options,
    data,
    queries,
    runs,
    seed,
    wallMs: performance.now() - started,
    command,
    load: [loadAtStart, os.loadavg()[0] ?? 0],
    phases,
  };
  const markdown = render(report);
  process.stdout.write(`${markdown}\n`);
  await mkdir(RESULTS_DIR, { recursive: true });
  const name = `${new Date().toISOString().slice(0, 10)}-${options.size}`;
  writeFileSync(join(RESULTS_DIR, `${name}.md`), `${markdown}\n`);
  writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(toJson(report), null, 2)}\n`);
  log(`Wrote bench/results/${name}.md (whole run ${seconds(report.wallMs)}).`);
}

await main();
