/**
 * Queries a public endpoint receives to hurt it, each with how the server must cut it: by its
 * time limit (503), by a limit of its policy or engine (400), or, for a SELECT with more rows than
 * the row bound, by that bound (200 with at most that many rows). Shared by the hardening test
 * (test/hardening/expensive.test.ts) and the benchmark (bench/expensive.ts).
 */

/** How a query may end: a status, or 'bounded' for a 200 cut at the row bound. */
export type Cut = 503 | 400 | 'bounded' | 'answered';

export interface ExpensiveQuery {
  name: string;
  /** What it does, for the table. */
  what: string;
  text: string;
  /** The endings accepted; the first is the one seen on the development machine. */
  cut: Cut[];
}

const P = '<http://example.org/p>';

const repeat = (unit: string, count: number, separator = ' ') =>
  Array.from({ length: count }, () => unit).join(separator);

/** The cases; `scale` multiplies the sizes of the nested and huge ones (1: the test's). */
export function expensiveQueries(scale = 1): ExpensiveQuery[] {
  const deep = 5000 * scale;
  const values = 50_000 * scale;
  return [
    {
      name: 'cartesian-count',
      what: 'COUNT over four patterns sharing no variable',
      text: 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }',
      cut: [503],
    },
    {
      name: 'cartesian-rows',
      what: 'the rows of four patterns sharing no variable',
      text: 'SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }',
      cut: [503, 'bounded'],
    },
    {
      name: 'path-star',
      what: `?x (${P}|!${P})* ?y: every node to every node it reaches`,
      text: `SELECT * WHERE { ?x (${P}|!${P})* ?y }`,
      cut: [503, 'bounded'],
    },
    {
      name: 'path-plus-both-ways',
      what: `?x (^!${P}|!${P})+ ?y: the same, edges followed both ways`,
      text: `SELECT * WHERE { ?x (^!${P}|!${P})+ ?y }`,
      cut: [503, 'bounded'],
    },
    {
      name: 'offset-1e12',
      what: 'OFFSET 1000000000000 over a cartesian product (past what Oxigraph reads: 400)',
      text: 'SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } OFFSET 1000000000000',
      cut: [400, 503],
    },
    {
      name: 'offset-4e9',
      what: 'OFFSET 4000000000 over a cartesian product',
      text: 'SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } OFFSET 4000000000',
      cut: [503],
    },
    {
      name: 'nested-groups',
      what: `${deep} nested { }`,
      text: `SELECT * WHERE ${repeat('{', deep)} ?s ?p ?o ${repeat('}', deep)}`,
      cut: [400],
    },
    {
      name: 'nested-subselects',
      what: `${deep / 2} nested sub-selects`,
      text: `SELECT * WHERE ${repeat('{ SELECT * WHERE', deep / 2)} { ?s ?p ?o } ${repeat('}', deep / 2)}`,
      cut: [400],
    },
    {
      name: 'nested-optionals',
      what: `${deep / 2} nested OPTIONAL`,
      text: `SELECT * WHERE { ?s ?p ?o ${repeat('OPTIONAL { ?s ?p ?o', deep / 2)} ${repeat('}', deep / 2)} }`,
      cut: [400],
    },
    {
      name: 'nested-parentheses',
      what: `${deep} nested ( ) in a FILTER`,
      text: `SELECT * WHERE { ?s ?p ?o FILTER(${repeat('(', deep, '')}1${repeat(')', deep, '')}) }`,
      cut: [400],
    },
    {
      name: 'operator-chain',
      what: `1 + 1 + … (${deep} terms): flat text, deep once parsed`,
      text: `SELECT * WHERE { ?s ?p ?o FILTER(${repeat('1', deep, ' + ')} > 0) }`,
      cut: [400],
    },
    {
      name: 'long-union',
      what: `${deep} groups joined by UNION: flat text, deep in the engine`,
      text: `SELECT * WHERE { ${repeat('{ ?s ?p ?o }', deep, ' UNION ')} }`,
      cut: [400],
    },
    {
      name: 'huge-values',
      what: `VALUES of ${values} IRIs joined with every triple`,
      text: `SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { ${Array.from(
        { length: values },
        (_, i) => `<http://example.org/v${i}>`,
      ).join(' ')} } ?s ?p ?o }`,
      cut: [503],
    },
    {
      name: 'regex-backtracking',
      what: 'REGEX "^(a+)+$" on 40 a and a "!" (catastrophic for a backtracking engine)',
      text: `SELECT * WHERE { VALUES ?t { "${'a'.repeat(40)}!" } FILTER(REGEX(?t, "^(a+)+$")) }`,
      // Oxigraph's regular expressions run in linear time: answered at once. Comunica's are
      // JavaScript's: cut by the time limit (the test runs it on --engine comunica too).
      cut: ['answered', 503],
    },
  ];
}

/** The trivial query answered meanwhile. */
export const TRIVIAL_QUERY = 'ASK { ?s ?p ?o }';

/** How a response ended, in the terms of `Cut`; `rows` counts a SELECT's rows. */
export function cutOf(status: number, body: string, maxRows: number): Cut | `${number}` {
  if (status === 503 || status === 400) return status;
  if (status !== 200) return `${status}`;
  try {
    const rows = (JSON.parse(body) as { results?: { bindings: unknown[] } }).results?.bindings;
    if (rows && maxRows > 0 && rows.length === maxRows) return 'bounded';
  } catch {
    // Not JSON: a cut connection shows as an error before this.
  }
  return 'answered';
}

/** Sends a query to a server's /sparql, asking for JSON results; the status, body and time taken. */
export async function postQuery(
  url: string,
  query: string,
): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/sparql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/sparql-query',
      accept: 'application/sparql-results+json',
    },
    body: query,
  });
  const body = await response.text();
  return { status: response.status, body, ms: performance.now() - started };
}
