import { writeFile } from 'node:fs/promises';
import { formatFromExtension, type RdfFormat } from '../rdf/formats.js';
import { PREFIXES } from '../rdf/namespaces.js';
import { RdfSyntaxError } from '../rdf/parse.js';
import { serializeRdf } from '../rdf/serialize.js';
import { displayTerm } from '../rdf/terms.js';
import {
  loadGraph,
  projectSources,
  validateLoadedGraph,
  type LoadedGraph,
} from '../graph/loader.js';
import { formatViolation } from '../graph/validation.js';
import { SparqlEngine } from '../sparql/engine.js';
import type { Settings } from '../config/settings.js';
import { startServer, type RunningServer } from '../http/server.js';
import { BaseIriMismatchError, InvalidSeedError, readSeededGraph } from '../graph/open.js';
import type { GraphStore } from '../store/graph-store.js';
import { AccountError, Accounts } from '../graph/accounts.js';
import { Database } from '../store/database.js';

/** What a command prints and the exit code it asks for; commands never call process.exit. */
export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

export class UsageError extends Error {}

function describeCounts(graph: LoadedGraph): string {
  return (
    `${graph.store.size} triples (ontology ${graph.ontology.length}, data ${graph.data.length}, ` +
    `Wikidata view ${graph.derived.length})`
  );
}

/** Loads the project graph, turning a syntax error into a located message and exit code 1. */
async function load(settings: Settings, io: Output, dataFiles?: string[]) {
  const sources = await projectSources();
  if (dataFiles && dataFiles.length > 0) sources.dataFiles = dataFiles;
  try {
    return await loadGraph(settings.baseIri, sources);
  } catch (error) {
    if (error instanceof RdfSyntaxError) {
      io.err(`Syntax error in ${error.message}\nNothing was loaded.\n`);
      return undefined;
    }
    throw error;
  }
}

export async function validateCommand(
  settings: Settings,
  files: string[],
  io: Output,
): Promise<number> {
  const graph = await load(settings, io, files);
  if (!graph) return 1;
  const outcome = await validateLoadedGraph(graph);
  if (outcome.conforms) {
    io.out(`Valid: ${describeCounts(graph)} conform to the shapes.\n`);
    return 0;
  }
  io.err(`${outcome.violations.length} SHACL violation(s):\n`);
  for (const violation of outcome.violations) io.err(`- ${formatViolation(violation)}\n`);
  return 1;
}

export type TableFormat = 'table' | 'json' | 'csv';

/**
 * The graph the read commands work on: the data directory's database when it has been seeded
 * (contributions included, read while a server may run), else the files of ontology/ and data/.
 */
async function readGraph(
  settings: Settings,
  io: Output,
): Promise<{ store: GraphStore; origin: string } | undefined> {
  try {
    const live = readSeededGraph(settings.dataDir, settings.baseIri);
    if (live) return { store: live, origin: `the database in ${settings.dataDir}` };
  } catch (error) {
    if (!(error instanceof BaseIriMismatchError)) throw error;
    io.err(`${error.message}\n`);
    return undefined;
  }
  const graph = await load(settings, io);
  return graph && { store: graph.store, origin: 'the files of ontology/ and data/' };
}

export async function queryCommand(
  settings: Settings,
  query: string,
  format: TableFormat,
  io: Output,
): Promise<number> {
  const graph = await readGraph(settings, io);
  if (!graph) return 1;
  const engine = new SparqlEngine(graph.store, settings);
  const form = engine.check(query);
  if (format === 'table' && form === 'SELECT') {
    const { variables, rows } = await engine.select(query);
    io.out(renderTable(variables, rows, { ...PREFIXES, '': settings.baseIri }));
    return 0;
  }
  if (format === 'table' && form === 'ASK') {
    io.out(`${await engine.ask(query)}\n`);
    return 0;
  }
  const mediaType =
    form === 'CONSTRUCT' || form === 'DESCRIBE'
      ? format === 'json'
        ? 'application/ld+json'
        : 'text/turtle'
      : format === 'csv'
        ? 'text/csv'
        : 'application/sparql-results+json';
  const stream = await engine.serialize(query, mediaType);
  for await (const chunk of stream) io.out(chunk.toString());
  return 0;
}

function renderTable(
  variables: string[],
  rows: Record<string, import('n3').Term>[],
  prefixes: Record<string, string>,
): string {
  const cells = rows.map((row) =>
    variables.map((v) => (row[v] ? displayTerm(row[v], prefixes) : '')),
  );
  const widths = variables.map((v, i) =>
    Math.min(80, Math.max(v.length, ...cells.map((line) => line[i]?.length ?? 0))),
  );
  const fit = (text: string, width: number) =>
    text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
  const line = (values: string[]) =>
    `| ${values.map((value, i) => fit(value, widths[i] ?? 0)).join(' | ')} |\n`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`;
  return `${line(variables)}${rule}${cells.map(line).join('')}${rows.length} row(s)\n`;
}

export async function exportCommand(
  settings: Settings,
  formatName: string,
  outFile: string | undefined,
  io: Output,
): Promise<number> {
  const format: RdfFormat | undefined = formatFromExtension(formatName);
  if (!format || formatName === 'json') {
    throw new UsageError(`unknown export format "${formatName}" (ttl, jsonld, nt, nq, trig)`);
  }
  const graph = await readGraph(settings, io);
  if (!graph) return 1;
  const text = await serializeRdf(graph.store.quads(), format, {
    prefixes: { ...PREFIXES, kg: settings.baseIri },
  });
  if (outFile) {
    await writeFile(outFile, text);
    io.err(`Wrote ${graph.store.size} quads (${graph.origin}) to ${outFile}\n`);
  } else {
    io.out(text);
  }
  return 0;
}

/**
 * Starts the server on the data directory's database (seeded from ontology/ and data/ when empty,
 * after SHACL validation); resolves once it listens.
 */
export async function serveCommand(
  settings: Settings,
  io: Output,
): Promise<RunningServer | undefined> {
  let server: RunningServer;
  try {
    server = await startServer(settings);
  } catch (error) {
    if (error instanceof RdfSyntaxError) {
      io.err(`Syntax error in ${error.message}\nNothing was stored.\n`);
    } else if (error instanceof InvalidSeedError) {
      io.err(`Refusing to start: ${error.violations.length} SHACL violation(s) in the seed:\n`);
      for (const violation of error.violations) io.err(`- ${formatViolation(violation)}\n`);
    } else if (error instanceof BaseIriMismatchError) {
      io.err(`Refusing to start: ${error.message}\n`);
    } else {
      throw error;
    }
    return undefined;
  }
  if (server.seeded) io.out(`Seeded ${settings.dataDir} from ontology/ and data/.\n`);
  for (const file of server.changedSeedFiles) {
    io.err(
      `${file} changed since the database was seeded; it is not merged over contributions ` +
        '(submit the change as a changeset).\n',
    );
  }
  io.out(`communs-kg listening on ${server.url}/sparql with ${server.store.size} quads\n`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      io.err(`${signal} received, stopping.\n`);
      // Closing the listener and the query workers leaves nothing to keep the process alive.
      void server.close();
    });
  }
  return server;
}

/**
 * `communs-kg user add NAME --role ROLE | token NAME [--label L] | revoke TOKEN_ID | list`: accounts
 * in the data directory's database (usable while the server runs: SQLite in WAL mode). A token is
 * printed once; only its scrypt hash is kept.
 */
export function userCommand(
  settings: Settings,
  args: string[],
  options: { role?: string; label?: string },
  io: Output,
): number {
  const [action, target, ...extra] = args;
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
  const db = Database.open(settings.dataDir);
  try {
    const accounts = new Accounts(db);
    switch (action) {
      case 'add': {
        if (!target || !options.role) throw new UsageError('user add needs NAME and --role ROLE');
        const { user, token } = accounts.addUser(target, options.role);
        io.out(`Created ${user.role} ${user.name}. Token (shown once, keep it now):\n${token}\n`);
        return 0;
      }
      case 'token': {
        if (!target) throw new UsageError('user token needs NAME');
        const { id, token } = accounts.createToken(target, options.label);
        io.out(`Token ${id} for ${target} (shown once, keep it now):\n${token}\n`);
        return 0;
      }
      case 'revoke': {
        const id = Number(target);
        if (!Number.isSafeInteger(id)) throw new UsageError('user revoke needs a TOKEN_ID number');
        const info = accounts.revokeToken(id);
        io.out(`Token ${info.id} of ${info.user} revoked at ${info.revokedAt}.\n`);
        return 0;
      }
      case 'list': {
        if (target) throw new UsageError(`unexpected argument ${target}`);
        for (const user of accounts.users()) {
          const live = accounts.tokensOf(user.name).filter((t) => !t.revokedAt);
          io.out(
            `${user.name}\t${user.role}\t${live.length} live token(s): ${live.map((t) => t.id).join(', ') || '-'}\n`,
          );
        }
        return 0;
      }
      default:
        throw new UsageError('user needs one of: add, token, revoke, list');
    }
  } catch (error) {
    if (error instanceof AccountError) {
      io.err(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    db.close();
  }
}
