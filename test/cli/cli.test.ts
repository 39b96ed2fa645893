import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { parseRdf } from '../../src/rdf/parse.js';
import { BASE } from '../helpers/project.js';

describe('communs-kg CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'communs-kg-cli-'));
  });

  it('validate: the project graph conforms', async () => {
    const result = await cli('validate');
    expect(result.err).toBe('');
    expect(result.out).toMatch(/^Valid: \d+ triples/);
    expect(result.code).toBe(0);
  });

  it('validate: a malformed Turtle file is named with line and column, and nothing is loaded', async () => {
    const file = join(dir, 'broken.ttl');
    await writeFile(
      file,
      '@prefix ck: <https://w3id.org/communs-kg/ontology#> .\n<id/person/x> a ck:Person ;\n  ck:affiliation "unterminated .\n',
    );
    const result = await cli('validate', file);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${file}:3:18`);
    expect(result.err).toContain('Nothing was loaded.');
  });

  it('validate: a SHACL violation names the focus node and the shape', async () => {
    const result = await cli('validate', 'test/fixtures/broken/claim-without-claimant.ttl');
    expect(result.code).toBe(1);
    expect(result.err).toContain(`<${BASE}id/claim/broken-1>`);
    expect(result.err).toMatch(/shape <https:\/\/w3id\.org\/communs-kg\/shapes#/);
  });

  it('query: prints a table, JSON or CSV', async () => {
    const query =
      'PREFIX ck: <https://w3id.org/communs-kg/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?p a ck:Person }';
    const table = await cli('query', '--text', query);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/\| n +\|[\s\S]*"11"\^\^xsd:integer[\s\S]*1 row\(s\)/);
    const json = JSON.parse((await cli('query', '--text', query, '--format', 'json')).out);
    expect(json.results.bindings[0].n.value).toBe('11');
    const csv = await cli('query', '--text', query, '--format', 'csv');
    expect(csv.out.trim().split(/\r?\n/)).toEqual(['n', '11']);
  });

  it('query: reads a .rq file and reports a malformed query with its position', async () => {
    const file = join(dir, 'bad.rq');
    await writeFile(file, 'SELECT ?x WHERE {\n  ?x ?y\n}');
    const result = await cli('query', file);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/Query error \(line 3, column 1\)/);
  });

  it('export: writes each format to a file that parses back', async () => {
    const out = join(dir, 'graph.trig');
    const result = await cli('export', '--format', 'trig', '--out', out);
    expect(result.code).toBe(0);
    const quads = await parseRdf(await readFile(out, 'utf8'), {
      format: 'trig',
      baseIri: BASE,
      sourceName: out,
    });
    expect(new Set(quads.map((q) => q.graph.value)).size).toBe(3);
  });

  it.each([
    [['export', '--format', 'xml']],
    [['query', '--text', 'ASK {}', '--nope']],
    [['validate', '--port', 'eighty']],
    [['frobnicate']],
    [['query']],
  ])('rejects bad usage %j with exit code 2 and the usage', async (argv) => {
    const result = await cli(...argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain('Usage: communs-kg');
  });
});
