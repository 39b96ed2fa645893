import type { Quad, Term } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { BLANK_LABEL } from './ntriples.js';

const { blankNode, namedNode, quad: makeQuad } = DataFactory;

/**
 * Blank nodes kept in an external store as skolem IRIs (RDF 1.1 Concepts §3.5): `_:label` is
 * written `<prefix + label>` and read back as `_:label`. Without it, a blank node could not be
 * named again: SPARQL's DELETE DATA refuses blank nodes, and an INSERT DATA re-sent after a
 * failure would create a second node where the first attempt had created one.
 */
export class Skolemizer {
  constructor(readonly prefix: string) {}

  /** The term as the store keeps it. */
  toStore<T extends Term>(term: T): T {
    if (term.termType !== 'BlankNode') return term;
    return namedNode(`${this.prefix}${term.value}`) as unknown as T;
  }

  /** The term as the layers above know it. */
  fromStore<T extends Term>(term: T): T {
    if (term.termType !== 'NamedNode' || !term.value.startsWith(this.prefix)) return term;
    const label = term.value.slice(this.prefix.length);
    return (BLANK_LABEL.test(label) ? blankNode(label) : term) as unknown as T;
  }

  quadToStore(q: Quad): Quad {
    if (q.subject.termType !== 'BlankNode' && q.object.termType !== 'BlankNode') return q;
    return makeQuad(
      this.toStore(q.subject) as never,
      q.predicate as never,
      this.toStore(q.object) as never,
      q.graph as never,
    );
  }

  quadFromStore(q: Quad): Quad {
    const [subject, object] = [this.fromStore(q.subject), this.fromStore(q.object)];
    if (subject === q.subject && object === q.object) return q;
    return makeQuad(subject as never, q.predicate as never, object as never, q.graph as never);
  }
}

/** Where the project's skolem IRIs live: the well-known path RDF 1.1 suggests, under the base. */
export const skolemPrefix = (baseIri: string) => `${baseIri}.well-known/genid/`;
