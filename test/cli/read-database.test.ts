import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFactory } from 'n3';
import { cli, commitToDatabase } from '../helpers/cli.js';
import { BASE } from '../helpers/project.js';

const { namedNode, literal, quad } = DataFactory;
const DATA = namedNode(`${BASE}graph/data`);

describe('communs-kg query and export on a data directory', () => {
  it('query, export and wikidata-export read the database once seeded, contributions included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'communs-kg-read-'));
    const tchap = namedNode(`${BASE}id/commons/tchap`);
    const comment = namedNode('http://www.w3.org/2000/01/rdf-schema#comment');
    const ask = `ASK { <${tchap.value}> <${comment.value}> "contributed" }`;
    // No database yet: the files.
    expect((await cli('query', '--text', ask, '--data-dir', dir)).out).toBe('false\n');
    // A contribution applied in the database (as an accepted changeset would be).
    await commitToDatabase(dir, [quad(tchap, comment, literal('contributed'), DATA)]);
    expect((await cli('query', '--text', ask, '--data-dir', dir)).out).toBe('true\n');

    // Q2013 (a verified id) stands in for a link accepted through `communs-kg link`: it is not a
    // claim that the speaker is that item. wikidata-export must see it in the database.
    await commitToDatabase(dir, [
      quad(
        namedNode(`${BASE}id/person/henri-verdier`),
        namedNode('http://www.w3.org/2002/07/owl#sameAs'),
        namedNode('http://www.wikidata.org/entity/Q2013'),
        DATA,
      ),
    ]);
    const statements = await cli(
      'wikidata-export',
      '--source-url',
      'https://example.org/page',
      '--data-dir',
      dir,
    );
    expect(statements.code).toBe(0);
    expect(statements.out).toMatch(/^Q2013\tP1683\tfr:"/m);

    const exported = await cli('export', '--format', 'nt', '--data-dir', dir);
    expect(exported.out).toContain('<http://www.w3.org/2000/01/rdf-schema#comment> "contributed"');
  });
});
