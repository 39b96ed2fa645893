import { DataFactory } from 'n3';
import { Skolemizer, skolemPrefix } from '../../src/store/skolem.js';

const { blankNode, literal, namedNode, quad } = DataFactory;
const BASE = 'https://w3id.org/communs-kg/';

describe('blank nodes kept as skolem IRIs in an external store', () => {
  const skolem = new Skolemizer(skolemPrefix(BASE));

  it('writes a blank node as an IRI under the well-known path and reads it back', () => {
    const node = blankNode('u0123abcd');
    const stored = skolem.toStore(node);
    expect(stored).toEqual(namedNode(`${BASE}.well-known/genid/u0123abcd`));
    expect(skolem.fromStore(stored)).toEqual(node);
  });

  it('leaves other terms alone, in both directions', () => {
    for (const term of [namedNode(`${BASE}id/person/x`), literal('_:b0'), namedNode('urn:x')]) {
      expect(skolem.toStore(term)).toBe(term);
      expect(skolem.fromStore(term)).toBe(term);
    }
  });

  it('keeps an IRI under the prefix whose rest is no blank node label as an IRI', () => {
    const odd = namedNode(`${BASE}.well-known/genid/not a label`);
    expect(skolem.fromStore(odd)).toBe(odd);
  });

  it('maps the subject and object of a quad, not its predicate or graph', () => {
    const g = namedNode(`${BASE}graph/data`);
    const q = quad(blankNode('a'), namedNode('urn:p'), blankNode('b'), g);
    const stored = skolem.quadToStore(q);
    expect(stored.subject.termType).toBe('NamedNode');
    expect(stored.object.termType).toBe('NamedNode');
    expect(stored.graph).toEqual(g);
    expect(skolem.quadFromStore(stored).equals(q)).toBe(true);
  });
});
