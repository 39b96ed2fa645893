import { readFile } from 'node:fs/promises';
import { DataFactory, Parser, type Quad } from 'n3';
import type jsonldTypes from 'jsonld';
import { relabelBlankNodes } from './quads.js';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { RDF_FORMATS, formatFromPath, type RdfFormat } from './formats.js';
import { PROJECT_ROOT } from '../paths.js';

/** A syntax error located in its source: what a user needs to find and fix it. */
export class RdfSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly sourceName: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    const where = line === undefined ? sourceName : `${sourceName}:${line}:${column ?? 1}`;
    super(`${where}: ${reason}`);
    this.name = 'RdfSyntaxError';
  }
}

interface N3Token {
  line: number;
  start: number;
  end: number;
}
interface N3ErrorContext {
  line?: number;
  token?: N3Token;
  previousToken?: N3Token;
}

export interface ParseOptions {
  format: RdfFormat;
  baseIri: string;
  /** A file name or other label used in error messages. */
  sourceName: string;
}

/**
 * Parses a whole document; either every quad is returned or an RdfSyntaxError is thrown. Blank
 * nodes get labels of their own (a document's labels mean something only inside it), so that
 * what is parsed never merges with nodes already stored.
 */
export async function parseRdf(text: string, options: ParseOptions): Promise<Quad[]> {
  return relabelBlankNodes(await parseDocument(text, options));
}

async function parseDocument(text: string, options: ParseOptions): Promise<Quad[]> {
  if (options.format === 'jsonld') return parseJsonLd(text, options);
  if (options.format === 'rdfxml') return parseRdfXml(text, options);
  const parser = new Parser({
    baseIRI: options.baseIri,
    format: RDF_FORMATS[options.format].mediaType,
  });
  try {
    return parser.parse(text);
  } catch (error) {
    throw toSyntaxError(error, text, options.sourceName);
  }
}

export async function parseRdfFile(
  path: string,
  baseIri: string,
  format = formatFromPath(path),
): Promise<Quad[]> {
  if (!format) throw new RdfSyntaxError('unknown RDF file extension', path);
  const text = await readFile(path, 'utf8');
  return parseRdf(text, { format, baseIri, sourceName: path });
}

function toSyntaxError(error: unknown, text: string, sourceName: string): RdfSyntaxError {
  const message = error instanceof Error ? error.message : String(error);
  const context = (error as { context?: N3ErrorContext }).context ?? {};
  const reason = message.replace(/ on line \d+\.?$/, '');
  const line = context.line ?? context.token?.line;
  if (line === undefined) return new RdfSyntaxError(reason, sourceName);
  return new RdfSyntaxError(reason, sourceName, line, locateColumn(context, text, line, reason));
}

/**
 * N3.js reports a line and the offending token's offset within it when the parser fails, but only
 * the previous token when the lexer fails; then the column is where the unexpected text starts.
 */
function locateColumn(context: N3ErrorContext, text: string, line: number, reason: string): number {
  if (context.token && context.token.line === line) return context.token.start + 1;
  const lineText = text.split(/\r\n|\r|\n/)[line - 1] ?? '';
  const after = context.previousToken?.line === line ? context.previousToken.end : 0;
  const snippet = /^Unexpected "(.{1,20})/.exec(reason)?.[1];
  const found = snippet ? lineText.indexOf(snippet.slice(0, 8), after) : -1;
  if (found >= 0) return found + 1;
  const firstNonSpace = lineText.slice(after).search(/\S/);
  return after + Math.max(firstNonSpace, 0) + 1;
}

/** Only the project's own JSON-LD context is ever loaded: a document must not make us fetch URLs. */
const CONTEXT_URLS = new Set([
  'https://w3id.org/communs-kg/context.jsonld',
  'https://w3id.org/communs-kg/ontology/context.jsonld',
]);

async function localDocumentLoader(url: string) {
  if (!CONTEXT_URLS.has(url)) {
    throw new Error(`remote JSON-LD context not allowed: ${url}`);
  }
  const document = JSON.parse(await readFile(`${PROJECT_ROOT}ontology/context.jsonld`, 'utf8'));
  return { contextUrl: undefined, documentUrl: url, document };
}

/** JSON.parse, but a syntax error names its line and column (V8's messages do not always). */
function parseJson(text: string, sourceName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const errors: ParseError[] = [];
    parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false });
    const first = errors[0];
    if (!first) throw new RdfSyntaxError((error as Error).message, sourceName);
    const before = text.slice(0, first.offset);
    const line = before.split('\n').length;
    const column = first.offset - before.lastIndexOf('\n');
    throw new RdfSyntaxError(
      `invalid JSON: ${printParseErrorCode(first.error)}`,
      sourceName,
      line,
      column,
    );
  }
}

async function parseJsonLd(text: string, options: ParseOptions): Promise<Quad[]> {
  const document = parseJson(text, options.sourceName);
  // Loaded on first use: the server's start-up should not pay for formats it may never read.
  const { default: jsonld } = await import('jsonld');
  let nquads: string;
  try {
    nquads = (await jsonld.toRDF(
      document as jsonldTypes.JsonLdDocument,
      {
        base: options.baseIri,
        format: 'application/n-quads',
        documentLoader: localDocumentLoader,
        safe: true,
      } as jsonldTypes.Options.ToRdf,
    )) as unknown as string;
  } catch (error) {
    // jsonld wraps a refused context in a generic message; the cause says what happened.
    const cause = (error as { details?: { cause?: Error } }).details?.cause;
    const reason = (cause ?? (error as Error)).message ?? String(error);
    throw new RdfSyntaxError(`invalid JSON-LD: ${reason}`, options.sourceName);
  }
  try {
    return new Parser({ format: 'application/n-quads' }).parse(nquads);
  } catch (error) {
    // jsonld writes out IRIs it does not check ("@id" with a quote or a bracket): not RDF.
    throw new RdfSyntaxError(`invalid JSON-LD: ${(error as Error).message}`, options.sourceName);
  }
}

async function parseRdfXml(text: string, options: ParseOptions): Promise<Quad[]> {
  const { RdfXmlParser } = await import('rdfxml-streaming-parser');
  return new Promise((resolve, reject) => {
    const quads: Quad[] = [];
    const parser = new RdfXmlParser({
      baseIRI: options.baseIri,
      dataFactory: DataFactory,
      trackPosition: true,
    });
    parser.on('data', (quad: Quad) => quads.push(quad));
    parser.on('error', (error: Error) => {
      // The parser appends "(line:L,column:C)" when it tracks positions.
      const position = /\(line:(\d+),column:(\d+)\)/.exec(error.message);
      const reason = error.message.replace(/\s*\(line:\d+,column:\d+\)/, '');
      reject(
        new RdfSyntaxError(
          reason,
          options.sourceName,
          position ? Number(position[1]) : undefined,
          position ? Number(position[2]) : undefined,
        ),
      );
    });
    parser.on('end', () => resolve(quads));
    parser.end(text);
  });
}
