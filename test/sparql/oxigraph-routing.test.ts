import sparqljs from 'sparqljs';
import { LiteralFidelity } from '../../src/sparql/literal-fidelity.js';
import { checkForOxigraph } from '../../src/sparql/oxigraph-deviations.js';

const check = (query: string) =>
  checkForOxigraph(
    new sparqljs.Parser({ prefixes: { '': 'http://example.org/' } }).parse(
      query,
    ) as sparqljs.SparqlQuery,
  );

describe('queries that Oxigraph would answer other than SPARQL 1.1 says go to Comunica', () => {
  it.each([
    [
      'SELECT ?s WHERE { GRAPH ?g { ?s :p* :o } }',
      'a zero-length property path from a constant inside GRAPH',
    ],
    ['SELECT ?s WHERE { ?s :p* "o" }', 'a zero-length property path from a literal'],
    ['SELECT ?a WHERE { GRAPH ?g { ?a :p :o MINUS { ?b :p :o } } }', 'MINUS inside GRAPH'],
    ['SELECT (GROUP_CONCAT(?o) AS ?g) WHERE { ?s ?p ?o }', 'GROUP_CONCAT'],
    ['SELECT ?s WHERE { ?s ?p ?o FILTER(COALESCE(?o, 1) = 1) }', 'COALESCE'],
    ['SELECT (BNODE(?o) AS ?b) WHERE { ?s ?p ?o }', 'BNODE with an argument'],
  ])('%s: %s', (query, reason) => {
    expect(check(query)).toEqual({ deviation: reason, mustExist: [] });
  });

  it.each([
    ['SELECT ?s WHERE { ?s :p* :o }', ['http://example.org/o']],
    ['SELECT ?o WHERE { :s :p? ?o }', ['http://example.org/s']],
    ['SELECT ?o WHERE { :s (:p*/^:q?) :o }', ['http://example.org/s', 'http://example.org/o']],
    ['SELECT ?o WHERE { :s (:p|:q*) ?o . [] :r* ?o }', ['http://example.org/s']],
  ])('%s stays with Oxigraph if %j are in the data', (query, mustExist) => {
    expect(check(query)).toEqual({ mustExist });
  });

  it.each([
    'SELECT ?s ?o WHERE { ?s :p* ?o }',
    'SELECT ?o WHERE { :s :p+ ?o }',
    'SELECT ?o WHERE { :s :p/:q* ?o }',
    'SELECT ?a WHERE { ?a :p :o MINUS { ?a :q :o } }',
    'SELECT (COUNT(?o) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s',
    'SELECT (BNODE() AS ?b) WHERE { ?s ?p ?o }',
    'ASK { ?s ?p ?o }',
  ])('%s stays with Oxigraph', (query) => {
    expect(check(query)).toEqual({ mustExist: [] });
  });
});

describe('literals that Oxigraph would store in another form are found', () => {
  const XSD = 'http://www.w3.org/2001/XMLSchema#';
  const line = (literal: string) => `<http://e/s> <http://e/p> ${literal} <http://e/g> .`;

  it.each([
    [`"01"^^<${XSD}integer>`, true],
    [`"+1"^^<${XSD}integer>`, true],
    [`"1.0E0"^^<${XSD}double>`, true],
    [`"1.50"^^<${XSD}decimal>`, true],
    [`"1"^^<${XSD}integer>`, false],
    [`"2023-05-31"^^<${XSD}date>`, false],
    [`"true"^^<${XSD}boolean>`, false],
    [`"x \\"01\\""^^<${XSD}string>`, false],
    ['"a \\" quote"', false],
    ['"texte"@fr', false],
    ['<http://e/o>', false],
  ])('%s: %s', (literal, altered) => {
    expect(new LiteralFidelity().altered([line(literal)])).toEqual([altered]);
  });

  it('judges a batch at once and remembers its verdicts', () => {
    const fidelity = new LiteralFidelity();
    const lines = [`"01"^^<${XSD}integer>`, `"1"^^<${XSD}integer>`, `"007"^^<${XSD}integer>`].map(
      line,
    );
    expect(fidelity.altered(lines)).toEqual([true, false, true]);
    expect(fidelity.altered(lines.slice(0, 1))).toEqual([true]);
  });
});
