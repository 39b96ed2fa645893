/**
 * The benchmark's measuring parts, shared by the orchestrator (run.ts), its child processes
 * (child.ts, the two servers) and the smoke test: the query mix, the two engines in-process, the
 * HTTP client, the timing policy, statistics and the result check.
 *
 * Both engines answer every query in the same serialisation — SPARQL JSON for SELECT/ASK,
 * N-Triples for CONSTRUCT/DESCRIBE — as a complete string: in-process timings include evaluation
 * and serialisation (what an application or the server's worker does), never HTTP.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createServer } from 'node:net';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataFactory, Parser, StreamParser, type Quad } from 'n3';
import sparqljs from 'sparqljs';
import { isomorphicDatasets } from '../src/rdf/isomorphism.js';
import { DEFAULT_BASE_IRI } from '../src/rdf/namespaces.js';

export const BASE_IRI = DEFAULT_BASE_IRI;
export const QUERIES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'queries');

export type QueryForm = 'SELECT' | 'ASK' | 'CONSTRUCT' | 'DESCRIBE';
export type EngineName = 'communs-kg' | 'oxigraph';
export const ENGINES: readonly EngineName[] = ['communs-kg', 'oxigraph'];

export interface BenchQuery {
  name: string;
  text: string;
  form: QueryForm;
  /** The query's first comment line: what it does. */
  title: string;
}

/** The query mix: bench/queries/*.rq in name order, optionally filtered by a pattern. */
export async function loadQueries(pattern?: string, dir = QUERIES_DIR): Promise<BenchQuery[]> {
  const filter = pattern ? new RegExp(pattern) : undefined;
  const files = (await readdir(dir)).filter((f) => f.endsWith('.rq')).sort();
  const parser = new sparqljs.Parser();
  const queries: BenchQuery[] = [];
  for (const file of files) {
    const name = file.replace(/\.rq$/, '');
    if (filter && !filter.test(name)) continue;
    const text = await readFile(join(dir, file), 'utf8');
    const parsed = parser.parse(text);
    if (parsed.type !== 'query') throw new Error(`${file} is not a query`);
    const title = /^#\s*(.*)$/m.exec(text)?.[1] ?? name;
    queries.push({ name, text, form: parsed.queryType as QueryForm, title });
  }
  return queries;
}

export function mediaTypeFor(form: QueryForm): string {
  return form === 'SELECT' || form === 'ASK'
    ? 'application/sparql-results+json'
    : 'application/n-triples';
}

// ------------------------------------------------------------------------------------------------
// Reading the generated file
// ------------------------------------------------------------------------------------------------

/** The file in 4 MiB byte chunks, read synchronously (Oxigraph's load takes an iterable). */
export function* fileChunks(path: string, size = 4 << 20): Generator<Uint8Array> {
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(size);
      const read = readSync(fd, buffer, 0, size, null);
      if (read === 0) return;
      yield buffer.subarray(0, read);
    }
  } finally {
    closeSync(fd);
  }
}

/** Streams the quads of an N-Quads file through N3's parser (the parser the project uses). */
export function parseNQuadsFile(path: string, onQuad: (quad: Quad) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const parser = new StreamParser({ format: 'application/n-quads' });
    parser.on('data', onQuad);
    parser.on('error', reject);
    parser.on('end', resolve);
    createReadStream(path).on('error', reject).pipe(parser);
  });
}

// ------------------------------------------------------------------------------------------------
// Engines in-process
// ------------------------------------------------------------------------------------------------

export interface LoadedEngine {
  name: EngineName;
  triples: number;
  loadMs: number;
  /** Evaluates and serialises a query; an abort stops reading its results. */
  run(query: BenchQuery, signal?: AbortSignal): Promise<string>;
}

/**
 * communs-kg: what a query worker of the server holds and does — a replica of the engine the
 * server is configured with (COMMUNS_ENGINE, by default Oxigraph with Comunica where it deviates),
 * loaded from N-Quads in chunks of whole lines, answering through the same `evaluate` the queries
 * prepared by the server's policy (so the same ones go to Comunica).
 */
export async function loadCommunsKg(path: string): Promise<LoadedEngine & { engine: string }> {
  const { resolveSettings } = await import('../src/config/settings.js');
  const { engine } = resolveSettings({}, process.env);
  const { prepareQuery } = await import('../src/sparql/policy.js');
  const options = { baseIri: BASE_IRI, serviceAllowList: [] };
  // Only the chosen engine is imported, as in a worker: Comunica's modules weigh on the RSS.
  const replica =
    engine === 'oxigraph'
      ? new (await import('../src/sparql/oxigraph-replica.js')).OxigraphReplica(options)
      : new (await import('../src/sparql/comunica-replica.js')).ComunicaReplica(options);
  const started = performance.now();
  for (const text of lineChunks(path)) replica.load(text);
  const loadMs = performance.now() - started;
  const count = await replica.evaluate({
    text: 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }',
    mediaType: 'application/sparql-results+json',
  });
  let counted = '';
  for await (const chunk of count) counted += chunk.toString();
  return {
    name: 'communs-kg',
    engine,
    triples: Number(JSON.parse(counted).results.bindings[0].n.value),
    loadMs,
    async run(query, signal) {
      // Prepared by the server's own policy, so that the same queries go to Comunica.
      const prepared = prepareQuery(query.text, options, BASE_IRI);
      const stream = (await replica.evaluate({
        ...prepared,
        mediaType: mediaTypeFor(prepared.form),
      })) as NodeJS.ReadableStream & { destroy?: (error?: Error) => void };
      const onAbort = () => stream.destroy?.(new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        let text = '';
        for await (const chunk of stream) text += chunk.toString();
        return text;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
  };
}

/** The file in chunks of whole lines, as UTF-8 bytes. */
export function* lineChunks(path: string): Generator<Uint8Array> {
  let rest: Buffer = Buffer.alloc(0);
  for (const bytes of fileChunks(path)) {
    const chunk = rest.length > 0 ? Buffer.concat([rest, bytes]) : Buffer.from(bytes);
    const end = chunk.lastIndexOf(0x0a) + 1;
    if (end > 0) yield chunk.subarray(0, end);
    rest = Buffer.from(chunk.subarray(end));
  }
  if (rest.length > 0) yield rest;
}

/** Oxigraph (WASM): its own N-Quads parser and store; the default graph is the union, as ours. */
export async function loadOxigraph(path: string): Promise<LoadedEngine> {
  const { default: oxigraph } = await import('oxigraph');
  const started = performance.now();
  const store = new oxigraph.Store();
  store.load(fileChunks(path), { format: 'application/n-quads' });
  const loadMs = performance.now() - started;
  return {
    name: 'oxigraph',
    triples: store.size,
    loadMs,
    async run(query) {
      return store.query(query.text, {
        base_iri: BASE_IRI,
        use_default_graph_as_union: true,
        results_format: mediaTypeFor(query.form),
      }) as string;
    },
  };
}

export function loadEngine(name: EngineName, path: string): Promise<LoadedEngine> {
  return name === 'communs-kg' ? loadCommunsKg(path) : loadOxigraph(path);
}

// ------------------------------------------------------------------------------------------------
// HTTP
// ------------------------------------------------------------------------------------------------

export class QueryTimeout extends Error {}

/** POSTs a query to `<url>/sparql`; a 503 (the server's time limit) is a QueryTimeout. */
export async function httpQuery(
  url: string,
  query: BenchQuery,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string> {
  let response: Response;
  const limit = AbortSignal.timeout(timeoutMs);
  try {
    response = await fetch(`${url}/sparql`, {
      method: 'POST',
      headers: { 'content-type': 'application/sparql-query', accept: mediaTypeFor(query.form) },
      body: query.text,
      signal: signal ? AbortSignal.any([signal, limit]) : limit,
    });
  } catch (error) {
    if (limit.aborted || signal?.aborted) throw new QueryTimeout('client time limit');
    throw error;
  }
  const body = await response.text();
  if (response.status === 503) throw new QueryTimeout(body);
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${body.slice(0, 300)}`);
  return body;
}

// ------------------------------------------------------------------------------------------------
// Timing policy and statistics
// ------------------------------------------------------------------------------------------------

export interface Policy {
  /** Timed runs wanted (after the warm-up). */
  runs: number;
  warmups: number;
  /** A single run past this is a timeout: the query is not repeated. */
  timeoutMs: number;
  /** Time allowed for the timed runs of one query: a slow query stops after fewer runs. */
  budgetMs: number;
}

export const DEFAULT_POLICY: Policy = { runs: 20, warmups: 3, timeoutMs: 30_000, budgetMs: 20_000 };

export interface Measurement {
  status: 'ok' | 'timeout' | 'error';
  /** Timed runs, in ms. */
  samples: number[];
  median?: number;
  p95?: number;
  /** The result of the first run. */
  result?: string;
  error?: string;
}

/**
 * Runs a query: one first run (a warm-up, whose result is kept for the check) and up to
 * `warmups - 1` more warm-ups, then up to `runs` timed runs. A run past the time limit makes the
 * query a timeout, not repeated; when the timed runs have used the budget, fewer are taken (at
 * least one). `run` receives an AbortSignal that fires at the time limit.
 */
export async function measure(
  run: (signal: AbortSignal) => Promise<string>,
  policy: Policy,
): Promise<Measurement> {
  const once = async (): Promise<{ ms: number; result: string }> => {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new QueryTimeout(`over ${policy.timeoutMs} ms`));
      }, policy.timeoutMs);
    });
    const started = performance.now();
    try {
      const result = await Promise.race([run(controller.signal), deadline]);
      const ms = performance.now() - started;
      // A synchronous engine cannot be interrupted: it is judged when it returns.
      if (ms > policy.timeoutMs) throw new QueryTimeout(`took ${Math.round(ms)} ms`);
      return { ms, result };
    } finally {
      clearTimeout(timer);
    }
  };
  const samples: number[] = [];
  let result: string | undefined;
  try {
    const first = await once();
    result = first.result;
    let warmupTime = first.ms;
    for (let i = 1; i < policy.warmups && warmupTime < policy.budgetMs / 4; i++) {
      warmupTime += (await once()).ms;
    }
    let spent = 0;
    while (samples.length < policy.runs && (samples.length === 0 || spent < policy.budgetMs)) {
      const { ms } = await once();
      samples.push(ms);
      spent += ms;
    }
  } catch (error) {
    if (error instanceof QueryTimeout) return { status: 'timeout', samples, result };
    return { status: 'error', samples, result, error: (error as Error).message };
  }
  return { status: 'ok', samples, median: median(samples), p95: percentile(samples, 95), result };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export function geometricMean(values: number[]): number {
  if (values.length === 0) return NaN;
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

// ------------------------------------------------------------------------------------------------
// Processes
// ------------------------------------------------------------------------------------------------

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Stops a process the benchmark started: SIGTERM, then SIGKILL after 5 s. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited(child);
  clearTimeout(timer);
}

/** The process's resident set now and at its peak, in bytes (Linux /proc; else memoryUsage). */
export function residentMemory(pid: number | 'self' = 'self'): { rss?: number; peak?: number } {
  try {
    const status: string = readProcStatus(pid);
    const kb = (field: string) => {
      const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) * 1024 : undefined;
    };
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return pid === 'self' ? { rss: process.memoryUsage().rss } : {};
  }
}

function readProcStatus(pid: number | 'self'): string {
  const fd = openSync(`/proc/${pid}/status`, 'r');
  try {
    const buffer = Buffer.alloc(16384);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

// ------------------------------------------------------------------------------------------------
// Result check
// ------------------------------------------------------------------------------------------------

interface JsonTerm {
  type: string;
  value: string;
  'xml:lang'?: string;
  datatype?: string;
}

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

function termKey(term: JsonTerm): string {
  switch (term.type) {
    case 'uri':
      return `<${term.value}>`;
    case 'bnode':
      // Blank-node labels are the engine's own: only their presence is compared.
      return '_:';
    default: {
      const lang = term['xml:lang'];
      if (lang) return `${JSON.stringify(term.value)}@${lang.toLowerCase()}`;
      const datatype =
        term.datatype && term.datatype !== RDF_LANG_STRING ? term.datatype : XSD_STRING;
      return `${JSON.stringify(term.value)}^^<${datatype}>`;
    }
  }
}

export type CanonicalResult =
  | { kind: 'boolean'; value: boolean }
  | { kind: 'rows'; rows: string[] }
  | { kind: 'graph'; quads: Quad[] };

/** Reads a serialised result into a comparable form: a boolean, sorted rows, or quads. */
export function canonicalResult(form: QueryForm, text: string): CanonicalResult {
  if (form === 'CONSTRUCT' || form === 'DESCRIBE') {
    const quads = new Parser({ format: 'application/n-triples' }).parse(text);
    return { kind: 'graph', quads };
  }
  const json = JSON.parse(text) as {
    boolean?: boolean;
    results?: { bindings: Record<string, JsonTerm>[] };
  };
  if (typeof json.boolean === 'boolean') return { kind: 'boolean', value: json.boolean };
  const rows = (json.results?.bindings ?? []).map((binding) =>
    Object.keys(binding)
      .sort()
      .map((name) => `${name}=${termKey(binding[name] as JsonTerm)}`)
      .join('\t'),
  );
  return { kind: 'rows', rows: rows.sort() };
}

/** How big a result is: rows, distinct triples, or the boolean. */
export function resultSize(result: CanonicalResult): string {
  if (result.kind === 'boolean') return String(result.value);
  if (result.kind === 'rows') return String(result.rows.length);
  return String(new Set(result.quads.map((q) => quadKey(q))).size);
}

function quadKey(q: Quad): string {
  return `${q.subject.termType === 'BlankNode' ? '_:' : q.subject.value} ${q.predicate.value} ${
    q.object.termType === 'BlankNode' ? '_:' : q.object.id
  }`;
}

export interface Comparison {
  same: boolean;
  detail: string;
  /** The size of each side. */
  sizes: [string, string];
}

/**
 * SELECT: the same multiset of rows (blank nodes compared by presence only); ASK: the same
 * boolean; CONSTRUCT/DESCRIBE: isomorphic graphs (as sets: an engine may repeat a triple).
 */
export function compareResults(form: QueryForm, left: string, right: string): Comparison {
  const a = canonicalResult(form, left);
  const b = canonicalResult(form, right);
  const sizes: [string, string] = [resultSize(a), resultSize(b)];
  if (a.kind === 'boolean' && b.kind === 'boolean') {
    return { same: a.value === b.value, detail: `${a.value} vs ${b.value}`, sizes };
  }
  if (a.kind === 'rows' && b.kind === 'rows') {
    if (a.rows.length !== b.rows.length) {
      return { same: false, detail: `${a.rows.length} vs ${b.rows.length} rows`, sizes };
    }
    const differing = a.rows.findIndex((row, i) => row !== b.rows[i]);
    return differing < 0
      ? { same: true, detail: `${a.rows.length} rows`, sizes }
      : {
          same: false,
          detail: `row differs: ${a.rows[differing]} | ${b.rows[differing]}`,
          sizes,
        };
  }
  if (a.kind === 'graph' && b.kind === 'graph') {
    const same = isomorphicDatasets(toN3(a.quads), toN3(b.quads));
    return { same, detail: `${sizes[0]} vs ${sizes[1]} triples`, sizes };
  }
  return { same: false, detail: `different kinds of result (${a.kind}, ${b.kind})`, sizes };
}

function toN3(quads: Quad[]): Quad[] {
  // Isomorphism is checked on the triples, whatever graph the serialisation put them in.
  return quads.map((q) => DataFactory.quad(q.subject, q.predicate, q.object));
}

/** The commit a figure comes from, marked when the tree holds uncommitted changes. */
export function commitDescription(root: string): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--untracked-files=no');
    return `${head}${dirty ? ' (with uncommitted changes)' : ''}`;
  } catch {
    return '?';
  }
}
