import { DataFactory, Store, type Quad } from 'n3';

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
