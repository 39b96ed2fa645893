/**
 * Comunica over an N3 store, in-process, behind the Target interface: a check of the harness
 * (manifests, result parsing, comparison) against the reference figures, with no server involved.
 * Syntax errors become 400 and evaluation errors 500, as an endpoint would answer.
 */
import { QueryEngine } from '@comunica/query-sparql';
import { DataFactory, Store, type Quad } from 'n3';
import { isGraphSyntax, parseGraph, syntaxFromMediaType } from './results.js';
import type { Reply, Target } from './target.js';

const { namedNode, defaultGraph, quad: makeQuad } = DataFactory;

/** What an in-process query may answer for graphs, in order of preference. */
const RDF_MEDIA_TYPES = ['application/n-triples', 'text/turtle', 'application/n-quads'];

export class InProcessTarget implements Target {
  readonly name = 'Comunica in-process';
  private store = new Store();
  private readonly engine = new QueryEngine();
  private documents = 0;

  /** No network: LOAD and SERVICE fail instead of fetching example.org. */
  private context(baseIri: string) {
    const fetch = () => Promise.reject(new Error('no network access in the conformance harness'));
    return { sources: [this.store], baseIRI: baseIri, fetch };
  }

  async reset(): Promise<void> {
    this.store = new Store();
  }

  async load(
    graph: string | null,
    text: string,
    mediaType: string,
    append: boolean,
  ): Promise<Reply> {
    const syntax = syntaxFromMediaType(mediaType);
    if (!isGraphSyntax(syntax)) return { status: 415, contentType: 'text/plain', body: mediaType };
    const target = graph === null ? defaultGraph() : namedNode(graph);
    if (!append) this.store.removeQuads(this.store.getQuads(null, null, null, target));
    // Fresh blank nodes per document, as a Graph Store request would give.
    const quads = await parseGraph(text, syntax, 'urn:x-base:');
    const scope = `d${++this.documents}_`;
    for (const quad of quads) {
      const subject =
        quad.subject.termType === 'BlankNode'
          ? DataFactory.blankNode(scope + quad.subject.value)
          : quad.subject;
      const object =
        quad.object.termType === 'BlankNode'
          ? DataFactory.blankNode(scope + quad.object.value)
          : quad.object;
      this.store.addQuad(makeQuad(subject, quad.predicate, object, target));
    }
    return { status: 204, contentType: null, body: '' };
  }

  async query(text: string, baseIri: string, accept: string): Promise<Reply> {
    try {
      const result = await this.engine.query(text, this.context(baseIri));
      const mediaType = pickMediaType(result.resultType, accept);
      if (result.resultType === 'boolean') {
        // Comunica 5.4's SPARQL/XML serialiser fails on booleans; write them as a server must.
        const value = await result.execute();
        return { status: 200, contentType: mediaType, body: booleanDocument(value, mediaType) };
      }
      const { data } = await this.engine.resultToString(result, mediaType);
      let body = '';
      for await (const chunk of data as AsyncIterable<Buffer | string>) body += chunk.toString();
      return { status: 200, contentType: mediaType, body };
    } catch (error) {
      return errorReply(error);
    }
  }

  async update(text: string, baseIri: string): Promise<Reply> {
    try {
      await this.engine.queryVoid(text, this.context(baseIri));
      return { status: 204, contentType: null, body: '' };
    } catch (error) {
      return errorReply(error);
    }
  }

  async dump(): Promise<Quad[]> {
    return this.store.getQuads(null, null, null, null);
  }

  async close(): Promise<void> {}
}

function pickMediaType(resultType: string, accept: string): string {
  const wanted = accept.split(',').map((part) => part.split(';')[0]?.trim() ?? '');
  if (resultType === 'quads')
    return wanted.find((type) => RDF_MEDIA_TYPES.includes(type)) ?? 'application/n-triples';
  return (
    wanted.find((type) => type.includes('sparql-results') || type.startsWith('text/')) ??
    'application/sparql-results+json'
  );
}

function booleanDocument(value: boolean, mediaType: string): string {
  if (mediaType.includes('xml')) {
    return `<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/><boolean>${value}</boolean></sparql>\n`;
  }
  return JSON.stringify({ head: {}, boolean: value });
}

const SYNTAX_ERROR_WORDS = [
  'parse error',
  'lexical error',
  'syntax',
  'unexpected',
  'expected',
  'not allowed',
  'invalid',
  'unknown prefix',
  'undefined prefix',
  'illegal',
  'ungrouped',
  'already bound',
  'already used',
  'more than once',
  'reuse blank node',
  'does not match',
];

function errorReply(error: unknown): Reply {
  const message = error instanceof Error ? error.message : String(error);
  // Comunica reports grammar errors and the query-level rules checked after parsing (ungrouped
  // variables, BIND scope, blank-node reuse) as plain errors: tell them apart by their wording.
  const syntax =
    SYNTAX_ERROR_WORDS.some((words) => message.toLowerCase().includes(words)) &&
    !/result type '\w+' was expected/.test(message);
  return { status: syntax ? 400 : 500, contentType: 'text/plain', body: message };
}
