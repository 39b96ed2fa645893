import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFactory } from 'n3';
import { run } from '../../src/cli/main.js';
import { Dataset } from '../../src/graph/dataset.js';
import { projectSources } from '../../src/graph/loader.js';
import { openProjectGraph } from '../../src/graph/open.js';
import { SparqlEngine } from '../../src/sparql/engine.js';
import { BASE } from '../helpers/project.js';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('communs-kg query and export on a data directory', () => {
  it('query, export and wikidata-export read the database once seeded, contributions included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'communs-kg-read-'));
    const ask =
      'ASK { <https://w3id.org/communs-kg/id/commons/tchap> <http://www.w3.org/2000/01/rdf-schema#comment> "contributed" }';
    expect((await cli('query', '--text', ask, '--data-dir', dir)).out).toBe('false\n');
    // A contribution applied in the database (as an accepted changeset would be).
    const graph = await openProjectGraph(dir, BASE, await projectSources());
    try {
      const engine = new SparqlEngine(graph.store, { baseIri: BASE, serviceAllowList: [] });
      new Dataset(graph.store, graph.db, engine, () => {}, {
        baseIri: BASE,
        derivedView: true,
      }).commit({
        additions: [
          DataFactory.quad(
            DataFactory.namedNode(`${BASE}id/commons/tchap`),
            DataFactory.namedNode('http://www.w3.org/2000/01/rdf-schema#comment'),
            DataFactory.literal('contributed'),
            DataFactory.namedNode(`${BASE}graph/data`),
          ),
        ],
        deletions: [],
      });
    } finally {
      graph.db.close();
    }
    expect((await cli('query', '--text', ask, '--data-dir', dir)).out).toBe('true\n');
    // Q2013 (a verified id) stands in for a link accepted through `communs-kg link`: it is not a
    // claim that the speaker is that item. wikidata-export must see it in the database.
    const linked = await openProjectGraph(dir, BASE, await projectSources());
    try {
      const engine = new SparqlEngine(linked.store, { baseIri: BASE, serviceAllowList: [] });
      new Dataset(linked.store, linked.db, engine, () => {}, {
        baseIri: BASE,
        derivedView: true,
      }).commit({
        additions: [
          DataFactory.quad(
            DataFactory.namedNode(`${BASE}id/person/henri-verdier`),
            DataFactory.namedNode('http://www.w3.org/2002/07/owl#sameAs'),
            DataFactory.namedNode('http://www.wikidata.org/entity/Q2013'),
            DataFactory.namedNode(`${BASE}graph/data`),
          ),
        ],
        deletions: [],
      });
    } finally {
      linked.db.close();
    }
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
