import { parentPort, workerData } from 'node:worker_threads';
import type { EngineOptions } from './engine.js';
import type { EngineName, Replica, ReplicaQuery } from './replica.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

/**
 * A query worker: a replica of the store and an engine in its own thread, so that the main
 * thread stays responsive and a query past its time can be stopped by ending the thread.
 */
const port = parentPort;
if (!port) throw new Error('query-worker.js must run in a worker thread');

const { engine, ...options } = workerData as EngineOptions & { engine: EngineName };
// Only the chosen engine is imported: a worker's start-up is mostly module loading.
const replica: Replica =
  engine === 'oxigraph'
    ? new (await import('./oxigraph-replica.js')).OxigraphReplica(options)
    : new (await import('./comunica-replica.js')).ComunicaReplica(options);
let current: { id: number; stream: NodeJS.ReadableStream & { destroy?: () => void } } | undefined;

const HOLD_BYTES = 4096;

const post = (message: FromWorker) => port.postMessage(message);

async function runQuery(id: number, query: ReplicaQuery): Promise<void> {
  let started = false;
  try {
    const stream = await replica.evaluate(query);
    current = { id, stream };
    // Output is held back until it reaches HOLD_BYTES (or ends): the results' head, which some
    // serialisers write in several chunks, must not start the response of a query that then
    // produces nothing before its time runs out, so that it can still be answered with a 503.
    let held: string | undefined = '';
    const send = (data: string) => {
      started = true;
      post({ type: 'chunk', id, data });
    };
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer | string) => {
        if (held === undefined) return send(chunk.toString());
        held += chunk.toString();
        if (held.length >= HOLD_BYTES) {
          send(held);
          held = undefined;
        }
      });
      stream.on('error', reject);
      stream.on('end', resolve);
      stream.on('close', resolve);
    });
    if (held) send(held);
    post({ type: 'end', id });
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (error instanceof RangeError || (error as Error).name === 'RuntimeError') {
      // A trap (WebAssembly.RuntimeError) or a stack overflow inside the engine's WebAssembly leaves its state (its stack
      // pointer, its allocator) wherever it was: the replica cannot be trusted any more, and the
      // pool replaces this worker.
      const reason = `the query is too large or too deeply structured for the engine (${message})`;
      post({ type: 'error', id, message: reason, started, fatal: true });
    } else {
      post({ type: 'error', id, message, started });
    }
  } finally {
    current = undefined;
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'load':
      replica.load(message.nquads);
      post({ type: 'chunk-taken' });
      break;
    case 'loaded':
      post({ type: 'ready' });
      break;
    case 'change':
      replica.change(message.steps);
      break;
    case 'query': {
      const { id, ...query } = message;
      void runQuery(id, query);
      break;
    }
    case 'pause':
      if (current?.id === message.id) current.stream.pause();
      break;
    case 'resume':
      if (current?.id === message.id) current.stream.resume();
      break;
    case 'cancel':
      if (current?.id === message.id) current.stream.destroy?.();
      break;
  }
});
