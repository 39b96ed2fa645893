import { RDF_FORMATS, type RdfFormat } from '../../src/rdf/formats.js';
import { isomorphicDatasets } from '../../src/rdf/isomorphism.js';
import { parseRdf } from '../../src/rdf/parse.js';
import { serializeRdf } from '../../src/rdf/serialize.js';
import { DataFactory, type Quad } from 'n3';
import { BASE, projectGraph } from '../helpers/project.js';

function asTriples(quads: Quad[]): Quad[] {
  return quads.map((q) => DataFactory.quad(q.subject, q.predicate, q.object));
}

describe('export round trip', () => {
  it.each(Object.keys(RDF_FORMATS) as RdfFormat[])(
    '%s parses back to a graph isomorphic to the loaded one',
    async (format) => {
      const { store } = await projectGraph();
      const loaded = store.quads();
      const text = await serializeRdf(loaded, format);
      const parsed = await parseRdf(text, {
        format,
        baseIri: BASE,
        sourceName: `export.${format}`,
      });
      const expected = RDF_FORMATS[format].carriesGraphs ? loaded : asTriples(loaded);
      expect(parsed.length).toBeGreaterThan(1000);
      expect(isomorphicDatasets(parsed, expected)).toBe(true);
    },
  );

  it('compacts JSON-LD with the project context into readable terms', async () => {
    const { store } = await projectGraph();
    const json = JSON.parse(await serializeRdf(store.quads(), 'jsonld'));
    const nodes: Record<string, unknown>[] = [];
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (value && typeof value === 'object') {
        nodes.push(value as Record<string, unknown>);
        Object.values(value).forEach(collect);
      }
    };
    collect(json['@graph']);
    const verdier = nodes.find((node) => node.id === `${BASE}id/person/henri-verdier`);
    expect(verdier).toMatchObject({ type: 'Person', affiliation: expect.anything() });
  });

  it('detects a changed graph (the isomorphism check can fail)', async () => {
    const { store } = await projectGraph();
    const loaded = store.quads();
    expect(isomorphicDatasets(loaded.slice(1), loaded)).toBe(false);
  });
});
