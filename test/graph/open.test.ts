import { appendFile, cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectSources, type GraphSources } from '../../src/graph/loader.js';
import {
  BaseIriMismatchError,
  InvalidSeedError,
  openProjectGraph,
  type OpenGraph,
} from '../../src/graph/open.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { BASE } from '../helpers/project.js';

/** A copy of ontology/ and data/ that a test may change, and a data directory. */
async function workspace(): Promise<{ root: string; sources: GraphSources; dataDir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'communs-kg-open-'));
  await cp(join(PROJECT_ROOT, 'ontology'), join(root, 'ontology'), { recursive: true });
  await cp(join(PROJECT_ROOT, 'data'), join(root, 'data'), { recursive: true });
  return { root, sources: await projectSources(root), dataDir: join(root, 'var') };
}

async function opened<T>(graph: Promise<OpenGraph>, use: (g: OpenGraph) => T): Promise<T> {
  const g = await graph;
  try {
    return use(g);
  } finally {
    g.db.close();
  }
}

describe('opening the project graph from its database', () => {
  it('seeds an empty database once, then reads it back alone', async () => {
    const { sources, dataDir } = await workspace();
    const first = await opened(openProjectGraph(dataDir, BASE, sources), (g) => ({
      seeded: g.seeded,
      size: g.store.size,
      stored: g.db.quadCount(),
    }));
    expect(first.seeded).toBe(true);
    expect(first.stored).toBe(first.size);
    const again = await opened(openProjectGraph(dataDir, BASE, sources), (g) => ({
      seeded: g.seeded,
      size: g.store.size,
      changed: g.changedSeedFiles,
    }));
    expect(again).toEqual({ seeded: false, size: first.size, changed: [] });
  });

  it('reports a seed file changed since seeding and does not merge it', async () => {
    const { root, sources, dataDir } = await workspace();
    const size = await opened(openProjectGraph(dataDir, BASE, sources), (g) => g.store.size);
    await appendFile(
      join(root, 'data', 'people.ttl'),
      '\n<id/person/new-comer> <http://www.w3.org/2000/01/rdf-schema#label> "Nouvelle"@fr .\n',
    );
    await opened(openProjectGraph(dataDir, BASE, sources), (g) => {
      expect(g.changedSeedFiles).toEqual([
        expect.stringMatching(/data\/people\.ttl$/) as unknown as string,
      ]);
      expect(g.store.size).toBe(size);
    });
  });

  it('refuses a database built on another base IRI', async () => {
    const { sources, dataDir } = await workspace();
    await opened(openProjectGraph(dataDir, BASE, sources), () => undefined);
    await expect(openProjectGraph(dataDir, 'https://other.example/', sources)).rejects.toThrow(
      BaseIriMismatchError,
    );
  });

  it('stores nothing when the seed breaks the shapes, and seeds once it is fixed', async () => {
    const { root, sources, dataDir } = await workspace();
    const broken = join(root, 'data', 'zz-broken.ttl');
    await writeFile(
      broken,
      '<id/person/nameless> a <https://w3id.org/communs-kg/ontology#Person> .\n',
    );
    const withBroken = await projectSources(root);
    const error = await openProjectGraph(dataDir, BASE, withBroken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSeedError);
    expect((error as InvalidSeedError).violations.length).toBeGreaterThan(0);
    // Nothing was kept: the next start seeds from scratch.
    await opened(openProjectGraph(dataDir, BASE, sources), (g) => expect(g.seeded).toBe(true));
  });
});
