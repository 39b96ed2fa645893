/**
 * `npm run conformance`: the W3C SPARQL 1.1 test suite against the server, over HTTP.
 *
 * Starts the server in-process on a free port with an empty store, then for each test empties the
 * store (DROP ALL), loads the data through the Graph Store Protocol, sends the query or update
 * through the SPARQL Protocol and compares. Prints a line per category, the failures, and last
 * `N passed, M failed, K skipped`; exits 1 when N is below the floor in docs/conformance.md.
 *
 *   tsx test/conformance/run.ts [--in-process] [--numeric-by-value] [--filter TEXT] [--suite DIR]
 *
 * --in-process runs Comunica over an N3 store instead of the server: a check of the harness.
 * --numeric-by-value compares numeric literals by value: shows which failures are lexical only.
 * Neither, nor --filter, checks the floor.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../../src/paths.js';
import { resolveSettings } from '../../src/config/settings.js';
import { runTest, skipReason } from './dispatch.js';
import type { Context } from './evaluate.js';
import { HttpTarget } from './http-target.js';
import { InProcessTarget } from './in-process.js';
import { loadManifest } from './manifest.js';
import { printReport, tallyLine, type Outcome } from './report.js';
import type { Target } from './target.js';

const ADMIN_TOKEN = 'conformance';
const DEFAULT_SUITE = resolve(PROJECT_ROOT, '../shared/conformance/rdf-tests/sparql/sparql11');
const DOC = join(PROJECT_ROOT, 'docs/conformance.md');

/** The floor recorded in docs/conformance.md, on a line like `Floor: 483 passed`. */
export async function readFloor(path = DOC): Promise<number | undefined> {
  if (!existsSync(path)) return undefined;
  const match = /Floor:\s*\**\s*(\d+)\s+passed/i.exec(await readFile(path, 'utf8'));
  return match ? Number(match[1]) : undefined;
}

async function startTarget(
  inProcess: boolean,
): Promise<{ target: Target; stop: () => Promise<void> }> {
  if (inProcess) return { target: new InProcessTarget(), stop: async () => {} };
  const { startServer } = await import('../../src/http/server.js');
  const dataDir = await mkdtemp(join(tmpdir(), 'communs-conformance-'));
  const settings = {
    ...resolveSettings({ 'data-dir': dataDir, engine: process.env.COMMUNS_ENGINE }, {}),
    port: 0,
    adminToken: ADMIN_TOKEN,
    logLevel: 'silent',
    // No federation: SERVICE tests address example.org endpoints that must not be fetched.
    serviceAllowList: [],
    // The suite sends its hundreds of queries as fast as it can: no abuse limit.
    rateLimitSparql: 0,
    rateLimitWrites: 0,
  };
  const server = await startServer(settings, { graph: 'empty' });
  return {
    target: new HttpTarget(server.url.replace(/\/$/, ''), ADMIN_TOKEN),
    stop: async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'in-process': { type: 'boolean', default: false },
      'numeric-by-value': { type: 'boolean', default: false },
      filter: { type: 'string' },
      suite: { type: 'string', default: DEFAULT_SUITE },
    },
  });
  const suiteDir = resolve(values.suite ?? DEFAULT_SUITE);
  if (!existsSync(join(suiteDir, 'manifest-all.ttl'))) {
    console.error(
      `The W3C SPARQL 1.1 test suite is absent: no ${join(suiteDir, 'manifest-all.ttl')}.`,
    );
    console.error(
      'It is expected in ../shared/conformance/rdf-tests/sparql/sparql11/ (see its README).',
    );
    return 1;
  }
  const started = Date.now();
  const tests = (await loadManifest(suiteDir)).filter(
    (test) => !values.filter || test.iri.includes(values.filter),
  );
  const { target, stop } = await startTarget(values['in-process'] ?? false);
  console.log(`W3C SPARQL 1.1 test suite: ${tests.length} tests against ${target.name}`);
  const numericByValue = values['numeric-by-value'] ?? false;
  const context: Context = { suiteDir, target, numericByValue };
  const outcomes: Outcome[] = [];
  try {
    for (const test of tests) outcomes.push(await runOne(context, test));
  } finally {
    await stop();
  }
  const totals = printReport(outcomes, (line) => console.log(line));
  console.log(`Ran in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  // The floor is for the real thing: the server, the whole suite, strict term equality.
  const informative = values['in-process'] || values.filter || numericByValue;
  const code = informative ? 0 : await checkFloor(totals.passed);
  console.log(tallyLine(totals));
  return code;
}

/** 0 when the pass count reaches the floor recorded in docs/conformance.md, else 1 (and why). */
async function checkFloor(passed: number): Promise<number> {
  const floor = await readFloor();
  if (floor === undefined) {
    console.log(`No "Floor: N passed" line in ${DOC}: cannot check the pass count.`);
    return 1;
  }
  if (passed < floor) {
    console.log(`${passed} passed is below the floor of ${floor} recorded in docs/conformance.md.`);
    return 1;
  }
  console.log(`Floor of ${floor} passed reached.`);
  return 0;
}

async function runOne(context: Context, test: Outcome['test']): Promise<Outcome> {
  const start = Date.now();
  const skip = skipReason(test, context);
  if (skip) return { test, status: 'skipped', reason: skip, ms: 0 };
  try {
    const verdict = await runTest(context, test);
    return {
      test,
      status: verdict.ok ? 'passed' : 'failed',
      reason: verdict.reason,
      ms: Date.now() - start,
    };
  } catch (error) {
    const reason = `error: ${(error as Error).message.split('\n')[0]}`;
    return { test, status: 'failed', reason, ms: Date.now() - start };
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
