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
});
