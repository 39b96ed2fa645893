/**
 * `communs-kg serve` on the seed graph (ontology/ and data/) as a child process, on a fresh data
 * directory of its own, for the scripts that measure the server from outside: its RSS is the
 * child's (/proc/<pid>/status, query worker threads included) and none of the measuring client's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/paths.js';
import { stop } from './harness.js';

const BIN = join(PROJECT_ROOT, 'dist', 'cli', 'bin.js');
const LISTENING = /communs-kg listening on (http:\/\/\S+)\/sparql with (\d+) quads/;

export interface SeedServer {
  url: string;
  pid: number;
  quads: number;
  child: ChildProcess;
  /** What it printed (warnings and errors: it logs at `warn`). */
  output(): string;
  /** Stops it (SIGTERM, SIGKILL after 5 s) and removes its data directory. */
  close(): Promise<void>;
}

/** Starts the server with the given flags (`--port 0`, loopback, `--log-level warn` unless given). */
export async function startSeedServer(flags: Record<string, string> = {}): Promise<SeedServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'communs-kg-bench-'));
  const all: Record<string, string> = {
    port: '0',
    host: '127.0.0.1',
    'log-level': 'warn',
    'data-dir': dataDir,
    ...flags,
  };
  // Settings come from the flags only.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => name !== 'NODE_OPTIONS' && name !== 'PORT' && !name.startsWith('COMMUNS_'),
    ),
  );
  const child = spawn(
    process.execPath,
    [BIN, 'serve', ...Object.entries(all).flatMap(([flag, value]) => [`--${flag}`, value])],
    { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let printed = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
  const close = async () => {
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line:\n${printed}`)), 120_000);
    const check = () => {
      const found = LISTENING.exec(printed);
      if (found) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve(found);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before listening:\n${printed}`));
    });
  }).catch(async (error: unknown) => {
    await close();
    throw error;
  });
  return {
    url: match[1] as string,
    pid: child.pid as number,
    quads: Number(match[2]),
    child,
    output: () => printed,
    close,
  };
}

/** Samples a process's RSS every `everyMs` until stopped; the samples, in bytes. */
export function sampleRss(
  read: () => number | undefined,
  everyMs: number,
): { samples: { at: number; rss: number }[]; stop(): void } {
  const samples: { at: number; rss: number }[] = [];
  const started = performance.now();
  const take = () => {
    const rss = read();
    if (rss !== undefined) samples.push({ at: performance.now() - started, rss });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    stop: () => {
      clearInterval(timer);
      take();
    },
  };
}

export const mib = (bytes: number | undefined) =>
  bytes === undefined ? '?' : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
