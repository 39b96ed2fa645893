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
 * is empty or holds one operation), **one operation per graph**: Virtuoso 7.2.5 leaves a triple
 * with a non-ASCII literal in place when its DELETE DATA names it in the second GRAPH block of an
 * operation (test/integration/virtuoso.test.ts). Default-graph quads are written outside any
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
  return [
    ...dataBlocks(deletions).map((block) => `DELETE DATA {\n${block}}`),
    ...dataBlocks(insertions).map((block) => `INSERT DATA {\n${block}}`),
  ].join(' ;\n');
}

/** The quads' triples grouped by graph, a block each. */
function dataBlocks(quads: readonly Quad[]): string[] {
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
  return [...byGraph].map(([graph, lines]) =>
    graph === '' ? lines.join('') : `GRAPH ${graph} {\n${lines.join('')}}\n`,
  );
}
