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
