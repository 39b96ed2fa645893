import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataFactory } from 'n3';
import { cli, commitToDatabase } from '../helpers/cli.js';
import { projectSources } from '../../src/graph/loader.js';
import { openProjectGraph } from '../../src/graph/open.js';
import { CK, DCTERMS, graphIris, RDF, RDFS } from '../../src/rdf/namespaces.js';
import { Database } from '../../src/store/database.js';
import { BASE } from '../helpers/project.js';
import { tempDataDir } from '../helpers/server.js';

const { namedNode, literal, quad } = DataFactory;

/** Adds a place named Paris to the database, as a fixture (a valid entity; no changeset). */
async function addParis(dataDir: string): Promise<void> {
  const data = namedNode(graphIris(BASE).data);
  const paris = namedNode(`${BASE}id/place/paris`);
  const source = namedNode(`${BASE}id/source/csnp-2023-page`);
  await commitToDatabase(dataDir, [
    quad(paris, namedNode(`${RDF}type`), namedNode(`${CK}Place`), data),
    quad(paris, namedNode(`${RDFS}label`), literal('Paris', 'fr'), data),
    quad(paris, namedNode(`${RDFS}label`), literal('Paris', 'en'), data),
    quad(paris, namedNode(`${DCTERMS}source`), source, data),
  ]);
}

function pendingChangesets(dataDir: string): { message: string; additions: string }[] {
  const db = Database.open(dataDir);
  try {
    return db.sqlite
      .prepare("SELECT message, additions FROM changesets WHERE status = 'pending'")
      .all() as { message: string; additions: string }[];
  } finally {
    db.close();
  }
}

describe('communs-kg link', () => {
  let dataDir: string;
  let server: Server;
  let api: string;
  const searched: string[] = [];

  beforeAll(async () => {
    dataDir = tempDataDir();
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://x');
      const name = url.searchParams.get('search') ?? '';
      searched.push(name);
      const search =
        name === 'Paris' ? [{ id: 'Q90', label: 'Paris', description: 'capital of France' }] : [];
      response.setHeader('content-type', 'application/json').end(JSON.stringify({ search }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/w/api.php`;
    expect(
      (await cli('user', 'add', 'lou', '--role', 'contributor', '--data-dir', dataDir)).code,
    ).toBe(0);
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('needs a contributor to propose as', async () => {
    expect((await cli('link', '--offline', '--data-dir', dataDir)).code).toBe(2);
    const unknown = await cli('link', '--offline', '--as', 'nobody', '--data-dir', dataDir);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/No contributor "nobody"/);
  });

  it('offline, on the seed: no verified item names an unlinked entity, so nothing is proposed', async () => {
    const result = await cli('link', '--offline', '--as', 'lou', '--data-dir', dataDir);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/No proposal \(\d+ entities without a Wikidata link\)/);
    expect(result.out).toMatch(
      /Open Data France": closest item Q309901 "open data" scores \d+ < 90/,
    );
    expect(pendingChangesets(dataDir)).toEqual([]);
  });

  it('offline, the shipped extract names a verified item', async () => {
    await addParis(dataDir);
    const result = await cli('link', '--offline', '--as', 'lou', '--data-dir', dataDir);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/place\/paris> "Paris" → wd:Q90 "Paris"/);
    // Withdraw it (reject as a moderator) so that the online run below proposes afresh.
    const db = Database.open(dataDir);
    try {
      db.sqlite.prepare("UPDATE changesets SET status = 'rejected' WHERE status = 'pending'").run();
    } finally {
      db.close();
    }
  });

  it('online (a stand-in server): proposes the item as a pending changeset, links nothing', async () => {
    const result = await cli(
      'link',
      '--as',
      'lou',
      '--api',
      api,
      '--interval-ms',
      '0',
      '--data-dir',
      dataDir,
    );
    expect(result.code).toBe(0);
    expect(result.out).toMatch(
      /place\/paris> "Paris" → wd:Q90 "Paris" \(capital of France\), score 100/,
    );
    expect(result.out).toMatch(/pending changeset \d+/);
    expect(searched).toContain('Paris');
    const [pending] = pendingChangesets(dataDir);
    expect(pending?.additions.trim()).toBe(
      `<${BASE}id/place/paris> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q90> <${graphIris(BASE).data}> .`,
    );
    expect(pending?.message).toMatch(/wbsearchentities/);
    // Pending, not applied: the graph has no link yet.
    const graph = await openProjectGraph(dataDir, BASE, await projectSources());
    try {
      expect(
        graph.store.index.countQuads(
          namedNode(`${BASE}id/place/paris`),
          namedNode('http://www.w3.org/2002/07/owl#sameAs'),
          null,
          null,
        ),
      ).toBe(0);
    } finally {
      graph.db.close();
    }
  });

  it('does not propose again a link that waits for review', async () => {
    const result = await cli('link', '--offline', '--as', 'lou', '--data-dir', dataDir);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(
      /place\/paris> "Paris": a link to Q90 or another item already waits/,
    );
    expect(pendingChangesets(dataDir)).toHaveLength(1);
  });

  it('says so when Wikidata cannot be reached', async () => {
    const result = await cli(
      'link',
      '--as',
      'lou',
      '--api',
      'http://127.0.0.1:9/w/api.php',
      '--interval-ms',
      '0',
      '--data-dir',
      dataDir,
    );
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /Wikidata could not be asked: .*could not be reached.*Try --offline/,
    );
  });
});
