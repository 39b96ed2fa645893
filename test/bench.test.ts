/**
 * Smoke test of the benchmark (bench/): the generator is deterministic and near its target size,
 * its Wikidata view is the one the project derives from the whole graph, and the harness runs
 * every query of the mix on both in-process engines at 10 k triples with the same results.
 * The benchmark itself (npm run bench) is not part of the test suite.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser, Store } from 'n3';
import { generateToString, mulberry32, parseSize } from '../bench/generate.js';
import {
  compareResults,
  loadEngine,
  loadQueries,
  measure,
  median,
  percentile,
  type LoadedEngine,
} from '../bench/harness.js';
import { deriveWikidataView } from '../src/graph/wikidata-view.js';

const TEN_K = parseSize('10k');

describe('bench generator', () => {
  let first: Awaited<ReturnType<typeof generateToString>>;
  beforeAll(async () => {
    first = await generateToString({ triples: TEN_K, seed: 42 });
  });

  test('the same seed and size give byte-identical output; another seed does not', async () => {
    const again = await generateToString({ triples: TEN_K, seed: 42 });
    expect(again.text === first.text).toBe(true);
    const other = await generateToString({ triples: TEN_K, seed: 7 });
    expect(other.text === first.text).toBe(false);
    expect(mulberry32(1)()).toBe(mulberry32(1)());
  });

  test('it writes about the target number of distinct triples, in the three graphs', () => {
    const { summary, text } = first;
    expect(Math.abs(summary.triples - TEN_K) / TEN_K).toBeLessThan(0.05);
    const lines = text.split('\n').filter(Boolean);
    expect(lines).toHaveLength(summary.triples);
    expect(new Set(lines).size).toBe(summary.triples);
    expect(summary.triples).toBe(summary.ontology + summary.data + summary.derived);
    expect(summary.entities.quotes).toBeGreaterThan(50);
  });

  test('its Wikidata view is deriveWikidataView of the whole ontology and data', () => {
    const quads = new Parser({ format: 'application/n-quads' }).parse(first.text);
    const inGraph = (suffix: string) => quads.filter((q) => q.graph.value.endsWith(suffix));
    const key = (q: (typeof quads)[number]) =>
      `${q.subject.value} ${q.predicate.value} ${q.object.id}`;
    const whole = deriveWikidataView(
      new Store([...inGraph('graph/ontology'), ...inGraph('graph/data')]),
    );
    const view = inGraph('graph/wikidata-view');
    expect(new Set(view.map(key))).toEqual(new Set(whole.map(key)));
  });
});

describe('bench harness at 10 k', () => {
  let dir: string;
  let engines: LoadedEngine[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'communs-bench-test-'));
    const file = join(dir, 'graph.nq');
    writeFileSync(file, (await generateToString({ triples: TEN_K, seed: 42 })).text);
    engines = [await loadEngine('communs-kg', file), await loadEngine('oxigraph', file)];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('both engines load every triple', () => {
    expect(engines[0]?.triples).toBeGreaterThan(9000);
    expect(engines[0]?.triples).toBe(engines[1]?.triples);
  });

  test('every query runs on both engines with the same results (DESCRIBE may differ)', async () => {
    const queries = await loadQueries();
    expect(queries.length).toBeGreaterThanOrEqual(12);
    expect(new Set(queries.map((q) => q.form))).toEqual(
      new Set(['SELECT', 'ASK', 'CONSTRUCT', 'DESCRIBE']),
    );
    const policy = { runs: 1, warmups: 1, timeoutMs: 20_000, budgetMs: 0 };
    for (const query of queries) {
      const results = [];
      for (const engine of engines) {
        results.push(await measure((signal) => engine.run(query, signal), policy));
      }
      const [ck, ox] = results;
      expect([query.name, ck?.status, ox?.status]).toEqual([query.name, 'ok', 'ok']);
      expect(ck?.samples).toHaveLength(1);
      const comparison = compareResults(query.form, ck?.result ?? '', ox?.result ?? '');
      if (query.form !== 'DESCRIBE') {
        expect([query.name, comparison.same, comparison.detail]).toEqual([
          query.name,
          true,
          comparison.detail,
        ]);
        // Each query returns something: rows, triples or true.
        expect([query.name, comparison.sizes[0]]).not.toEqual([query.name, '0']);
      }
    }
  });

  test('statistics', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(
      percentile(
        [...Array(20).keys()].map((i) => i + 1),
        95,
      ),
    ).toBe(19);
  });
});
