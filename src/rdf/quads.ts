import { randomUUID } from 'node:crypto';
import { DataFactory, Store, type BlankNode, type Quad, type Term } from 'n3';

/** The quads as a set: an N3 store keeps each quad once. */
export function uniqueQuads(quads: Iterable<Quad>): Quad[] {
  const store = new Store();
  store.addQuads([...quads]);
  return store.getQuads(null, null, null, null);
}

/** The union of all graphs as triples in the default graph, each once. */
export function unionAsTriples(quads: Iterable<Quad>): Quad[] {
  const triples: Quad[] = [];
  for (const q of quads) triples.push(DataFactory.quad(q.subject, q.predicate, q.object));
  return uniqueQuads(triples);
}

/**
 * A blank node with a label of its own. Parsers and DataFactory.blankNode() number labels from a
 * per-process counter; the store keeps labels across restarts, so a counter's label could name a
 * node stored by an earlier process and merge two different nodes.
 */
export const freshBlankNode = (): BlankNode =>
  DataFactory.blankNode(`u${randomUUID().replaceAll('-', '')}`);

/** The quads with every blank node given a fresh label (the same node keeps one new label). */
export function relabelBlankNodes(quads: Quad[]): Quad[] {
  const labels = new Map<string, BlankNode>();
  const fresh = <T extends Term>(term: T): T => {
    if (term.termType !== 'BlankNode') return term;
    let node = labels.get(term.value);
    if (!node) {
      node = freshBlankNode();
      labels.set(term.value, node);
    }
    return node as unknown as T;
  };
  return quads.map((q) =>
    q.subject.termType === 'BlankNode' || q.object.termType === 'BlankNode'
      ? DataFactory.quad(fresh(q.subject), q.predicate, fresh(q.object), q.graph)
      : q,
  );
}
