import sparqljs from 'sparqljs';
import { LiteralFidelity } from '../../src/sparql/literal-fidelity.js';
import { oxigraphDeviation } from '../../src/sparql/oxigraph-deviations.js';

const deviation = (query: string) =>
  oxigraphDeviation(
    new sparqljs.Parser({ prefixes: { '': 'http://example.org/' } }).parse(
      query,
    ) as sparqljs.SparqlQuery,
  );

describe('queries that Oxigraph would answer other than SPARQL 1.1 says go to Comunica', () => {
  it.each([
    ['SELECT ?s WHERE { ?s :p* :o }', 'a zero-length property path from a constant'],
    ['SELECT ?o WHERE { :s :p? ?o }', 'a zero-length property path from a constant'],
    ['SELECT ?o WHERE { :s (:p*/^:q?) ?o }', 'a zero-length property path from a constant'],
    ['SELECT ?o WHERE { :s (:p|:q*) ?o }', 'a zero-length property path from a constant'],
    ['SELECT ?a WHERE { GRAPH ?g { ?a :p :o MINUS { ?b :p :o } } }', 'MINUS inside GRAPH'],
    ['SELECT (GROUP_CONCAT(?o) AS ?g) WHERE { ?s ?p ?o }', 'GROUP_CONCAT'],
    ['SELECT ?s WHERE { ?s ?p ?o FILTER(COALESCE(?o, 1) = 1) }', 'COALESCE'],
    ['SELECT (BNODE(?o) AS ?b) WHERE { ?s ?p ?o }', 'BNODE with an argument'],
  ])('%s: %s', (query, reason) => {
    expect(deviation(query)).toBe(reason);
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
    expect(deviation(query)).toBeUndefined();
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
    expect(new LiteralFidelity().altered([line(literal)]).size).toBe(altered ? 1 : 0);
  });

  it('judges a batch at once and remembers its verdicts', () => {
    const fidelity = new LiteralFidelity();
    const lines = [`"01"^^<${XSD}integer>`, `"1"^^<${XSD}integer>`, `"007"^^<${XSD}integer>`].map(
      line,
    );
    expect([...fidelity.altered(lines)]).toEqual([lines[0], lines[2]]);
    expect([...fidelity.altered(lines.slice(0, 1))]).toEqual([lines[0]]);
  });
});
