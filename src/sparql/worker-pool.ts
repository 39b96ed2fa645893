import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.js';
import type { EngineOptions } from './engine.js';
import type { EngineName, ReplicaQuery } from './replica.js';
import type { ChangeStep, FromWorker, ToWorker } from './worker-protocol.js';

/** The query ran past its time and was stopped. */
export class QueryTimeoutError extends Error {}
/** Every worker is busy and the waiting line is full. */
export class QueryPoolBusyError extends Error {}
/** The engine could not evaluate the query, or failed while streaming its results. */
export class QueryEvaluationError extends Error {
  constructor(
    message: string,
    /** Whether part of the result had already been sent. */
    readonly started: boolean,
  ) {
    super(message);
  }
}

/**
 * A SERVICE endpoint failed (`timedOut`: it did not answer in time). The worker says so in the
 * message, which starts with `SERVICE <endpoint>` (comunica-replica.ts, RemoteEndpointError).
 */
export class RemoteEndpointError extends QueryEvaluationError {
  constructor(
    message: string,
    started: boolean,
    readonly timedOut: boolean,
  ) {
    super(message, started);
  }
}

function evaluationError(message: string, started: boolean): QueryEvaluationError {
  if (!/^SERVICE <[^>]*> /.test(message)) return new QueryEvaluationError(message, started);
  return new RemoteEndpointError(message, started, /^SERVICE <[^>]*> did not answer/.test(message));
}

/** Where a query's serialised result goes; `write` returns false to ask for a pause. */
export interface ResultSink {
  write(chunk: string): boolean;
  end(): void;
  fail(error: Error): void;
}

export interface QueryHandle {
  /** The client went away: stop producing results. */
  cancel(): void;
  /** The sink drained after a pause. */
  resume(): void;
}

export interface QueryPoolOptions {
  engine: EngineOptions;
  /** Which engine evaluates in the workers. */
  engineName: EngineName;
  size: number;
  timeoutMs: number;
  /** Heap limit of each worker: a query that needs more ends its worker, not the server. */
  memoryLimitMb: number;
  maxWaiting: number;
}

interface Job {
  id: number;
  query: ReplicaQuery;
  sink: ResultSink;
  timer?: NodeJS.Timeout;
  worker?: PooledWorker;
  cancelled: boolean;
}

interface PooledWorker {
  thread: Worker;
  ready: boolean;
  job?: Job;
  /** Called when the worker has taken in the last snapshot chunk sent. */
  chunkTaken?: () => void;
}

const WORKER_SCRIPT = join(PROJECT_ROOT, 'dist', 'sparql', 'query-worker.js');

/**
 * Evaluates queries in worker threads, each holding a replica of the store: the main thread keeps
 * answering while a query runs, and a query past its time is stopped by ending its worker, which
 * is then replaced. Changes to the store are sent to every replica in order, so a query sent after
 * a change sees it.
 */
export class QueryPool {
  private readonly workers = new Set<PooledWorker>();
  private readonly waiting: Job[] = [];
  private readonly readyWaiters: (() => void)[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    /**
     * The whole store as N-Quads, in chunks, read when a worker starts. It may wait for the store
     * to load; if it fails, the workers stay unready and the pool's owner, which awaits the same
     * load, closes the pool.
     */
    private readonly snapshot: () => Promise<Iterable<string>>,
    private readonly options: QueryPoolOptions,
  ) {
    for (let i = 0; i < options.size; i++) this.spawn();
  }

  /** Resolves once `count` workers (by default all of them) have loaded their replica. */
  async ready(count = this.options.size): Promise<void> {
    const readyCount = () => [...this.workers].filter((w) => w.ready).length;
    while (readyCount() < Math.min(count, this.options.size)) {
      await new Promise<void>((resolve) => this.readyWaiters.push(resolve));
    }
  }

  /** How many queries a worker is evaluating right now. */
  get running(): number {
    return [...this.workers].filter((worker) => worker.job).length;
  }

  run(query: ReplicaQuery, sink: ResultSink): QueryHandle {
    if (this.waiting.length >= this.options.maxWaiting) {
      throw new QueryPoolBusyError('all query workers are busy; try again shortly');
    }
    const job: Job = { id: this.nextId++, query, sink, cancelled: false };
    job.timer = setTimeout(() => this.timeOut(job), this.options.timeoutMs);
    this.waiting.push(job);
    this.dispatch();
    return {
      cancel: () => {
        job.cancelled = true;
        if (job.worker) {
          this.send(job.worker, { type: 'cancel', id: job.id });
        } else {
          this.waiting.splice(this.waiting.indexOf(job), 1);
          this.finish(job);
        }
      },
      resume: () => {
        if (job.worker) this.send(job.worker, { type: 'resume', id: job.id });
      },
    };
  }

  /** Sends a change to every replica; the main store must already hold it. */
  applyChange(steps: ChangeStep[]): void {
    for (const worker of this.workers) this.send(worker, { type: 'change', steps });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) this.finish(job);
    await Promise.all([...this.workers].map((w) => w.thread.terminate()));
    this.workers.clear();
  }

  private spawn(): void {
    const thread = new Worker(WORKER_SCRIPT, {
      workerData: {
        ...this.options.engine,
        engine: this.options.engineName,
        queryTimeoutMs: this.options.timeoutMs,
      },
      resourceLimits: { maxOldGenerationSizeMb: this.options.memoryLimitMb },
    });
    const worker: PooledWorker = { thread, ready: false };
    this.workers.add(worker);
    thread.on('message', (message: FromWorker) => this.onMessage(worker, message));
    thread.on('error', (error) => this.onExit(worker, error));
    thread.on('exit', () => this.onExit(worker));
    void this.feed(worker);
  }

  /**
   * Sends the snapshot chunk by chunk, each after the worker took the previous one, so that the
   * store's text never sits whole in memory. Writes meanwhile are sent in order between chunks.
   */
  private async feed(worker: PooledWorker): Promise<void> {
    let chunks: Iterable<string>;
    try {
      chunks = await this.snapshot();
    } catch {
      return;
    }
    for (const nquads of chunks) {
      if (!this.workers.has(worker)) return;
      const taken = new Promise<void>((resolve) => (worker.chunkTaken = resolve));
      this.send(worker, { type: 'load', nquads });
      await taken;
    }
    this.send(worker, { type: 'loaded' });
  }

  private send(worker: PooledWorker, message: ToWorker): void {
    worker.thread.postMessage(message);
  }

  private dispatch(): void {
    for (const worker of this.workers) {
      if (!worker.ready || worker.job) continue;
      const job = this.waiting.shift();
      if (!job) return;
      worker.job = job;
      job.worker = worker;
      this.send(worker, { type: 'query', id: job.id, ...job.query });
    }
  }

  private onMessage(worker: PooledWorker, message: FromWorker): void {
    if (message.type === 'chunk-taken') {
      worker.chunkTaken?.();
      return;
    }
    if (message.type === 'ready') {
      worker.ready = true;
      for (const wake of this.readyWaiters.splice(0)) wake();
      this.dispatch();
      return;
    }
    const job = worker.job;
    if (!job || job.id !== message.id) return;
    if (message.type === 'chunk') {
      if (!job.cancelled && !job.sink.write(message.data)) {
        this.send(worker, { type: 'pause', id: job.id });
      }
      return;
    }
    if (message.type === 'error' && !job.cancelled) {
      job.sink.fail(evaluationError(message.message, message.started));
    } else if (message.type === 'end' && !job.cancelled) {
      job.sink.end();
    }
    this.finish(job);
    worker.job = undefined;
    if (message.type === 'error' && message.fatal) {
      // Replaced once it has exited (onExit), like a worker ended at the time limit.
      worker.ready = false;
      void worker.thread.terminate();
    }
    this.dispatch();
  }

  private timeOut(job: Job): void {
    if (job.cancelled) return;
    job.cancelled = true;
    job.sink.fail(
      new QueryTimeoutError(`the query exceeded the time limit of ${this.options.timeoutMs} ms`),
    );
    const index = this.waiting.indexOf(job);
    if (index >= 0) this.waiting.splice(index, 1);
    // Ending the thread is the only sure way to stop a busy engine; a fresh one replaces it.
    if (job.worker) void job.worker.thread.terminate();
  }

  private onExit(worker: PooledWorker, error?: Error): void {
    if (!this.workers.delete(worker)) return;
    worker.chunkTaken?.();
    const job = worker.job;
    if (job && !job.cancelled) {
      job.cancelled = true;
      const reason = error?.message.includes('memory')
        ? 'the query needed more memory than a query may use'
        : `the query worker stopped${error ? `: ${error.message}` : ''}`;
      job.sink.fail(new QueryEvaluationError(reason, false));
    }
    if (job) this.finish(job);
    if (!this.closed) this.spawn();
  }

  private finish(job: Job): void {
    clearTimeout(job.timer);
  }
}
