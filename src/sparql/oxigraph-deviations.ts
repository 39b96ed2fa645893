import type sparqljs from 'sparqljs';

/**
 * Constructs whose results from Oxigraph 0.5 differ from the SPARQL 1.1 specification, found with
 * the W3C test suite (docs/conformance.md). A query using one is evaluated by Comunica instead.
 * Each check names the tests that showed the deviation; when a newer Oxigraph passes them, its
 * check can go.
 */
const CHECKS: {
  reason: string;
  matches(node: Record<string, unknown>, inGraph: boolean): boolean;
}[] = [
  {
    // See zeroLengthPathEnds: inside GRAPH, the node would have to be in that very graph.
    reason: 'a zero-length property path from a constant inside GRAPH',
    matches: (node, inGraph) => inGraph && zeroLengthPathEnds(node).length > 0,
  },
  {
    // A literal at the end cannot be looked up as cheaply as an IRI: always Comunica.
    reason: 'a zero-length property path from a literal',
    matches: (node) => zeroLengthPathEnds(node).some((end) => end.termType !== 'NamedNode'),
  },
  {
    // negation#graph-minus: MINUS inside GRAPH ?g removes every solution.
    reason: 'MINUS inside GRAPH',
    matches: (node, inGraph) => inGraph && node.type === 'minus',
  },
  {
    // aggregates#agg-groupconcat-04/06: concatenating literals of one language.
    reason: 'GROUP_CONCAT',
    matches: (node) =>
      node.type === 'aggregate' && String(node.aggregation).toLowerCase() === 'group_concat',
  },
  {
    // functions#coalesce01, aggregates#agg-err-02: COALESCE over errors and unbound values.
    reason: 'COALESCE',
    matches: (node) => isOperation(node, 'coalesce'),
  },
  {
    // functions#bnode01: BNODE(?x) must give one node per distinct ?x within a solution.
    reason: 'BNODE with an argument',
    matches: (node) =>
      isOperation(node, 'bnode') && Array.isArray(node.args) && node.args.length > 0,
  },
];

interface PathNode {
  type: 'path';
  pathType: string;
  items: unknown[];
}

/** sparqljs spells some operators in capitals (BNODE) and others not (coalesce). */
const isOperation = (node: Record<string, unknown>, operator: string) =>
  node.type === 'operation' && String(node.operator).toLowerCase() === operator;
const isPath = (term: unknown): term is PathNode => (term as PathNode).type === 'path';
const isVariable = (term: unknown) => (term as { termType?: string }).termType === 'Variable';

interface Term {
  termType: string;
  value: string;
}

/**
 * property-path#zero_or_more_set_start/end, zero_or_one_set_start/end: for `?x :p* :o`, Oxigraph
 * relates `:o` to itself only when `:o` occurs in the data, where SPARQL 1.1 always does. The ends
 * of such a pattern that are constants: when each is in the data, Oxigraph's answer is right.
 */
function zeroLengthPathEnds(node: Record<string, unknown>): Term[] {
  if (node.predicate === undefined || !isPath(node.predicate) || !canBeEmpty(node.predicate)) {
    return [];
  }
  // A blank node in a query is a variable too.
  return [node.subject, node.object].filter(
    (end) => !isVariable(end) && (end as Term).termType !== 'BlankNode',
  ) as Term[];
}

/** Whether a property path matches the empty path, i.e. relates a node to itself. */
function canBeEmpty(path: unknown): boolean {
  if (!isPath(path)) return false;
  switch (path.pathType) {
    case '*':
    case '?':
      return true;
    case '/':
      return path.items.every(canBeEmpty);
    case '|':
      return path.items.some(canBeEmpty);
    case '^':
      return canBeEmpty(path.items[0]);
    default:
      return false;
  }
}

export interface OxigraphCheck {
  /** A construct Oxigraph gets wrong: Comunica must evaluate the query. */
  deviation?: string;
  /** IRIs at the constant end of a zero-length path: Oxigraph is right if each is in the data. */
  mustExist: string[];
}

/** What keeps Oxigraph from answering `query` as SPARQL 1.1 says, if anything. */
export function checkForOxigraph(query: sparqljs.SparqlQuery): OxigraphCheck {
  const mustExist = new Set<string>();
  const deviation = find(query, false, mustExist);
  return deviation ? { deviation, mustExist: [] } : { mustExist: [...mustExist] };
}

function find(node: unknown, inGraph: boolean, mustExist: Set<string>): string | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = find(child, inGraph, mustExist);
      if (found) return found;
    }
    return undefined;
  }
  if (!node || typeof node !== 'object') return undefined;
  const record = node as Record<string, unknown>;
  const check = CHECKS.find(({ matches }) => matches(record, inGraph));
  if (check) return check.reason;
  for (const end of zeroLengthPathEnds(record)) mustExist.add(end.value);
  const nowInGraph = inGraph || record.type === 'graph';
  for (const value of Object.values(record)) {
    const found = find(value, nowInGraph, mustExist);
    if (found) return found;
  }
  return undefined;
}
