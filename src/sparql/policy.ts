import sparqljs from 'sparqljs';
import { checkForOxigraph } from './oxigraph-deviations.js';

/** A request refused before evaluation, with a message meant for the person who wrote it. */
export class QueryRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryRejectedError';
  }
}

/** A well-formed request the server will not carry out (403), such as LOAD. */
export class OperationRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperationRefusedError';
  }
}

/** A query or update the parser could not read; line and column when they are known. */
export class QuerySyntaxError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'QuerySyntaxError';
  }
}

export type QueryForm = 'SELECT' | 'ASK' | 'CONSTRUCT' | 'DESCRIBE';

export interface QueryPolicy {
  /** Endpoints that SERVICE may call; anything else is refused before evaluation. */
  serviceAllowList: readonly string[];
  /** Upper bound on the rows a SELECT returns (a smaller LIMIT wins); 0 or absent: no bound. */
  maxRows?: number;
}

/** The RDF dataset given by the protocol's default-graph-uri / named-graph-uri parameters. */
export interface DatasetOverride {
  defaultGraphs: string[];
  namedGraphs: string[];
}

export interface PreparedQuery {
  form: QueryForm;
  /** The text to evaluate: the original, or a rewrite when the policy or protocol changed it. */
  text: string;
  /** The most rows to return, when the policy bounds a SELECT that asked for more. */
  rowLimit?: number;
  /**
   * The text with `LIMIT rowLimit` appended, when the bound can be written into the query (it has
   * no LIMIT and no final VALUES): for an engine that cannot cut its result stream.
   */
  limitedText?: string;
  /** Whether the query calls SERVICE. */
  federated: boolean;
  /** A construct of the query that Oxigraph's engine gets wrong, so Comunica must evaluate it. */
  oxigraphDeviation?: string;
  /** IRIs ending zero-length paths: Oxigraph answers rightly only if each is in the data. */
  zeroLengthPathEnds: string[];
  /** The query names its dataset (FROM, FROM NAMED or the protocol's graphs): no union default. */
  ownDataset: boolean;
}

interface JisonLocation {
  last_line: number;
  last_column: number;
}

/**
 * sparqljs (Jison) reports the location of the last token it accepted; the error is at the next
 * token (hash.text), so the position is found by searching for that token from there on.
 */
function toQuerySyntaxError(error: unknown, query: string): QuerySyntaxError {
  const message = error instanceof Error ? error.message : String(error);
  const hash = (error as { hash?: { text?: string; loc?: JisonLocation } }).hash;
  if (!hash?.loc) return new QuerySyntaxError(message);
  const lines = query.split('\n');
  const lastOffset =
    lines.slice(0, hash.loc.last_line - 1).reduce((sum, line) => sum + line.length + 1, 0) +
    hash.loc.last_column;
  const found = hash.text ? query.indexOf(hash.text, lastOffset) : -1;
  const offset = found >= 0 ? found : query.length;
  const before = query.slice(0, offset);
  const line = before.split('\n').length;
  return new QuerySyntaxError(message, line, offset - before.lastIndexOf('\n'));
}

/**
 * The deepest nesting of brackets — `{ }` groups, sub-selects and OPTIONALs, `( )` in expressions
 * and paths, `[ ]` blank nodes — a query or update may have. Real queries stay below 20; sparqljs
 * takes time that grows much faster than the nesting (2.8 s for 1 600 nested groups, 45 s for
 * 3 200, on the main thread), and the walks of the parsed query recurse.
 */
export const MAX_NESTING_DEPTH = 100;

// SPARQL's IRIREF, which excludes control characters and space.
// eslint-disable-next-line no-control-regex
const IRI_REF = /<[^<>"{}|^`\\\u0000-\u0020]*>/y;

/** The end (index of the closing quote) of the string literal opening at `start`. */
function endOfString(text: string, start: number): number {
  const quote = text[start] as string;
  const long = text.startsWith(quote.repeat(3), start);
  for (let i = start + (long ? 3 : 1); i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (long ? text.startsWith(quote.repeat(3), i) : c === quote) return long ? i + 2 : i;
    else if (!long && c === '\n') return i;
  }
  return text.length;
}

/**
 * How deeply brackets nest in a SPARQL text, read without parsing it: brackets inside strings,
 * IRIs and comments do not count.
 */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    switch (text[i]) {
      case '\\':
        i++;
        break;
      case '#': {
        const end = text.indexOf('\n', i);
        if (end < 0) return deepest;
        i = end;
        break;
      }
      case '"':
      case "'":
        i = endOfString(text, i);
        break;
      case '<':
        IRI_REF.lastIndex = i;
        if (IRI_REF.test(text)) i = IRI_REF.lastIndex - 1;
        break;
      case '{':
      case '(':
      case '[':
        depth++;
        if (depth > deepest) deepest = depth;
        break;
      case '}':
      case ')':
      case ']':
        if (depth > 0) depth--;
        break;
    }
  }
  return deepest;
}

function parse(text: string, baseIri: string | undefined): sparqljs.SparqlQuery {
  const depth = nestingDepth(text);
  if (depth > MAX_NESTING_DEPTH) {
    throw new QueryRejectedError(
      `Brackets are nested ${depth} levels deep; this endpoint accepts at most ${MAX_NESTING_DEPTH}`,
    );
  }
  try {
    return new sparqljs.Parser({ baseIRI: baseIri, sparqlStar: false }).parse(text);
  } catch (error) {
    throw toQuerySyntaxError(error, text);
  }
}

/** Walks a parsed request and collects every SERVICE endpoint, however deeply nested. */
function serviceEndpoints(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const child of node) serviceEndpoints(child, found);
  } else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.type === 'service') {
      const name = record.name as { termType: string; value: string };
      found.push(name.termType === 'NamedNode' ? name.value : `?${name.value}`);
    }
    for (const value of Object.values(record)) serviceEndpoints(value, found);
  }
  return found;
}

/** Refuses SERVICE calls off the allow-list; says whether the request calls any. */
function checkServices(parsed: sparqljs.SparqlQuery, policy: QueryPolicy): boolean {
  const endpoints = serviceEndpoints(parsed);
  for (const endpoint of endpoints) {
    if (!policy.serviceAllowList.includes(endpoint)) {
      const allowed = policy.serviceAllowList.join(', ') || 'empty';
      throw new QueryRejectedError(
        `SERVICE <${endpoint}> is not on the allow-list of this endpoint (${allowed})`,
      );
    }
  }
  return endpoints.length > 0;
}

/**
 * Parses a query and applies the query endpoint's policy: no updates, SERVICE only to
 * allow-listed endpoints, the protocol's dataset in place of FROM, a bound on SELECT rows.
 * FROM and FROM NAMED only ever select graphs of the store: the engine never dereferences them.
 */
export function prepareQuery(
  text: string,
  policy: QueryPolicy,
  baseIri?: string,
  dataset?: DatasetOverride,
): PreparedQuery {
  // Parsing costs about a millisecond, more than Oxigraph takes for many queries: the same query
  // asked again (a page, a dashboard, a client polling) is prepared once.
  const key = JSON.stringify([text, policy.serviceAllowList, policy.maxRows, baseIri, dataset]);
  const cached = PREPARED.get(key);
  if (cached) {
    PREPARED.delete(key);
    PREPARED.set(key, cached);
    return cached;
  }
  const prepared = Object.freeze(
    withinStack(() => prepareUncached(text, policy, baseIri, dataset)),
  );
  Object.freeze(prepared.zeroLengthPathEnds);
  PREPARED.set(key, prepared);
  if (PREPARED.size > PREPARED_LIMIT) PREPARED.delete(PREPARED.keys().next().value as string);
  return prepared;
}

/**
 * Runs a check that walks the parsed query recursively. A query flat in its text can still be
 * deep once parsed (`1 + 1 + … + 1`, `a && b && …`: one level per operator); past the stack, the
 * request is refused (400) rather than failing as an internal error.
 */
function withinStack<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof RangeError) {
      throw new QueryRejectedError(
        'The request is too deeply structured once parsed (long chains of operators); split it',
      );
    }
    throw error;
  }
}

/** Prepared queries, least recently used first. */
const PREPARED = new Map<string, PreparedQuery>();
const PREPARED_LIMIT = 500;

function prepareUncached(
  text: string,
  policy: QueryPolicy,
  baseIri?: string,
  dataset?: DatasetOverride,
): PreparedQuery {
  const parsed = parse(text, baseIri);
  if (parsed.type === 'update') {
    throw new QueryRejectedError('SPARQL Update is not accepted here: send it to /update');
  }
  const federated = checkServices(parsed, policy);
  let rewritten = false;
  if (dataset && (dataset.defaultGraphs.length > 0 || dataset.namedGraphs.length > 0)) {
    // SPARQL 1.1 Protocol §2.1.4: the protocol's dataset takes precedence over FROM / FROM NAMED.
    parsed.from = {
      default: dataset.defaultGraphs.map((iri) => ({ termType: 'NamedNode', value: iri }) as never),
      named: dataset.namedGraphs.map((iri) => ({ termType: 'NamedNode', value: iri }) as never),
    };
    rewritten = true;
  }
  // The row bound is applied to the result stream by the evaluator, or appended to the text as
  // it was written, never by regenerating it: regenerated text is not always faithful (sparqljs
  // loses some syntax).
  const maxRows = policy.maxRows ?? 0;
  const rowLimit =
    parsed.queryType === 'SELECT' && maxRows > 0 && !((parsed.limit ?? Infinity) <= maxRows)
      ? maxRows
      : undefined;
  const finalText = rewritten ? new sparqljs.Generator().stringify(parsed) : text;
  const appendable =
    rowLimit !== undefined &&
    parsed.queryType === 'SELECT' &&
    parsed.limit === undefined &&
    !parsed.values;
  return {
    form: parsed.queryType,
    text: finalText,
    rowLimit,
    // On a line of its own, in case the text ends with a comment.
    ...(appendable ? { limitedText: `${finalText}\nLIMIT ${rowLimit}` } : {}),
    federated,
    ...oxigraph(parsed),
    ownDataset: (parsed.from?.default.length ?? 0) + (parsed.from?.named.length ?? 0) > 0,
  };
}

function oxigraph(
  parsed: sparqljs.Query,
): Pick<PreparedQuery, 'oxigraphDeviation' | 'zeroLengthPathEnds'> {
  const { deviation, mustExist } = checkForOxigraph(parsed);
  return deviation
    ? { oxigraphDeviation: deviation, zeroLengthPathEnds: [] }
    : { zeroLengthPathEnds: mustExist };
}

/**
 * Parses an update and refuses what the server never does: LOAD (but LOAD SILENT, whose failure
 * must be ignored, is accepted and does nothing), and SERVICE off the list.
 */
export function prepareUpdate(
  text: string,
  policy: QueryPolicy,
  baseIri?: string,
): sparqljs.Update {
  const parsed = parse(text, baseIri) as sparqljs.SparqlQuery | { type?: undefined };
  // A request of only comments, BASE or PREFIX is a valid, empty update; sparqljs gives no type.
  if (parsed.type === undefined) return { type: 'update', prefixes: {}, updates: [] };
  if (parsed.type !== 'update') {
    throw new QueryRejectedError('This is a query, not an update: send it to /sparql');
  }
  for (const operation of parsed.updates) {
    if ('type' in operation && operation.type === 'load' && !operation.silent) {
      throw new OperationRefusedError(
        'LOAD is refused: this server never fetches remote documents',
      );
    }
  }
  withinStack(() => checkServices(parsed, policy));
  return parsed;
}
