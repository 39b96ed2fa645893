import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths.js';
import { SHARED_DIR, readShared } from '../helpers/project.js';

const SCANNED = ['ontology', 'data', 'queries', 'docs', 'src', 'test', 'README.md'];
/** wd:Q…, wdt:P…, and full Wikidata entity/property IRIs. */
const ID_PATTERN =
  /\b(?:wdt?:|www\.wikidata\.org\/(?:entity|prop\/direct|wiki(?:\/Property:)?)\/)([PQ]\d+)\b/g;

async function filesUnder(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => undefined);
  if (!entries) return [path];
  const nested = await Promise.all(
    entries
      .filter((entry) => entry.name !== 'fixtures')
      .map((entry) => filesUnder(join(path, entry.name))),
  );
  return nested.flat();
}

describe('Wikidata ids', () => {
  it('only ids verified in ../shared/wikidata/ appear anywhere in the project', async () => {
    const table = await readShared(
      join(SHARED_DIR, 'wikidata', 'verified-ids.tsv'),
      'Wikidata ids are checked against the verified list',
    );
    const verified = new Set(table.split('\n').map((line) => line.split('\t')[2]));
    const files = (await Promise.all(SCANNED.map((p) => filesUnder(join(PROJECT_ROOT, p))))).flat();
    const unverified: string[] = [];
    let seen = 0;
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(ID_PATTERN)) {
        seen += 1;
        if (!verified.has(match[1]))
          unverified.push(`${relative(PROJECT_ROOT, file)}: ${match[0]}`);
      }
    }
    expect(seen).toBeGreaterThan(50);
    expect(unverified).toEqual([]);
  });
});
