import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Term } from 'n3';
import { SparqlEngine } from '../../src/sparql/engine.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { BASE, projectGraph } from '../helpers/project.js';

const QUERIES = join(PROJECT_ROOT, 'queries');

/** What a competency query must answer: a table of cells, or a boolean for ASK. */
interface Expected {
  variables?: string[];
  rows?: string[][];
  /** Whether the order of rows is part of the answer (the query has an ORDER BY that decides it). */
  ordered?: boolean;
  boolean?: boolean;
}

/** IRIs under the base are written relative to it ("id/person/…"); everything else by its value. */
function cell(term: Term | undefined): string {
  if (!term) return '';
  return term.termType === 'NamedNode' && term.value.startsWith(BASE)
    ? term.value.slice(BASE.length)
    : term.value;
}

const names = (await readdir(QUERIES)).filter((f) => f.endsWith('.rq')).sort();

describe('competency queries', () => {
  let engine: SparqlEngine;
  beforeAll(async () => {
    engine = new SparqlEngine((await projectGraph()).store, {
      baseIri: BASE,
      serviceAllowList: [],
    });
  });

  it('there are at least 15', () => {
    expect(names.length).toBeGreaterThanOrEqual(15);
  });

  describe.each(names)('%s', (name) => {
    let text: string;
    let expected: Expected;
    beforeAll(async () => {
      text = await readFile(join(QUERIES, name), 'utf8');
      const file = join(QUERIES, 'expected', name.replace(/\.rq$/, '.json'));
      expected = JSON.parse(await readFile(file, 'utf8')) as Expected;
    });

    it('is headed by the question in French and English', () => {
      expect(text).toMatch(/^# FR: .+\n# EN: .+\n/);
    });

    it('returns its expected result', async () => {
      if (expected.boolean !== undefined) {
        expect(await engine.ask(text)).toBe(expected.boolean);
        return;
      }
      const { variables, rows } = await engine.select(text);
      expect(variables).toEqual(expected.variables);
      const actual = rows.map((row) => variables.map((v) => cell(row[v])));
      const wanted = expected.rows ?? [];
      expect(actual.length).toBeGreaterThan(0);
      if (expected.ordered) {
        expect(actual).toEqual(wanted);
      } else {
        const sort = (table: string[][]) => table.map((r) => JSON.stringify(r)).sort();
        expect(sort(actual)).toEqual(sort(wanted));
      }
    });
  });
});
