import { DEFAULT_BASE_IRI, WIKIDATA_QUERY_SERVICE } from '../rdf/namespaces.js';
import { ENGINE_NAMES, type EngineName } from '../sparql/replica.js';

/** Everything the program can be told, from the environment or from flags (flags win). */
export interface Settings {
  port: number;
  host: string;
  baseIri: string;
  dataDir: string;
  adminToken?: string;
  queryTimeoutMs: number;
  serviceAllowList: string[];
  /** Upper bound on SELECT rows (0: none). */
  maxRows: number;
  /** Threads evaluating queries, each with a replica of the store. */
  queryWorkers: number;
  /** Heap limit of each query worker, in MiB. */
  queryMemoryMb: number;
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes: number;
  logLevel: string;
  /** The engine evaluating queries in the workers. */
  engine: EngineName;
  /** Entities not reviewed for this many months are due for gardening. */
  reviewPeriodMonths: number;
  /** Queries a client (account, else IP address) may send to /sparql a minute (0: no limit). */
  rateLimitSparql: number;
  /** Writes a client (account, else IP address) may send a minute (0: no limit). */
  rateLimitWrites: number;
  /**
   * An external SPARQL store (Virtuoso) that keeps the graph instead of the embedded store: its
   * base URL and the credentials of its authenticated endpoints.
   */
  remoteStore?: { url: string; user?: string; password?: string };
}

/** Flag name → environment variable, for the settings that have both. */
export const SETTING_SOURCES = {
  port: 'PORT',
  host: 'COMMUNS_HOST',
  'base-iri': 'COMMUNS_BASE_IRI',
  'data-dir': 'COMMUNS_DATA_DIR',
  'admin-token': 'COMMUNS_ADMIN_TOKEN',
  'query-timeout-ms': 'COMMUNS_QUERY_TIMEOUT_MS',
  'service-allowlist': 'COMMUNS_SERVICE_ALLOWLIST',
  'max-rows': 'COMMUNS_MAX_ROWS',
  'query-workers': 'COMMUNS_QUERY_WORKERS',
  'query-memory-mb': 'COMMUNS_QUERY_MEMORY_MB',
  'body-limit-bytes': 'COMMUNS_BODY_LIMIT_BYTES',
  'log-level': 'COMMUNS_LOG_LEVEL',
  engine: 'COMMUNS_ENGINE',
  'review-period-months': 'COMMUNS_REVIEW_PERIOD_MONTHS',
  'rate-limit-sparql': 'COMMUNS_RATE_LIMIT_SPARQL',
  'rate-limit-writes': 'COMMUNS_RATE_LIMIT_WRITES',
  'store-url': 'COMMUNS_STORE_URL',
  'store-user': 'COMMUNS_STORE_USER',
  'store-password': 'COMMUNS_STORE_PASSWORD',
} as const;

export type SettingFlag = keyof typeof SETTING_SOURCES;

export class SettingsError extends Error {}

export function resolveSettings(
  flags: Partial<Record<SettingFlag, string>>,
  env: NodeJS.ProcessEnv = process.env,
): Settings {
  const read = (flag: SettingFlag): string | undefined => {
    const value = flags[flag] ?? env[SETTING_SOURCES[flag]];
    return value === '' ? undefined : value;
  };
  const baseIri = read('base-iri') ?? DEFAULT_BASE_IRI;
  if (!/^https?:\/\/[^\s]+\/$/.test(baseIri)) {
    throw new SettingsError(`base IRI must be an http(s) IRI ending with "/": ${baseIri}`);
  }
  return {
    port: positiveInteger('port', read('port') ?? '3000', 65535),
    host: read('host') ?? '127.0.0.1',
    baseIri,
    dataDir: read('data-dir') ?? './var',
    adminToken: read('admin-token'),
    queryTimeoutMs: positiveInteger('query-timeout-ms', read('query-timeout-ms') ?? '30000'),
    serviceAllowList: (read('service-allowlist') ?? WIKIDATA_QUERY_SERVICE)
      .split(',')
      .map((url) => url.trim())
      .filter(Boolean),
    maxRows: positiveInteger('max-rows', read('max-rows') ?? '100000'),
    queryWorkers: Math.max(1, positiveInteger('query-workers', read('query-workers') ?? '2', 64)),
    queryMemoryMb: positiveInteger('query-memory-mb', read('query-memory-mb') ?? '4096'),
    bodyLimitBytes: positiveInteger('body-limit-bytes', read('body-limit-bytes') ?? '10485760'),
    logLevel: read('log-level') ?? 'info',
    engine: engineName(read('engine') ?? 'oxigraph'),
    reviewPeriodMonths: positiveInteger(
      'review-period-months',
      read('review-period-months') ?? '12',
      1200,
    ),
    rateLimitSparql: positiveInteger('rate-limit-sparql', read('rate-limit-sparql') ?? '600'),
    rateLimitWrites: positiveInteger('rate-limit-writes', read('rate-limit-writes') ?? '120'),
    remoteStore: remoteStore(read('store-url'), read('store-user'), read('store-password')),
  };
}

function remoteStore(url?: string, user?: string, password?: string): Settings['remoteStore'] {
  if (url === undefined) {
    if (user !== undefined || password !== undefined) {
      throw new SettingsError('--store-user and --store-password need --store-url');
    }
    return undefined;
  }
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(url)) {
    throw new SettingsError(`--store-url must be an http(s) URL: ${url}`);
  }
  if ((user === undefined) !== (password === undefined)) {
    throw new SettingsError('--store-user and --store-password go together');
  }
  return { url: url.replace(/\/+$/, ''), user, password };
}

function positiveInteger(name: string, value: string, max = Number.MAX_SAFE_INTEGER): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > max) {
    throw new SettingsError(`--${name} must be an integer between 0 and ${max}: ${value}`);
  }
  return number;
}

function engineName(value: string): EngineName {
  if (!(ENGINE_NAMES as readonly string[]).includes(value)) {
    throw new SettingsError(`--engine must be one of ${ENGINE_NAMES.join(', ')}: ${value}`);
  }
  return value as EngineName;
}
