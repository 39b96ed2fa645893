import { OxigraphReplica } from '../../src/sparql/oxigraph-replica.js';

const JSON_RESULTS = 'application/sparql-results+json';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const G = '<http://example.org/g>';
const p = (name: string) => `<http://example.org/${name}>`;

async function select(replica: OxigraphReplica, query: string): Promise<string[]> {
  let text = '';
  for await (const chunk of await replica.evaluate({ text: query, mediaType: JSON_RESULTS })) {
    text += chunk.toString();
  }
  const body = JSON.parse(text) as {
    boolean?: boolean;
    results?: { bindings: Record<string, { value: string }>[] };
  };
  if (body.boolean !== undefined) return [String(body.boolean)];
  return (body.results?.bindings ?? []).map((row) =>
    Object.values(row)
      .map((term) => term.value)
      .join(' '),
  );
}

describe('the Oxigraph replica follows the main store exactly', () => {
  const options = { baseIri: 'http://example.org/', serviceAllowList: [] };

  it('keeps one node per blank-node label across loads, and deletes it by that label', async () => {
    const replica = new OxigraphReplica(options);
    replica.load(`_:u1 ${p('label')} "a" ${G} .\n_:u2 ${p('label')} "b" ${G} .`);
    // A later chunk names the nodes of the first one, as a node's object and subject.
    replica.load(`${p('s')} ${p('has')} _:u1 ${G} .\n_:u1 ${p('more')} _:u2 ${G} .`);
    const path = `SELECT ?l WHERE { ${p('s')} ${p('has')}/${p('more')}/${p('label')} ?l }`;
    expect(await select(replica, path)).toEqual(['b']);
    replica.change([{ delete: `_:u1 ${p('more')} _:u2 ${G} .` }]);
    expect(await select(replica, path)).toEqual([]);
    expect(await select(replica, `SELECT ?l WHERE { ?x ${p('label')} ?l } ORDER BY ?l`)).toEqual([
      'a',
      'b',
    ]);
    // The labels' bookkeeping leaves nothing behind in the store.
    expect(await select(replica, 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }')).toEqual(['3']);
  });

  it('never rewrites text that only looks like a blank node inside a literal', async () => {
    const replica = new OxigraphReplica(options);
    replica.load(`_:u1 ${p('note')} "see _:u1 and \\"_:u2\\"" ${G} .`);
    replica.load(`_:u1 ${p('label')} "x" ${G} .`);
    expect(
      await select(replica, `SELECT ?n WHERE { ?b ${p('label')} "x" ; ${p('note')} ?n }`),
    ).toEqual(['see _:u1 and "_:u2"']);
  });

  it('leaves "_:" inside an IRI alone when it follows the blank nodes of a line', async () => {
    const replica = new OxigraphReplica(options);
    replica.load(`<urn:x_:u9> ${p('has')} _:u9 ${G} .`);
    replica.load(`_:u9 ${p('label')} "z" ${G} .\n<urn:y_:u9> ${p('label')} "w" ${G} .`);
    replica.change([{ add: `<urn:z_:u9> ${p('has')} _:u9 ${G} .` }]);
    const query = `SELECT ?s WHERE { ?s ${p('has')}/${p('label')} "z" } ORDER BY ?s`;
    expect(await select(replica, query)).toEqual(['urn:x_:u9', 'urn:z_:u9']);
    expect(await select(replica, `SELECT ?s WHERE { ?s ${p('label')} "w" }`)).toEqual([
      'urn:y_:u9',
    ]);
  });

  it('answers verbatim literals through Comunica, joined with the same blank nodes', async () => {
    const replica = new OxigraphReplica(options);
    replica.load(`_:u3 ${p('label')} "c" ${G} .`);
    replica.load(`_:u3 ${p('value')} "01"^^<${XSD}integer> ${G} .`);
    const value = `SELECT ?v WHERE { ?b ${p('label')} "c" ; ${p('value')} ?v }`;
    expect(await select(replica, value)).toEqual(['01']);
    replica.change([
      { delete: `_:u3 ${p('value')} "01"^^<${XSD}integer> ${G} .` },
      { add: `_:u3 ${p('value')} "1"^^<${XSD}integer> ${G} .` },
    ]);
    expect(await select(replica, value)).toEqual(['1']);
  });
});
