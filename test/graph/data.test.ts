import { join } from 'node:path';
import { DataFactory, Store } from 'n3';
import { parseRdfFile } from '../../src/rdf/parse.js';
import { loadGraph, projectSources, validateLoadedGraph } from '../../src/graph/loader.js';
import { CK, OA, RDF } from '../../src/rdf/namespaces.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { BASE, SEED_FILE, projectGraph, readShared } from '../helpers/project.js';

const { namedNode } = DataFactory;

describe('ontology and data files', () => {
  it('every file parses', async () => {
    const sources = await projectSources();
    const files = [...sources.ontologyFiles, sources.shapesFile, ...sources.dataFiles];
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const file of files) {
      await expect(parseRdfFile(file, BASE)).resolves.not.toHaveLength(0);
    }
  });

  it('the data conforms to the SHACL shapes', async () => {
    const outcome = await validateLoadedGraph(await projectGraph());
    expect(outcome.violations).toEqual([]);
    expect(outcome.conforms).toBe(true);
  });

  it('a broken fixture is reported with focus node, path and message', async () => {
    const sources = await projectSources();
    const fixture = join(PROJECT_ROOT, 'test/fixtures/broken/claim-without-claimant.ttl');
    const graph = await loadGraph(BASE, { ...sources, dataFiles: [fixture] });
    const outcome = await validateLoadedGraph(graph);
    expect(outcome.conforms).toBe(false);
    expect(outcome.violations).toContainEqual(
      expect.objectContaining({
        focusNode: `<${BASE}id/claim/broken-1>`,
        path: `<${CK}claimant>`,
        message: expect.stringMatching(/claimant/i),
        shape: expect.any(String),
      }),
    );
  });
});

describe('claims and questions against the source page', () => {
  let source: string;
  let store: Store;

  beforeAll(async () => {
    source = await readShared(SEED_FILE, 'every claim is checked against the source page');
    store = new Store((await projectGraph()).data);
  });

  function utterances() {
    return ['Quote', 'Paraphrase', 'Question'].flatMap((cls) =>
      store.getSubjects(namedNode(`${RDF}type`), namedNode(`${CK}${cls}`), null),
    );
  }

  it('there are claims of every speaker, quotes and paraphrases', () => {
    const quotes = store.getSubjects(namedNode(`${RDF}type`), namedNode(`${CK}Quote`), null);
    const paraphrases = store.getSubjects(
      namedNode(`${RDF}type`),
      namedNode(`${CK}Paraphrase`),
      null,
    );
    const speakers = new Set(
      [...quotes, ...paraphrases].flatMap((claim) =>
        store.getObjects(claim, namedNode(`${CK}claimant`), null).map((p) => p.value),
      ),
    );
    expect(quotes.length).toBeGreaterThanOrEqual(30);
    expect(paraphrases.length).toBeGreaterThanOrEqual(8);
    expect(speakers.size).toBe(9);
  });

  it("every claim's and question's exact text occurs in the source", () => {
    const missing: string[] = [];
    for (const node of utterances()) {
      const texts = [
        ...store.getObjects(node, namedNode(`${CK}text`), null),
        ...store.getObjects(node, namedNode(`${CK}textVariant`), null),
      ];
      expect(texts.length).toBeGreaterThan(0);
      for (const text of texts) {
        if (!source.includes(text.value)) missing.push(`${node.value}: ${text.value}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every selector has exact == text and locates it with its prefix and suffix', () => {
    const problems: string[] = [];
    for (const node of utterances()) {
      const [text] = store.getObjects(node, namedNode(`${CK}text`), null);
      const selectors = store.getObjects(node, namedNode(`${CK}selector`), null);
      if (selectors.length !== 1 || !text) {
        problems.push(`${node.value}: ${selectors.length} selectors`);
        continue;
      }
      const value = (p: string) =>
        store.getObjects(selectors[0] as never, namedNode(`${OA}${p}`), null)[0]?.value ?? '';
      if (value('exact') !== text.value) problems.push(`${node.value}: exact differs from text`);
      if (!source.includes(value('prefix') + value('exact') + value('suffix'))) {
        problems.push(`${node.value}: prefix + exact + suffix not found in the source`);
      }
    }
    expect(problems).toEqual([]);
  });
});
