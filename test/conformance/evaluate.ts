/**
 * Runs one manifest test against a target: query and update evaluation, syntax tests, CSV result
 * format tests. Protocol-level tests (ht:Request exchanges, service description) are in protocol.ts.
 */
import { readFile } from 'node:fs/promises';
import { DataFactory, type Quad } from 'n3';
import sparqljs from 'sparqljs';
import { compareGraphs, compareResults, type Verdict } from './compare.js';
import { localPath, type StoreState, type TestCase } from './manifest.js';
import {
  parseGraph,
  parseResult,
  syntaxFromExtension,
  syntaxFromMediaType,
  type QueryResult,
} from './results.js';
import { dataMediaType, type Reply, type Target } from './target.js';

const { blankNode, namedNode, defaultGraph, quad: makeQuad } = DataFactory;

export interface Context {
  suiteDir: string;
  target: Target;
  /** Compare numeric literals by value instead of by lexical form (an informative mode). */
  numericByValue?: boolean;
}

export async function readSuiteFile(context: Context, iri: string): Promise<string> {
  return readFile(localPath(context.suiteDir, iri), 'utf8');
}

/** A data file as sent to the store: Turtle gets its own IRI as @base, as when read from the Web. */
async function dataDocument(
  context: Context,
  iri: string,
): Promise<{ text: string; mediaType: string }> {
  const mediaType = dataMediaType(iri);
  const text = await readSuiteFile(context, iri);
  return { text: mediaType === 'text/turtle' ? `@base <${iri}> .\n${text}` : text, mediaType };
}

/** Empties the store, then loads the default graph's files and each named graph's files. */
export async function prepareStore(context: Context, state: StoreState): Promise<void> {
  await context.target.reset();
  const loaded = new Set<string | null>();
  const load = async (graph: string | null, file: string) => {
    const { text, mediaType } = await dataDocument(context, file);
    const reply = await context.target.load(graph, text, mediaType, loaded.has(graph));
    if (reply.status >= 300) {
      throw new Error(`loading ${file} answered ${reply.status}: ${firstLine(reply.body)}`);
    }
    loaded.add(graph);
  };
  for (const file of state.data) await load(null, file);
  for (const { file, graph } of state.graphData) await load(graph, file);
}

export function firstLine(text: string): string {
  return (text.trim().split('\n')[0] ?? '').slice(0, 160);
}

function httpFailure(what: string, reply: Reply): Verdict {
  return { ok: false, reason: `${what} answered ${reply.status}: ${firstLine(reply.body)}` };
}

/** The Accept header matching the expected result's syntax, so each result format is exercised. */
function acceptFor(resultFile: string, expected: QueryResult): string {
  if (expected.type === 'graph') return 'application/n-triples';
  const syntax = syntaxFromExtension(resultFile);
  if (syntax === 'srx') return 'application/sparql-results+xml';
  if (syntax === 'tsv') return 'text/tab-separated-values';
  if (syntax === 'csv') return 'text/csv';
  return 'application/sparql-results+json';
}

/** Whether the outermost query has ORDER BY: only then is the solution order compared. */
export function isOrdered(query: string, baseIri: string): boolean {
  try {
    const parsed = new sparqljs.Parser({ baseIRI: baseIri }).parse(query);
    return 'order' in parsed && Array.isArray(parsed.order) && parsed.order.length > 0;
  } catch {
    return /ORDER\s+BY/i.test(query);
  }
}

export async function runQueryEvaluation(context: Context, test: TestCase): Promise<Verdict> {
  if (!test.query || !test.resultFile) return { ok: false, reason: 'test has no query or result' };
  const resultSyntax = syntaxFromExtension(test.resultFile);
  if (!resultSyntax) return { ok: false, reason: `unknown result file type ${test.resultFile}` };
  const expected = await parseResult(
    await readSuiteFile(context, test.resultFile),
    resultSyntax,
    test.resultFile,
  );
  await prepareStore(context, test.action);
  const query = await readSuiteFile(context, test.query);
  const reply = await context.target.query(query, test.query, acceptFor(test.resultFile, expected));
  if (reply.status !== 200) return httpFailure('query', reply);
  const syntax = syntaxFromMediaType(reply.contentType);
  if (!syntax)
    return { ok: false, reason: `unexpected result media type ${reply.contentType ?? '(none)'}` };
  let actual: QueryResult;
  try {
    actual = await parseResult(reply.body, syntax, test.query);
  } catch (error) {
    return { ok: false, reason: `unreadable ${syntax} result: ${(error as Error).message}` };
  }
  return compareResults(expected, actual, {
    ordered: isOrdered(query, test.query),
    numericByValue: context.numericByValue,
  });
}

/** The expected store after an update; each file's blank nodes are its own. */
async function expectedStore(context: Context, state: StoreState): Promise<Quad[]> {
  const quads: Quad[] = [];
  const add = async (file: string, graph: string | null, scope: number) => {
    const { text } = await dataDocument(context, file);
    const syntax = syntaxFromExtension(file);
    if (syntax !== 'turtle' && syntax !== 'ntriples')
      throw new Error(`unsupported data file ${file}`);
    const target = graph === null ? defaultGraph() : namedNode(graph);
    for (const quad of await parseGraph(text, syntax, file)) {
      const subject =
        quad.subject.termType === 'BlankNode'
          ? blankNode(`f${scope}_${quad.subject.value}`)
          : quad.subject;
      const object =
        quad.object.termType === 'BlankNode'
          ? blankNode(`f${scope}_${quad.object.value}`)
          : quad.object;
      quads.push(makeQuad(subject, quad.predicate, object, target));
    }
  };
  let scope = 0;
  for (const file of state.data) await add(file, null, scope++);
  for (const { file, graph } of state.graphData) await add(file, graph, scope++);
  return quads;
}

export async function runUpdateEvaluation(context: Context, test: TestCase): Promise<Verdict> {
  if (!test.query || !test.resultState)
    return { ok: false, reason: 'test has no request or result' };
  await prepareStore(context, test.action);
  const reply = await context.target.update(await readSuiteFile(context, test.query), test.query);
  if (reply.status >= 300) return httpFailure('update', reply);
  const expected = await expectedStore(context, test.resultState);
  const names = [...test.action.graphData, ...test.resultState.graphData].map(
    (entry) => entry.graph,
  );
  const actual = await context.target.dump(names);
  return compareGraphs(expected, actual);
}

/**
 * A positive syntax test passes when the request is not refused as malformed: 2xx, or a 403 policy
 * refusal or a 5xx evaluation error, which both come after parsing. A negative one needs a 400.
 */
export async function runSyntax(context: Context, test: TestCase): Promise<Verdict> {
  if (!test.query) return { ok: false, reason: 'test has no query' };
  await context.target.reset();
  const text = await readSuiteFile(context, test.query);
  const isUpdate = test.kind.includes('Update');
  const reply = isUpdate
    ? await context.target.update(text, test.query)
    : await context.target.query(text, test.query, '*/*');
  const positive = test.kind.startsWith('Positive');
  if (positive) {
    const accepted =
      (reply.status >= 200 && reply.status < 300) || reply.status === 403 || reply.status >= 500;
    return accepted ? { ok: true } : httpFailure(isUpdate ? 'valid update' : 'valid query', reply);
  }
  if (reply.status === 400) return { ok: true };
  return {
    ok: false,
    reason: `invalid ${isUpdate ? 'update' : 'query'} answered ${reply.status}, expected 400`,
  };
}
