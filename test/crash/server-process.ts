import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { PROJECT_ROOT } from '../../src/paths.js';

/** The built command line; `npm test` builds dist/ first (pretest). */
export const BIN = join(PROJECT_ROOT, 'dist', 'cli', 'bin.js');

const LISTENING = /communs-kg listening on (http:\/\/\S+)\/sparql with \d+ quads/;
const START_TIMEOUT_MS = 120_000;

/** A fresh data directory under the system's temp folder. */
export const crashDataDir = () => mkdtempSync(join(tmpdir(), 'communs-kg-crash-'));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * `communs-kg serve` as a child process of the test: a real process that can be killed without
 * notice (SIGKILL), unlike a server started inside the test's own process.
 */
export class ServerProcess {
  /** Resolves when the process has exited, whatever the reason. */
  readonly exited: Promise<Exit>;

  private constructor(
    private readonly child: ChildProcessByStdio<null, Readable, Readable>,
    readonly url: string,
    exited: Promise<Exit>,
    private readonly printed: { stdout: string; stderr: string },
  ) {
    this.exited = exited;
  }

  /**
   * Starts the server on `dataDir` (seeded from ontology/ and data/ when empty) on a free port and
   * resolves once it prints that it accepts connections.
   */
  static start(
    dataDir: string,
    options: {
      adminToken: string;
      baseIri: string;
      /** An external store to keep the graph in (else the embedded store). */
      store?: { url: string; user: string; password: string };
    },
  ) {
    const { store } = options;
    const storeFlags = store
      ? ['--store-url', store.url, '--store-user', store.user, '--store-password', store.password]
      : [];
    // The child gets its settings from flags only; jest's NODE_OPTIONS is not for it.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => name !== 'NODE_OPTIONS' && name !== 'PORT' && !name.startsWith('COMMUNS_'),
      ),
    );
    const child = spawn(
      process.execPath,
      [
        BIN,
        'serve',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--data-dir',
        dataDir,
        '--base-iri',
        options.baseIri,
        '--admin-token',
        options.adminToken,
        '--query-workers',
        '1',
        '--log-level',
        'warn',
        ...storeFlags,
      ],
      { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    const printed = { stdout: '', stderr: '' };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (printed.stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (printed.stderr += chunk));
    const everything = () => `${printed.stdout}${printed.stderr}`;
    return new Promise<ServerProcess>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`no "listening" line within ${START_TIMEOUT_MS} ms:\n${everything()}`));
      }, START_TIMEOUT_MS);
      const onData = () => {
        const match = LISTENING.exec(printed.stdout);
        if (!match) return;
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(new ServerProcess(child, match[1] as string, exited, printed));
      };
      child.stdout.on('data', onData);
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        // No effect once resolved: only a start that failed is reported.
        reject(
          new Error(`the server exited (${code ?? signal}) before listening:\n${everything()}`),
        );
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** What the server printed: its start-up lines, then warnings and errors (pino, JSON lines). */
  output(): string {
    return `${this.printed.stdout}${this.printed.stderr}`;
  }

  /** Log lines at level error or above (pino: 50 error, 60 fatal). */
  errorLogLines(): string[] {
    return this.output()
      .split('\n')
      .filter((line) => {
        if (!line.startsWith('{')) return false;
        try {
          return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 50;
        } catch {
          return false;
        }
      });
  }

  /** Kills the process at once: no signal handler runs, nothing is flushed or closed. */
  async kill(): Promise<Exit> {
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }
}
