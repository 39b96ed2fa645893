/**
 * Result comparison as the suite's rules say: solutions as multisets (as sequences when the query
 * has ORDER BY) up to a bijection between blank nodes, booleans by value, graphs by isomorphism.
 * Terms are compared strictly by default (RDF term equality: "1.0"^^xsd:decimal is not
 * "1"^^xsd:decimal); language tags case-insensitively.
 */
import type { Quad } from 'n3';
import { isomorphicDatasets } from '../../src/rdf/isomorphism.js';
import type { BindingsResult, QueryResult } from './results.js';
import {
  BlankNodeMatcher,
  describeRow,
  keyRow,
  termKey,
  type KeyOptions,
  type KeyedRow,
} from './row-matching.js';

export interface Verdict {
  ok: boolean;
  /** One line saying why the results differ. */
  reason?: string;
}

export interface CompareOptions {
  ordered: boolean;
  numericByValue?: boolean;
}

const pass: Verdict = { ok: true };
const fail = (reason: string): Verdict => ({ ok: false, reason });

export function compareResults(
  expected: QueryResult,
  actual: QueryResult,
  options: CompareOptions,
): Verdict {
  if (expected.type === 'boolean' && actual.type === 'boolean') {
    return expected.value === actual.value
      ? pass
      : fail(`expected ${expected.value}, got ${actual.value}`);
  }
  if (expected.type === 'graph' && actual.type === 'graph') {
    return compareGraphs(expected.quads, actual.quads);
  }
  if (expected.type === 'bindings' && actual.type === 'bindings') {
    return compareSolutions(expected, actual, options);
  }
  return fail(`expected a ${expected.type} result, got a ${actual.type} result`);
}

export function compareGraphs(expected: Quad[], actual: Quad[]): Verdict {
  if (isomorphicDatasets(expected, actual)) return pass;
  const masked = (quads: Quad[]) => new Set(quads.map(maskedQuad));
  const [left, right] = [masked(expected), masked(actual)];
  const missing = [...left].find((key) => !right.has(key));
  const extra = [...right].find((key) => !left.has(key));
  const detail = missing
    ? `missing ${missing}`
    : extra
      ? `unexpected ${extra}`
      : 'same triples up to blank nodes, but the blank nodes are not shared the same way';
  return fail(`graphs differ (expected ${expected.length} quads, got ${actual.length}): ${detail}`);
}

const STRICT: KeyOptions = { lossy: false, numericByValue: false };

/** A quad written out with blank nodes as `[]`, to name a difference. */
function maskedQuad(quad: Quad): string {
  return [quad.subject, quad.predicate, quad.object, quad.graph]
    .filter((term) => term.termType !== 'DefaultGraph')
    .map((term) => (term.termType === 'BlankNode' ? '[]' : termKey(term, STRICT)))
    .join(' ');
}

function variableList(result: BindingsResult): string {
  return [...new Set(result.variables)]
    .sort()
    .map((name) => `?${name}`)
    .join(' ');
}

function compareSolutions(
  expectedResult: BindingsResult,
  actualResult: BindingsResult,
  options: CompareOptions,
): Verdict {
  const [wanted, got] = [variableList(expectedResult), variableList(actualResult)];
  if (wanted !== got) return fail(`variables differ: expected ${wanted}, got ${got}`);
  if (expectedResult.rows.length !== actualResult.rows.length) {
    return fail(
      `expected ${expectedResult.rows.length} solutions, got ${actualResult.rows.length}`,
    );
  }
  const keyOptions: KeyOptions = {
    lossy: expectedResult.lossy === true || actualResult.lossy === true,
    numericByValue: options.numericByValue === true,
  };
  const expected = expectedResult.rows.map((row) => keyRow(row, keyOptions));
  const actual = actualResult.rows.map((row) => keyRow(row, keyOptions));
  return options.ordered ? compareSequences(expected, actual) : compareMultisets(expected, actual);
}

/** ORDER BY: solution i against solution i, under one blank-node bijection. */
function compareSequences(expected: KeyedRow[], actual: KeyedRow[]): Verdict {
  const matcher = new BlankNodeMatcher();
  for (const [index, left] of expected.entries()) {
    const right = actual[index];
    if (!right || !matcher.matchRow(left, right)) {
      return fail(
        `solution ${index + 1} differs: expected ${describeRow(left)}, got ${describeRow(right)}`,
      );
    }
  }
  return pass;
}

/** Rows without blank nodes by counting; the others by searching for a bijection. */
function compareMultisets(expected: KeyedRow[], actual: KeyedRow[]): Verdict {
  const counts = new Map<string, number>();
  for (const row of expected.filter((row) => !row.hasBlank)) {
    counts.set(row.shape, (counts.get(row.shape) ?? 0) + 1);
  }
  for (const row of actual.filter((row) => !row.hasBlank)) {
    const count = counts.get(row.shape) ?? 0;
    if (count === 0) return fail(`unexpected solution ${describeRow(row)}`);
    counts.set(row.shape, count - 1);
  }
  for (const [shape, count] of counts) {
    if (count > 0) {
      return fail(`missing solution ${describeRow(expected.find((row) => row.shape === shape))}`);
    }
  }
  const expectedBlank = expected.filter((row) => row.hasBlank);
  const actualBlank = actual.filter((row) => row.hasBlank);
  if (expectedBlank.length !== actualBlank.length) {
    return fail(
      `expected ${expectedBlank.length} solutions with blank nodes, got ${actualBlank.length}`,
    );
  }
  if (new BlankNodeMatcher().matchAll(expectedBlank, actualBlank)) return pass;
  return fail(
    `no blank-node bijection maps the expected solutions onto the actual ones, e.g. ${describeRow(expectedBlank[0])}`,
  );
}
