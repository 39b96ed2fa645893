import type { Quad } from '@rdfjs/types';
import { iriRef, tripleLine } from './ntriples.js';

/**
 * SPARQL Update texts built from quads, never from strings: every term goes through
 * `ntriples.ts`, which escapes literals and refuses IRIs, labels and language tags that could end
 * the block they are written in.
 */

/** Thrown for a change that SPARQL's DATA forms cannot express. */
export class UnexpressibleChangeError extends Error {
  override name = 'UnexpressibleChangeError';
}

/**
 * `DELETE DATA { … } ;\nINSERT DATA { … }` for a change (either part may be empty: then the text
 * is empty or holds one operation), grouped by graph. Default-graph quads are written outside any
 * GRAPH block (Virtuoso refuses those: it has no plain default graph). DELETE DATA cannot name a
 * blank node (SPARQL 1.1 Update §3.1.2), so such a deletion is refused here rather than by the
 * server; inserted blank nodes become new nodes in the store, as the specification says.
 *
 * Atomicity is the store's business: Virtuoso 7.2.5 does NOT apply the operations of one request
 * as one (docs/deployment.md, "Writing a changeset").
 */
export function changesetUpdate(deletions: readonly Quad[], insertions: readonly Quad[]): string {
  const blank = deletions.some(
    (q) => q.subject.termType === 'BlankNode' || q.object.termType === 'BlankNode',
  );
  if (blank)
    throw new UnexpressibleChangeError('DELETE DATA cannot remove a triple with a blank node');
  const operations: string[] = [];
  if (deletions.length > 0) operations.push(`DELETE DATA {\n${dataBlock(deletions)}}`);
  if (insertions.length > 0) operations.push(`INSERT DATA {\n${dataBlock(insertions)}}`);
  return operations.join(' ;\n');
}

function dataBlock(quads: readonly Quad[]): string {
  const byGraph = new Map<string, string[]>();
  for (const q of quads) {
    if (q.graph.termType !== 'DefaultGraph' && q.graph.termType !== 'NamedNode') {
      throw new UnexpressibleChangeError(`a graph name must be an IRI, not a ${q.graph.termType}`);
    }
    const key = q.graph.termType === 'NamedNode' ? iriRef(q.graph.value) : '';
    let lines = byGraph.get(key);
    if (!lines) byGraph.set(key, (lines = []));
    lines.push(tripleLine(q));
  }
  let text = '';
  for (const [graph, lines] of byGraph) {
    text += graph === '' ? lines.join('') : `GRAPH ${graph} {\n${lines.join('')}}\n`;
  }
  return text;
}
