import { isomorphic } from 'rdf-isomorphic';
import type { Quad } from 'n3';
import { uniqueQuads } from './quads.js';

/**
 * Graph isomorphism up to blank-node renaming, comparing as sets: some producers (Comunica's
 * CONSTRUCT, for one) may emit a triple twice.
 */
export function isomorphicDatasets(left: Iterable<Quad>, right: Iterable<Quad>): boolean {
  return isomorphic(uniqueQuads(left), uniqueQuads(right));
}
