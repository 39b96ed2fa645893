/**
 * Query results as the suite states them and as a server returns them: SPARQL XML (.srx), JSON
 * (.srj), TSV, CSV, result sets in RDF (rs:ResultSet vocabulary) and plain graphs.
 */
import { DataFactory, Parser, Store, type Quad, type Term } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { parseRdf } from '../../src/rdf/parse.js';
import type { RdfFormat } from '../../src/rdf/formats.js';
import { parseCsv, parseSrj, parseSrx, parseTsv } from './result-formats.js';

export type Row = Record<string, Term>;

export interface BindingsResult {
  type: 'bindings';
  variables: string[];
  rows: Row[];
  /** CSV loses term types: every value is compared as its CSV text, blank nodes excepted. */
  lossy?: boolean;
}
export interface BooleanResult {
  type: 'boolean';
  value: boolean;
}
export interface GraphResult {
  type: 'graph';
  quads: Quad[];
}
export type QueryResult = BindingsResult | BooleanResult | GraphResult;

const RS = 'http://www.w3.org/2001/sw/DataAccess/tests/result-set#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

/** RDF syntaxes, which carry graphs (or result sets written with the rs: vocabulary). */
export type GraphSyntax = RdfFormat | 'rdfxml';

/** Which parser reads a result document, by file extension or media type. */
export type ResultSyntax = 'srx' | 'srj' | 'tsv' | 'csv' | GraphSyntax;

export function isGraphSyntax(syntax: ResultSyntax | undefined): syntax is GraphSyntax {
  return syntax !== undefined && !['srx', 'srj', 'tsv', 'csv'].includes(syntax);
}

export function syntaxFromExtension(path: string): ResultSyntax | undefined {
  const extension = path.replace(/^.*\./, '').toLowerCase();
  const byExtension: Record<string, ResultSyntax> = {
    srx: 'srx',
    srj: 'srj',
    tsv: 'tsv',
    csv: 'csv',
    ttl: 'turtle',
    nt: 'ntriples',
    nq: 'nquads',
    trig: 'trig',
    jsonld: 'jsonld',
    rdf: 'rdfxml',
  };
  return byExtension[extension];
}

export function syntaxFromMediaType(contentType: string | null): ResultSyntax | undefined {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const byType: Record<string, ResultSyntax> = {
    'application/sparql-results+xml': 'srx',
    'application/sparql-results+json': 'srj',
    'application/json': 'srj',
    'text/tab-separated-values': 'tsv',
    'text/csv': 'csv',
    'text/turtle': 'turtle',
    'application/n-triples': 'ntriples',
    'text/plain': 'ntriples',
    'application/n-quads': 'nquads',
    'application/trig': 'trig',
    'application/ld+json': 'jsonld',
    'application/rdf+xml': 'rdfxml',
  };
  return byType[mediaType];
}

/**
 * Parses a result document. RDF documents holding an rs:ResultSet are result sets; other RDF
 * documents are graphs. Blank-node labels are kept as written, so that labels shared between
 * documents (GET of two graphs of one store) still denote the same node.
 */
export async function parseResult(
  text: string,
  syntax: ResultSyntax,
  baseIri: string,
): Promise<QueryResult> {
  switch (syntax) {
    case 'srx':
      return parseSrx(text);
    case 'srj':
      return parseSrj(text);
    case 'tsv':
      return parseTsv(text);
    case 'csv':
      return parseCsv(text);
    default: {
      const quads = await parseGraph(text, syntax, baseIri);
      return resultSetFromGraph(quads) ?? { type: 'graph', quads };
    }
  }
}

export async function parseGraph(
  text: string,
  syntax: GraphSyntax,
  baseIri: string,
): Promise<Quad[]> {
  if (syntax === 'rdfxml') return parseRdfXml(text, baseIri);
  if (syntax === 'jsonld') return parseRdf(text, { format: syntax, baseIri, sourceName: baseIri });
  const mediaType = {
    turtle: 'text/turtle',
    ntriples: 'N-Triples',
    nquads: 'N-Quads',
    trig: 'TriG',
  };
  return new Parser({ baseIRI: baseIri, format: mediaType[syntax], blankNodePrefix: '' }).parse(
    text,
  );
}

function parseRdfXml(text: string, baseIri: string): Promise<Quad[]> {
  return new Promise((resolve, reject) => {
    const quads: Quad[] = [];
    const parser = new RdfXmlParser({ baseIRI: baseIri, dataFactory: DataFactory });
    parser.on('data', (quad: Quad) => quads.push(quad));
    parser.on('error', reject);
    parser.on('end', () => resolve(quads));
    parser.end(text);
  });
}

// Result sets written in RDF (rs: vocabulary)

function resultSetFromGraph(quads: Quad[]): BindingsResult | BooleanResult | undefined {
  const store = new Store(quads);
  const [resultSet] = store.getSubjects(RDF_TYPE, `${RS}ResultSet`, null);
  if (!resultSet) return undefined;
  const [boolean] = store.getObjects(resultSet, `${RS}boolean`, null);
  if (boolean) return { type: 'boolean', value: boolean.value === 'true' };
  const variables = store
    .getObjects(resultSet, `${RS}resultVariable`, null)
    .map((term) => term.value);
  const solutions = store.getObjects(resultSet, `${RS}solution`, null).map((solution) => {
    const row: Row = {};
    for (const binding of store.getObjects(solution, `${RS}binding`, null)) {
      const [variable] = store.getObjects(binding, `${RS}variable`, null);
      const [value] = store.getObjects(binding, `${RS}value`, null);
      if (variable && value) row[variable.value] = value;
    }
    const [index] = store.getObjects(solution, `${RS}index`, null);
    return { row, index: index ? Number(index.value) : 0 };
  });
  solutions.sort((left, right) => left.index - right.index);
  return { type: 'bindings', variables, rows: solutions.map((solution) => solution.row) };
}
