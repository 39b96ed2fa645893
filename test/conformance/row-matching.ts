/**
 * Solutions keyed for comparison, and the bijection between blank nodes that makes two solution
 * sequences equal: a backtracking search, small enough for the suite's result sizes.
 */
import type { Term } from 'n3';
import type { Row } from './results.js';

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const NUMERIC_TYPES = new Set(
  [
    'integer',
    'decimal',
    'double',
    'float',
    'nonPositiveInteger',
    'negativeInteger',
    'long',
    'int',
    'short',
    'byte',
    'nonNegativeInteger',
    'unsignedLong',
    'unsignedInt',
    'unsignedShort',
    'unsignedByte',
    'positiveInteger',
  ].map((name) => `${XSD}${name}`),
);

export interface KeyOptions {
  /** CSV results: values compare as their text (an IRI and a literal of the same text agree). */
  lossy: boolean;
  /** Numbers compare by value within a datatype ("1.0"^^xsd:decimal = "1"^^xsd:decimal). */
  numericByValue: boolean;
}

/** A term's identity key; blank nodes keep their label, to be matched by bijection. */
export function termKey(term: Term, options: KeyOptions): string {
  switch (term.termType) {
    case 'NamedNode':
      return options.lossy ? `"${term.value}` : `<${term.value}>`;
    case 'BlankNode':
      return `_:${term.value}`;
    case 'Literal': {
      if (options.lossy) return `"${term.value}`;
      if (term.language) return `"${term.value}"@${term.language.toLowerCase()}`;
      const datatype = term.datatype.value;
      if (options.numericByValue && NUMERIC_TYPES.has(datatype)) {
        const value = Number(term.value.replace(/^(-?)INF$/, '$1Infinity'));
        if (!Number.isNaN(value)) return `${value}^^${datatype}`;
      }
      return `"${term.value}"^^${datatype}`;
    }
    default:
      return `${term.termType}:${term.value}`;
  }
}

export interface KeyedRow {
  /** Variable name and term key, sorted by name. */
  cells: [string, string][];
  /** The row's key with blank nodes masked: only rows of equal shape can match. */
  shape: string;
  hasBlank: boolean;
}

export function keyRow(row: Row, options: KeyOptions): KeyedRow {
  const cells = Object.entries(row)
    .map(([name, term]): [string, string] => [name, termKey(term, options)])
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  const hasBlank = cells.some(([, key]) => key.startsWith('_:'));
  const shape = cells
    .map(([name, key]) => `${name}=${key.startsWith('_:') ? '_' : key}`)
    .join('\u0000');
  return { cells, shape, hasBlank };
}

export function describeRow(row: KeyedRow | undefined): string {
  if (!row) return '(none)';
  return `{${row.cells.map(([name, key]) => `?${name}=${key}`).join(' ')}}`;
}

/** A bijection between expected and actual blank-node labels, grown as rows are matched. */
export class BlankNodeMatcher {
  private forward = new Map<string, string>();
  private backward = new Map<string, string>();

  /** Matches two rows, extending the bijection; on failure the bijection is left unchanged. */
  matchRow(expected: KeyedRow, actual: KeyedRow): boolean {
    if (expected.shape !== actual.shape) return false;
    const added: string[] = [];
    for (const [index, [, left]] of expected.cells.entries()) {
      const right = actual.cells[index]?.[1] ?? '';
      if (!left.startsWith('_:')) continue;
      const mapped = this.forward.get(left);
      const reverse = this.backward.get(right);
      if (mapped === undefined && reverse === undefined) {
        this.forward.set(left, right);
        this.backward.set(right, left);
        added.push(left);
      } else if (mapped !== right || reverse !== left) {
        this.undo(added);
        return false;
      }
    }
    return true;
  }

  /** Pairs every expected row with a distinct actual row, under one bijection. */
  matchAll(expected: readonly KeyedRow[], actual: readonly KeyedRow[]): boolean {
    const used = new Array<boolean>(actual.length).fill(false);
    const search = (index: number): boolean => {
      const row = expected[index];
      if (!row) return true;
      for (const [candidate, other] of actual.entries()) {
        if (used[candidate]) continue;
        const snapshot = new Map(this.forward);
        if (!this.matchRow(row, other)) continue;
        used[candidate] = true;
        if (search(index + 1)) return true;
        used[candidate] = false;
        this.restore(snapshot);
      }
      return false;
    };
    return search(0);
  }

  private undo(added: readonly string[]): void {
    for (const left of added) {
      const right = this.forward.get(left);
      this.forward.delete(left);
      if (right !== undefined) this.backward.delete(right);
    }
  }

  private restore(snapshot: Map<string, string>): void {
    this.forward = new Map(snapshot);
    this.backward = new Map([...snapshot].map(([left, right]) => [right, left]));
  }
}
