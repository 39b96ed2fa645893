import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../../src/paths.js';
import { ADMIN_TOKEN } from './server.js';

/**
 * A server in a process of its own (the built dist/), on a given data directory: unlike a server
 * restarted inside the test process, a new process starts with none of the old one's in-memory
 * state (module-level counters, caches), as a real restart does.
 */
export interface ProcessServer {
  url: string;
  close(): Promise<void>;
}

const SCRIPT = `
const { resolveSettings } = await import(process.env.COLLAB_SETTINGS_MODULE);
const { startServer } = await import(process.env.COLLAB_SERVER_MODULE);
const settings = resolveSettings(
  { port: '0', 'log-level': 'silent', 'query-workers': '1',
    'admin-token': process.env.COLLAB_ADMIN_TOKEN, 'data-dir': process.env.COLLAB_DATA_DIR },
  {},
);
const server = await startServer(settings);
await server.allWorkersReady();
process.on('SIGTERM', () => {
  server.close().then(() => process.exit(0), () => process.exit(1));
});
process.stdout.write('READY ' + server.url + '\\n');
`;

/** How long a server process may take to start before the test gives up on it. */
const START_TIMEOUT_MS = 45_000;

export function startProcessServer(dataDir: string): Promise<ProcessServer> {
  const module = (path: string) => pathToFileURL(join(PROJECT_ROOT, 'dist', path)).href;
  // A script file, not `node -e`: worker threads inherit the parent's execArgv, -e included.
  const scriptDir = mkdtempSync(join(tmpdir(), 'communs-kg-collab-'));
  const script = join(scriptDir, 'server.mjs');
  writeFileSync(script, SCRIPT);
  const child: ChildProcess = spawn(process.execPath, [script], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      COLLAB_SETTINGS_MODULE: module('config/settings.js'),
      COLLAB_SERVER_MODULE: module('http/server.js'),
      COLLAB_ADMIN_TOKEN: ADMIN_TOKEN,
      COLLAB_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      rmSync(scriptDir, { recursive: true, force: true });
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server process did not start within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    let stdout = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = /READY (\S+)\n/.exec(stdout);
      if (!ready) return;
      clearTimeout(timer);
      resolve({
        url: ready[1] as string,
        close: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server process ended (${code}) before it was ready: ${stderr}`));
    });
  });
}
