import { prepareQuery } from '../../src/sparql/policy.js';

describe('the row bound of the query policy', () => {
  const policy = { serviceAllowList: [], maxRows: 10 };

  it('is appended to the text as written when the query has no LIMIT, even after a comment', () => {
    const text = 'SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s OFFSET 5 # the last line';
    expect(prepareQuery(text, policy)).toMatchObject({
      text,
      rowLimit: 10,
      limitedText: `${text}\nLIMIT 10`,
    });
  });

  it('is left to the evaluator when the text cannot take it', () => {
    for (const text of [
      'SELECT ?s WHERE { ?s ?p ?o } LIMIT 50',
      'SELECT ?s WHERE { ?s ?p ?o } VALUES ?s { <http://example.org/a> }',
    ]) {
      const prepared = prepareQuery(text, policy);
      expect(prepared.rowLimit).toBe(10);
      expect(prepared.limitedText).toBeUndefined();
    }
  });

  it('does not apply to a smaller LIMIT, nor to other forms', () => {
    expect(prepareQuery('SELECT ?s WHERE { ?s ?p ?o } LIMIT 3', policy).rowLimit).toBeUndefined();
    expect(prepareQuery('CONSTRUCT WHERE { ?s ?p ?o }', policy).limitedText).toBeUndefined();
  });
});

describe('prepared queries', () => {
  it('are prepared once per text, policy, base and dataset', () => {
    const text = 'SELECT ?s WHERE { ?s ?p ?o }';
    const policy = { serviceAllowList: [], maxRows: 10 };
    const first = prepareQuery(text, policy);
    expect(prepareQuery(text, { ...policy })).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(prepareQuery(text, { ...policy, maxRows: 20 }).rowLimit).toBe(20);
    expect(prepareQuery(text, policy, 'http://example.org/')).not.toBe(first);
  });

  it('are never cached when refused', () => {
    const policy = { serviceAllowList: [] };
    const text = 'SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }';
    expect(() => prepareQuery(text, policy)).toThrow(/allow-list/);
    expect(prepareQuery(text, { serviceAllowList: ['http://example.org/sparql'] }).federated).toBe(
      true,
    );
  });
});
