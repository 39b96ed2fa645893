import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { PROJECT_ROOT } from '../../src/paths.js';

/**
 * Inputs for the fuzzing suite: real texts of the project (competency queries, benchmark queries,
 * the data files) and mutations of them, as fast-check arbitraries. A mutation is data (what to
 * do, where), so fast-check can shrink a failing case to a small one and replay it from its seed.
 */

const readAll = (directory: string, extension: string) =>
  readdirSync(join(PROJECT_ROOT, directory))
    .filter((name) => name.endsWith(extension))
    .sort()
    .map((name) => readFileSync(join(PROJECT_ROOT, directory, name), 'utf8'));

/** The competency questions and the benchmark's queries, as written. */
export const SEED_QUERIES = [...readAll('queries', '.rq'), ...readAll('bench/queries', '.rq')];

/** The data files (Turtle with IRIs relative to the base). */
export const SEED_DATA = readAll('data', '.ttl');

/** Tokens that change what a SPARQL text means, or try to: keywords, operators, odd terms. */
export const SPARQL_TOKENS = [
  'SELECT',
  'SELECT *',
  'CONSTRUCT',
  'DESCRIBE',
  'ASK',
  'WHERE',
  'OPTIONAL',
  'UNION',
  'MINUS',
  'FILTER',
  'FILTER(',
  'BIND(',
  'VALUES ?x { 1 2 }',
  'GRAPH ?g',
  'SERVICE <http://127.0.0.1:1/sparql>',
  'SERVICE SILENT <https://example.org/sparql>',
  'FROM <file:///etc/passwd>',
  'FROM NAMED <http://127.0.0.1:1/>',
  'LOAD <http://127.0.0.1:1/x>',
  'INSERT DATA { <x:a> <x:b> <x:c> }',
  'DROP ALL',
  'CLEAR DEFAULT',
  '"} ; DROP ALL ; {"',
  'GROUP BY',
  'HAVING',
  'ORDER BY',
  'LIMIT',
  'LIMIT 0',
  'OFFSET 999999999999',
  'LIMIT -1',
  'DISTINCT',
  'REDUCED',
  'COUNT(*)',
  'SAMPLE(?x)',
  'GROUP_CONCAT(?x ; separator="\\"")',
  'REGEX(?x, "(a+)+$")',
  'REPLACE(?x, "", "x")',
  'STRLEN(',
  'IRI("")',
  'BNODE()',
  'NOW()',
  'UUID()',
  'xsd:integer("9999999999999999999999")',
  '1e999',
  '-0.0',
  '0x10',
  '?x',
  '?',
  '$',
  '*',
  '+',
  '/',
  '|',
  '^',
  '!',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  '.',
  ';',
  ',',
  '<>',
  '<',
  '>',
  '""',
  '"""',
  "'''",
  '"\\u0000"',
  '@fr',
  '^^xsd:string',
  '^^<x:y>',
  'a',
  'rdfs:label',
  'ck:claimant+',
  '(ck:claimant|^ck:claimant)*',
  'PREFIX : <>',
  'PREFIX x: <javascript:alert(1)>',
  'BASE <x:y>',
  '#',
  '\n',
  '\u0000',
  '\uFEFF',
  '\u202E',
  'é',
  '\uD800',
];

/** Tokens for RDF texts: Turtle, TriG, N-Triples and JSON-LD syntax, and odd terms. */
export const RDF_TOKENS = [
  '@prefix',
  '@base <x:y> .',
  'PREFIX',
  '@prefix : <> .',
  '<>',
  '<http://example.org/fuzz>',
  '<id/../../etc/passwd>',
  '<file:///etc/passwd>',
  '_:b0',
  '[]',
  '[',
  ']',
  '(',
  ')',
  '{',
  '}',
  '.',
  ';',
  ',',
  'a',
  '"',
  '"""',
  "'",
  '\\',
  '\\u0000',
  '\\U0010FFFF',
  '\\uD800',
  '@fr',
  '@',
  '^^',
  '^^xsd:integer',
  '"NaN"^^xsd:double',
  '"abc"^^xsd:integer',
  '"2023-02-30"^^xsd:date',
  'true',
  '1e999',
  'GRAPH',
  '<https://w3id.org/communs-kg/graph/history>',
  '<https://w3id.org/communs-kg/graph/wikidata-view>',
  '"@context"',
  '"@id"',
  '"@graph"',
  '"@value"',
  '"@type"',
  '"@language"',
  '"@list"',
  '"@reverse"',
  '"@context": "http://127.0.0.1:1/context.jsonld"',
  '"@context": {"@vocab": "x:"}',
  ':',
  '"',
  '{}',
  '[]',
  'null',
  '<script>alert(1)</script>',
  '\u0000',
  '\n',
];

/** One edit of a text; positions are taken modulo the text's length. */
export type Mutation =
  | { op: 'insertChar'; at: number; char: string }
  | { op: 'replaceChar'; at: number; char: string }
  | { op: 'deleteRange'; at: number; length: number }
  | { op: 'insertToken'; at: number; token: string }
  | { op: 'deleteToken'; at: number }
  | { op: 'duplicateToken'; at: number }
  | { op: 'swapTokens'; at: number; other: number }
  | { op: 'duplicateSpan'; at: number; length: number }
  | { op: 'truncate'; at: number };

/** Characters that matter to the parsers, then any code unit (lone surrogates included). */
const interestingChar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...'{}()[]<>"\'\\#?$.;,:*/^|!@_-+ \n\t\r\u0000é') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\uD800', '\uDC00', '\uFFFE', '\u0085', '\u2028') },
);

export function mutationArbitrary(tokens: readonly string[]): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  return fc.oneof(
    fc.record({ op: fc.constant('insertChar' as const), at, char: interestingChar }),
    fc.record({ op: fc.constant('replaceChar' as const), at, char: interestingChar }),
    fc.record({
      op: fc.constant('deleteRange' as const),
      at,
      length: fc.integer({ min: 1, max: 40 }),
    }),
    fc.record({
      op: fc.constant('insertToken' as const),
      at,
      token: fc.constantFrom(...tokens),
    }),
    fc.record({ op: fc.constant('deleteToken' as const), at }),
    fc.record({ op: fc.constant('duplicateToken' as const), at }),
    fc.record({ op: fc.constant('swapTokens' as const), at, other: fc.nat() }),
    fc.record({
      op: fc.constant('duplicateSpan' as const),
      at,
      length: fc.integer({ min: 1, max: 400 }),
    }),
    fc.record({ op: fc.constant('truncate' as const), at }),
  );
}

/** Words, terms, punctuation and spaces: a SPARQL or Turtle text cut where its syntax would cut. */
export function tokenize(text: string): string[] {
  return (
    text.match(/<[^<>\s]*>|"(?:[^"\\\n]|\\.)*"|[{}()[\].;,]|[^\s{}()[\].;,"<]+|\s+|["<]/g) ?? []
  );
}

export function applyMutation(text: string, mutation: Mutation): string {
  const position = (n: number, size: number) => (size === 0 ? 0 : n % (size + 1));
  switch (mutation.op) {
    case 'insertChar': {
      const i = position(mutation.at, text.length);
      return text.slice(0, i) + mutation.char + text.slice(i);
    }
    case 'replaceChar': {
      const i = position(mutation.at, text.length - 1);
      return text.slice(0, i) + mutation.char + text.slice(i + 1);
    }
    case 'deleteRange': {
      const i = position(mutation.at, text.length);
      return text.slice(0, i) + text.slice(i + mutation.length);
    }
    case 'truncate':
      return text.slice(0, position(mutation.at, text.length));
    case 'duplicateSpan': {
      const i = position(mutation.at, text.length);
      const span = text.slice(i, i + mutation.length);
      return text.slice(0, i) + span + span + text.slice(i);
    }
    default: {
      const tokens = tokenize(text);
      const i = position(mutation.at, tokens.length);
      if (mutation.op === 'insertToken') {
        tokens.splice(i, 0, ` ${mutation.token} `);
      } else if (tokens.length > 0) {
        const k = Math.min(i, tokens.length - 1);
        if (mutation.op === 'deleteToken') tokens.splice(k, 1);
        else if (mutation.op === 'duplicateToken') tokens.splice(k, 0, tokens[k] ?? '');
        else {
          const j = mutation.other % tokens.length;
          [tokens[k], tokens[j]] = [tokens[j] ?? '', tokens[k] ?? ''];
        }
      }
      return tokens.join('');
    }
  }
}

/**
 * A text from `seeds` with up to `max` mutations applied in order: often one or none, so that
 * many cases still get past the parser and reach evaluation, validation and storage.
 */
export function mutatedText(
  seeds: fc.Arbitrary<string>,
  tokens: readonly string[],
  max = 4,
): fc.Arbitrary<string> {
  const mutation = mutationArbitrary(tokens);
  const mutations = fc.oneof(
    { weight: 2, arbitrary: fc.constant([]) },
    { weight: 3, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 1 }) },
    { weight: 2, arbitrary: fc.array(mutation, { minLength: 2, maxLength: max }) },
  );
  return fc.tuple(seeds, mutations).map(([seed, edits]) => edits.reduce(applyMutation, seed));
}

/** Anything at all: printable, control characters, lone surrogates, long strings. */
export const arbitraryText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ maxLength: 20 }).map((s) => s.repeat(500)),
);

/** The bytes of a string as %XX escapes (lone surrogates become U+FFFD, as UTF-8 has it). */
export const percentEncode = (text: string) =>
  [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
