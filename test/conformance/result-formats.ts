/**
 * The SPARQL result formats: XML (.srx), JSON (.srj), TSV and CSV. Blank-node labels are kept as
 * written; the comparison matches them by bijection.
 */
import { DOMParser, type Element } from '@xmldom/xmldom';
import { DataFactory, Parser, type Term } from 'n3';
import type { BindingsResult, BooleanResult, Row } from './results.js';

const { namedNode, blankNode, literal } = DataFactory;

// SPARQL Query Results XML Format

function children(element: Element, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).localName === localName)
      found.push(node as Element);
  }
  return found;
}

export function parseSrx(text: string): BindingsResult | BooleanResult {
  const document = new DOMParser().parseFromString(text, 'application/xml');
  const root = document.documentElement;
  if (!root || root.localName !== 'sparql') throw new Error('not a SPARQL XML result document');
  const [head] = children(root, 'head');
  const [boolean] = children(root, 'boolean');
  if (boolean) return { type: 'boolean', value: boolean.textContent?.trim() === 'true' };
  const variables = head
    ? children(head, 'variable').map((variable) => variable.getAttribute('name') ?? '')
    : [];
  const [results] = children(root, 'results');
  const rows = (results ? children(results, 'result') : []).map((result) => {
    const row: Row = {};
    for (const binding of children(result, 'binding')) {
      const value = [
        ...children(binding, 'uri'),
        ...children(binding, 'literal'),
        ...children(binding, 'bnode'),
      ][0];
      if (value) row[binding.getAttribute('name') ?? ''] = xmlTerm(value);
    }
    return row;
  });
  return { type: 'bindings', variables, rows };
}

function xmlTerm(element: Element): Term {
  const text = element.textContent ?? '';
  if (element.localName === 'uri') return namedNode(text);
  if (element.localName === 'bnode') return blankNode(text);
  const language =
    element.getAttribute('xml:lang') ||
    element.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'lang');
  if (language) return literal(text, language.toLowerCase());
  const datatype = element.getAttribute('datatype');
  return literal(text, datatype ? namedNode(datatype) : undefined);
}

// SPARQL 1.1 Query Results JSON Format

interface JsonTerm {
  type: string;
  value: string;
  'xml:lang'?: string;
  datatype?: string;
}

export function parseSrj(text: string): BindingsResult | BooleanResult {
  const document = JSON.parse(text) as {
    head?: { vars?: string[] };
    boolean?: boolean;
    results?: { bindings?: Record<string, JsonTerm>[] };
  };
  if (typeof document.boolean === 'boolean') return { type: 'boolean', value: document.boolean };
  const rows = (document.results?.bindings ?? []).map((binding) => {
    const row: Row = {};
    for (const [name, term] of Object.entries(binding)) row[name] = jsonTerm(term);
    return row;
  });
  return { type: 'bindings', variables: document.head?.vars ?? [], rows };
}

function jsonTerm(term: JsonTerm): Term {
  switch (term.type) {
    case 'uri':
      return namedNode(term.value);
    case 'bnode':
      return blankNode(term.value);
    case 'literal':
    case 'typed-literal': {
      const language = term['xml:lang'];
      if (language) return literal(term.value, language.toLowerCase());
      return literal(term.value, term.datatype ? namedNode(term.datatype) : undefined);
    }
    default:
      throw new Error(`unknown JSON result term type: ${term.type}`);
  }
}

// SPARQL 1.1 Query Results TSV and CSV Formats

/** TSV cells are terms in Turtle syntax; each one is parsed as the object of a triple. */
export function parseTsv(text: string): BindingsResult {
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
  const header = lines.shift() ?? '';
  const variables =
    header === '' ? [] : header.split('\t').map((name) => name.replace(/^[?$]/, ''));
  const rows = lines.map((line) => {
    const row: Row = {};
    line.split('\t').forEach((cell, index) => {
      const name = variables[index];
      if (name !== undefined && cell !== '') row[name] = turtleTerm(cell);
    });
    return row;
  });
  return { type: 'bindings', variables, rows };
}

function turtleTerm(cell: string): Term {
  if (cell.startsWith('_:')) return blankNode(cell.slice(2));
  const parser = new Parser({ format: 'text/turtle', blankNodePrefix: '' });
  const [quad] = parser.parse(`<urn:s> <urn:p> ${cell} .`);
  if (!quad) throw new Error(`unreadable TSV term: ${cell}`);
  return quad.object;
}

/** RFC 4180 records; the values stay text (CSV cannot tell an IRI from a literal). */
export function parseCsv(text: string): BindingsResult {
  const records = csvRecords(text);
  const variables = records.shift() ?? [];
  const rows = records.map((record) => {
    const row: Row = {};
    record.forEach((cell, index) => {
      const name = variables[index];
      if (name === undefined || cell === '') return;
      row[name] = cell.startsWith('_:') ? blankNode(cell.slice(2)) : literal(cell);
    });
    return row;
  });
  return { type: 'bindings', variables, rows, lossy: true };
}

function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += char;
  }
  if (cell !== '' || record.length > 0) records.push([...record, cell]);
  return records;
}
