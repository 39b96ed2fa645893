import { parseRdf, RdfSyntaxError } from '../../src/rdf/parse.js';

const base = 'https://example.org/';

describe('parseRdf', () => {
  it('resolves relative IRIs, prefixes included, against the base', async () => {
    const quads = await parseRdf('@prefix p: <id/person/> .\np:ada <name> "Ada" .', {
      format: 'turtle',
      baseIri: base,
      sourceName: 'inline',
    });
    expect(quads[0]?.subject.value).toBe('https://example.org/id/person/ada');
    expect(quads[0]?.predicate.value).toBe('https://example.org/name');
  });

  it.each([
    ['an undefined prefix', '<a> <b> <c> .\n  zz:x <b> <c> .\n', 2, 3, /Undefined prefix "zz:"/],
    ['an unexpected token', '<a> <b> <c> .\n<d> <e> ] .\n', 2, 9, /Expected entity but got \]/],
    ['an unterminated string', '<a> <b> <c> .\n<d> <e>  "open ;\n', 2, 10, /Unexpected ""open/],
  ])('locates %s by line and column', async (_label, text, line, column, reason) => {
    const error = await parseRdf(text, {
      format: 'turtle',
      baseIri: base,
      sourceName: 'f.ttl',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RdfSyntaxError);
    const syntax = error as RdfSyntaxError;
    expect([syntax.line, syntax.column]).toEqual([line, column]);
    expect(syntax.message).toMatch(new RegExp(`^f\\.ttl:${line}:${column}: `));
    expect(syntax.reason).toMatch(reason);
  });

  it('reads JSON-LD with the project context and reports JSON errors with a position', async () => {
    const doc = JSON.stringify({
      '@context': 'https://w3id.org/communs-kg/context.jsonld',
      '@id': 'id/person/ada',
      '@type': 'ck:Person',
    });
    const quads = await parseRdf(doc, { format: 'jsonld', baseIri: base, sourceName: 'a.jsonld' });
    expect(quads.map((q) => q.object.value)).toEqual([
      'https://w3id.org/communs-kg/ontology#Person',
    ]);
    const error = (await parseRdf('{\n "@id": ,\n}', {
      format: 'jsonld',
      baseIri: base,
      sourceName: 'b.jsonld',
    }).catch((e: unknown) => e)) as RdfSyntaxError;
    expect(error).toBeInstanceOf(RdfSyntaxError);
    expect(error.line).toBe(2);
  });

  it('never fetches a remote JSON-LD context', async () => {
    const doc = JSON.stringify({ '@context': 'http://127.0.0.1:9/ctx.jsonld', '@id': 'x' });
    await expect(
      parseRdf(doc, { format: 'jsonld', baseIri: base, sourceName: 'c.jsonld' }),
    ).rejects.toThrow(/remote JSON-LD context not allowed/);
  });

  it('refuses JSON-LD whose "@id" is no IRI with an RdfSyntaxError, not a crash', async () => {
    // Found by the injection suite: jsonld writes such an IRI out unchecked, the N-Quads parser
    // then threw a plain Error, and the API answered 500.
    for (const id of [
      'https://example.org/q"x',
      'https://example.org/<script>',
      'https://e/a{b}',
    ]) {
      const doc = JSON.stringify({ '@id': id, 'http://p': 'x' });
      const parsing = parseRdf(doc, { format: 'jsonld', baseIri: base, sourceName: 'add' });
      await expect(parsing).rejects.toBeInstanceOf(RdfSyntaxError);
      await expect(parsing).rejects.toThrow(/^add: invalid JSON-LD: /);
    }
  });

  it.each([
    ['turtle', '<http://a> <http://p> [ <http://q> _:x ] . _:x <http://r> "1" .'],
    [
      'rdfxml',
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/"><rdf:Description><e:p><rdf:Description><e:q>1</e:q></rdf:Description></e:p></rdf:Description></rdf:RDF>',
    ],
    ['jsonld', '{"@id": "http://a", "http://p": {"http://q": "1"}}'],
  ] as const)(
    'gives %s blank nodes labels of their own, never those of another parse or process',
    async (format, doc) => {
      const labels = async () => {
        const quads = await parseRdf(doc, { format, baseIri: base, sourceName: 'b' });
        return new Set(
          quads.flatMap((q) =>
            [q.subject, q.object].filter((t) => t.termType === 'BlankNode').map((t) => t.value),
          ),
        );
      };
      const [first, second] = [await labels(), await labels()];
      expect(first.size).toBeGreaterThan(0);
      expect([...first].filter((label) => second.has(label))).toEqual([]);
      // Not a per-process counter (n3-0, b0_x…), which a restarted process would hand out again.
      for (const label of first) expect(label).toMatch(/^u[0-9a-f]{32}$/);
    },
  );
});
