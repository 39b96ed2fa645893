import sparqljs from 'sparqljs';

/** A query refused before evaluation, with a message meant for the person who wrote it. */
export class QueryRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryRejectedError';
  }
}

/** A query the parser could not read; line and column when the parser gives them. */
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
}

/**
 * Parses a query and applies the read-endpoint policy: no updates, SERVICE only to allow-listed
 * endpoints. Returns the query form so the caller can pick a result format.
 */
export function checkQuery(text: string, policy: QueryPolicy, baseIri?: string): QueryForm {
  let parsed: sparqljs.SparqlQuery;
  try {
    parsed = new sparqljs.Parser({ baseIRI: baseIri }).parse(text);
  } catch (error) {
    throw toQuerySyntaxError(error, text);
  }
  if (parsed.type === 'update') {
    throw new QueryRejectedError('SPARQL Update is not accepted on the query endpoint');
  }
  for (const endpoint of serviceEndpoints(parsed)) {
    if (!policy.serviceAllowList.includes(endpoint)) {
      throw new QueryRejectedError(
        `SERVICE <${endpoint}> is not on the allow-list (${policy.serviceAllowList.join(', ') || 'empty'})`,
      );
    }
  }
  return parsed.queryType;
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

/** Walks the parsed query and collects every SERVICE endpoint, however deeply nested. */
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
