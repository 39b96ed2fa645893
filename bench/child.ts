/**
 * One engine, in-process, in a process of its own (so that its RSS is its own): loads the
 * generated file, reports the load time and memory, then measures the queries from index `--from`
 * and writes each first result to `--out`. Started by run.ts with `node --import tsx`, which it
 * talks to over IPC. communs-kg cannot stop a Comunica evaluation that ran past its time limit,
 * so after a timeout this process exits and run.ts starts a fresh one for the next query.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  loadEngine,
  loadQueries,
  measure,
  residentMemory,
  type EngineName,
  type Measurement,
  type Policy,
} from './harness.js';

export type ChildMessage =
  | { type: 'loaded'; triples: number; loadMs: number; rss?: number; peak?: number }
  | { type: 'start'; index: number }
  | { type: 'query'; index: number; measurement: Omit<Measurement, 'result'>; resultFile?: string }
  | { type: 'restart'; next: number }
  | { type: 'done'; rss?: number; peak?: number };

const send = (message: ChildMessage) =>
  new Promise<void>((resolve, reject) => {
    if (!process.send) return reject(new Error('child.ts must be started with an IPC channel'));
    process.send(message, (error: Error | null) => (error ? reject(error) : resolve()));
  });

const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string' },
      data: { type: 'string' },
      queries: { type: 'string' },
      from: { type: 'string', default: '0' },
      runs: { type: 'string' },
      warmups: { type: 'string' },
      timeout: { type: 'string' },
      budget: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const engineName = values.engine as EngineName;
  const policy: Policy = {
    runs: Number(values.runs),
    warmups: Number(values.warmups),
    timeoutMs: Number(values.timeout),
    budgetMs: Number(values.budget),
  };
  const queries = await loadQueries(values.queries || undefined);
  const engine = await loadEngine(engineName, values.data as string);
  gc();
  const memory = residentMemory();
  await send({ type: 'loaded', triples: engine.triples, loadMs: engine.loadMs, ...memory });

  for (let index = Number(values.from); index < queries.length; index++) {
    const query = queries[index];
    if (!query) break;
    await send({ type: 'start', index });
    const { result, ...measurement } = await measure((signal) => engine.run(query, signal), policy);
    let resultFile: string | undefined;
    if (result !== undefined && values.out) {
      resultFile = join(values.out, `inprocess-${engineName}-${query.name}.txt`);
      writeFileSync(resultFile, result);
    }
    await send({ type: 'query', index, measurement, resultFile });
    if (measurement.status === 'timeout' && engineName === 'communs-kg') {
      // The evaluation may still be running: a fresh process takes over from the next query.
      await send({ type: 'restart', next: index + 1 });
      process.exit(0);
    }
  }
  gc();
  await send({ type: 'done', ...residentMemory() });
  process.exit(0);
}

await main();
