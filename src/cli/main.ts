import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  resolveSettings,
  SETTING_SOURCES,
  SettingsError,
  type SettingFlag,
} from '../config/settings.js';
import {
  exportCommand,
  queryCommand,
  userCommand,
  serveCommand,
  UsageError,
  validateCommand,
  type Output,
  type TableFormat,
} from './commands.js';
import { QueryRejectedError, QuerySyntaxError } from '../sparql/policy.js';
import { linkCommand } from './link.js';
import { wikidataExportCommand } from './wikidata-export.js';

export const USAGE = `Usage: communs-kg <command> [options]

Commands:
  serve                         start the SPARQL server on the embedded store
  validate [FILE.ttl ...]       parse and SHACL-validate ontology/ and data/ (or the given data files)
  query FILE.rq | --text QUERY  run a SPARQL query  [--format table|json|csv]
  export --format ttl|jsonld|nt|nq|trig [--out FILE]
                                write the whole graph (JSON-LD compacted with ontology/context.jsonld)
  user add NAME --role contributor|moderator|admin
                                create an account in the data directory; prints its token once
  user token NAME [--label L]   a new token for NAME, printed once
  user revoke TOKEN_ID          revoke a token
  user list                     accounts, roles and live token ids
  link --as USER [--offline] [--api URL] [--min-score N] [--interval-ms MS]
                                propose Wikidata items for unlinked entities as a pending changeset
  wikidata-export [--out FILE] [--report FILE] [--dry-run] [--source-url URL]
                  [--retrieved YYYY-MM-DD] [--add-data FILE.ttl ...]
                                QuickStatements (V1) for linked entities; report of what is skipped

Settings (flag, or environment variable):
  --port N                  PORT                        (default 3000)
  --host HOST               COMMUNS_HOST                (default 127.0.0.1)
  --base-iri IRI            COMMUNS_BASE_IRI            (default https://w3id.org/communs-kg/)
  --data-dir DIR            COMMUNS_DATA_DIR            (default ./var)
  --admin-token TOKEN       COMMUNS_ADMIN_TOKEN         (bootstrap admin token; none: no bootstrap admin)
  --query-timeout-ms MS     COMMUNS_QUERY_TIMEOUT_MS    (default 30000)
  --service-allowlist URLS  COMMUNS_SERVICE_ALLOWLIST   (default https://query.wikidata.org/sparql)
  --max-rows N              COMMUNS_MAX_ROWS            (default 100000; 0: no bound)
  --query-workers N         COMMUNS_QUERY_WORKERS       (default 2)
  --query-memory-mb N       COMMUNS_QUERY_MEMORY_MB     (default 4096)
  --body-limit-bytes N      COMMUNS_BODY_LIMIT_BYTES    (default 10485760)
  --log-level LEVEL         COMMUNS_LOG_LEVEL           (default info)
  --engine NAME             COMMUNS_ENGINE              (oxigraph or comunica; default oxigraph)
  --review-period-months N  COMMUNS_REVIEW_PERIOD_MONTHS (default 12: gardening period)
  --rate-limit-sparql N     COMMUNS_RATE_LIMIT_SPARQL   (default 600 queries a minute per client; 0: off)
  --rate-limit-writes N     COMMUNS_RATE_LIMIT_WRITES   (default 120 writes a minute per client; 0: off)
  --store-url URL           COMMUNS_STORE_URL           (an external Virtuoso keeps the graph; see
                                                         docs/deployment.md)
  --store-user NAME         COMMUNS_STORE_USER          (its Digest credentials)
  --store-password SECRET   COMMUNS_STORE_PASSWORD
`;

const settingOptions = Object.fromEntries(
  Object.keys(SETTING_SOURCES).map((flag) => [flag, { type: 'string' }]),
) as ParseArgsConfig['options'];

const commandOptions: Record<string, ParseArgsConfig['options']> = {
  serve: {},
  validate: {},
  query: { text: { type: 'string' }, format: { type: 'string', default: 'table' } },
  export: { format: { type: 'string' }, out: { type: 'string' } },
  user: { role: { type: 'string' }, label: { type: 'string' } },
  link: {
    as: { type: 'string' },
    offline: { type: 'boolean' },
    api: { type: 'string' },
    'min-score': { type: 'string' },
    'interval-ms': { type: 'string' },
  },
  'wikidata-export': {
    out: { type: 'string' },
    report: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'source-url': { type: 'string' },
    retrieved: { type: 'string' },
    'add-data': { type: 'string', multiple: true },
  },
};

export async function run(argv: string[], io: Output): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  const options = commandOptions[command];
  if (!options) {
    io.err(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  try {
    const parsed = parseArgs({
      args: rest,
      options: { ...settingOptions, ...options, help: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    const values = parsed.values as Record<string, string | boolean | undefined>;
    const positionals = parsed.positionals;
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    const settings = resolveSettings(values as Partial<Record<SettingFlag, string>>);
    switch (command) {
      case 'serve':
        return (await serveCommand(settings, io)) ? 0 : 1;
      case 'validate':
        return await validateCommand(settings, positionals, io);
      case 'query': {
        const text = values.text as string | undefined;
        const file = positionals[0];
        if ((text === undefined) === (file === undefined) || positionals.length > 1) {
          throw new UsageError('query needs exactly one of FILE.rq or --text QUERY');
        }
        const format = values.format as string;
        if (!['table', 'json', 'csv'].includes(format)) {
          throw new UsageError(`unknown query format "${format}" (table, json, csv)`);
        }
        const query = text ?? (await readFile(file as string, 'utf8'));
        return await queryCommand(settings, query, format as TableFormat, io);
      }
      case 'user':
        return userCommand(
          settings,
          positionals,
          { role: values.role as string | undefined, label: values.label as string | undefined },
          io,
        );
      case 'export': {
        if (typeof values.format !== 'string') throw new UsageError('export needs --format');
        if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
        return await exportCommand(settings, values.format, values.out as string | undefined, io);
      }
      case 'link': {
        if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
        const number = (name: string) => {
          const value = values[name];
          if (value === undefined) return undefined;
          const parsed = Number(value);
          if (!Number.isFinite(parsed) || parsed < 0)
            throw new UsageError(`--${name} must be a number ≥ 0`);
          return parsed;
        };
        return await linkCommand(
          settings,
          {
            as: values.as as string | undefined,
            offline: values.offline === true,
            api: values.api as string | undefined,
            minScore: number('min-score'),
            intervalMs: number('interval-ms'),
          },
          io,
        );
      }
      case 'wikidata-export': {
        if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
        const option = (name: string) => values[name] as string | undefined;
        return await wikidataExportCommand(
          settings,
          {
            out: option('out'),
            report: option('report'),
            dryRun: values['dry-run'] === true,
            sourceUrl: option('source-url'),
            retrieved: option('retrieved'),
            addData: (values as Record<string, unknown>)['add-data'] as string[] | undefined,
          },
          io,
        );
      }
    }
    return 2;
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof SettingsError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      io.err(`${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof QuerySyntaxError || error instanceof QueryRejectedError) {
      const where =
        error instanceof QuerySyntaxError && error.line
          ? ` (line ${error.line}, column ${error.column})`
          : '';
      io.err(`Query error${where}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
