import { isomorphic } from 'rdf-isomorphic';
import type { Quad } from 'n3';

/**
 * Graph isomorphism up to blank-node renaming, comparing as sets: some producers (Comunica's
 * CONSTRUCT, for one) may emit a triple twice.
 */
export function isomorphicDatasets(left: Iterable<Quad>, right: Iterable<Quad>): boolean {
  return isomorphic(dedupe(left), dedupe(right));
}

function dedupe(quads: Iterable<Quad>): Quad[] {
  const byKey = new Map<string, Quad>();
  for (const quad of quads) {
    const key = [quad.subject, quad.predicate, quad.object, quad.graph]
      .map(
        (term) =>
          `${term.termType}:${term.value}:${'language' in term ? term.language : ''}:${'datatype' in term ? term.datatype.value : ''}`,
      )
      .join(' ');
    byKey.set(key, quad);
  }
  return [...byKey.values()];
}
