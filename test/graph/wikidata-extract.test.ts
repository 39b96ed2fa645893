import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths.js';

const SHARED = join(PROJECT_ROOT, '../shared/wikidata/verified-ids.tsv');
const EXTRACT = join(PROJECT_ROOT, 'data/wikidata/items.tsv');

const rows = (text: string) =>
  text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split('\t'));

describe('the offline Wikidata extract (data/wikidata/items.tsv)', () => {
  it('holds exactly the verified items of ../shared/wikidata/verified-ids.tsv', async () => {
    if (!existsSync(SHARED)) {
      throw new Error(
        `${SHARED} is absent: the extract cannot be checked against the verified ids`,
      );
    }
    const verified = rows(await readFile(SHARED, 'utf8'))
      .filter(([kind]) => kind === 'item')
      .map(([, label, id]) => `${id}\t${label}`);
    const extract = rows(await readFile(EXTRACT, 'utf8'))
      .slice(1)
      .map(([id, label]) => `${id}\t${label}`);
    expect(extract.length).toBeGreaterThan(0);
    expect(extract.sort()).toEqual(verified.sort());
  });
});
