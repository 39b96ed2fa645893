import type { Quad, Term } from '@rdfjs/types';
import { Writer } from 'n3';

/**
 * Triples written as N-Triples lines for a remote store: in a Graph Store request body or inside
 * the DATA blocks of a SPARQL Update. N3's writer escapes literals, but writes IRIs, blank node
 * labels and language tags as they are; RDF/JS terms are not validated, so a crafted IRI such as
 * `a> } ; DROP ALL ; INSERT DATA { <b` would otherwise end the block it is written in. Every such
 * part is therefore checked against the grammar first, and refused when it does not fit.
 */

/** A term that cannot be written safely (an IRI with a forbidden character, …). */
export class UnwritableTermError extends Error {
  override name = 'UnwritableTermError';
}

// IRIREF of N-Triples, Turtle and SPARQL alike: no controls, space, <>"{}|^`\ (UCHAR escapes are
// not accepted here: SPARQL processes them before parsing, so they would not protect anything).
const IRI_FORBIDDEN = new Set('<>"{}|^`\\');
export const isIriRef = (iri: string): boolean =>
  ![...iri].some((ch) => (ch.codePointAt(0) ?? 0) <= 0x20 || IRI_FORBIDDEN.has(ch));
// BLANK_NODE_LABEL restricted to ASCII; labels come from our parsers or stores, which use these.
export const BLANK_LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$/;
const LANGUAGE = /^[a-zA-Z]+(?:-[a-zA-Z0-9]+)*$/;

const writer = new Writer({ format: 'N-Triples' });

/** `<iri>`, after checking that the IRI cannot break out of its brackets. */
export function iriRef(iri: string): string {
  if (!isIriRef(iri))
    throw new UnwritableTermError(`IRI not writable as IRIREF: ${JSON.stringify(iri)}`);
  return `<${iri}>`;
}

function check(term: Term): void {
  switch (term.termType) {
    case 'NamedNode':
      iriRef(term.value);
      return;
    case 'BlankNode':
      if (!BLANK_LABEL.test(term.value)) {
        throw new UnwritableTermError(
          `blank node label not writable: ${JSON.stringify(term.value)}`,
        );
      }
      return;
    case 'Literal':
      if (term.language && !LANGUAGE.test(term.language)) {
        throw new UnwritableTermError(
          `language tag not writable: ${JSON.stringify(term.language)}`,
        );
      }
      iriRef(term.datatype.value);
      return;
    default:
      throw new UnwritableTermError(`a triple cannot hold a ${term.termType}`);
  }
}

/** One `s p o .` line; the quad's graph is left out. */
export function tripleLine(q: Quad): string {
  check(q.subject);
  check(q.predicate);
  check(q.object);
  return writer.quadToString(q.subject as never, q.predicate as never, q.object as never);
}

/** An N-Triples document of the quads' triples. */
export function toNTriples(quads: readonly Quad[]): string {
  return quads.map(tripleLine).join('');
}
