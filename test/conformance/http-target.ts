/**
 * The server under test, reached only through its HTTP API: SPARQL Protocol queries on /sparql,
 * updates on /update, data in and out through the Graph Store Protocol on /graph-store.
 */
import { DataFactory, type Quad } from 'n3';
import { parseGraph, parseResult, syntaxFromMediaType } from './results.js';
import { withBase, type Reply, type Target } from './target.js';

const { namedNode, quad: makeQuad } = DataFactory;

export class HttpTarget implements Target {
  readonly name: string;

  constructor(
    readonly url: string,
    readonly token: string,
  ) {
    this.name = `server at ${url}`;
  }

  private authorization(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  async send(path: string, init: RequestInit): Promise<Reply> {
    const response = await fetch(`${this.url}${path}`, init);
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: await response.text(),
      location: response.headers.get('location'),
    };
  }

  async reset(): Promise<void> {
    const reply = await this.update('DROP ALL', 'urn:x-conformance:reset');
    if (reply.status >= 300) {
      throw new Error(`DROP ALL answered ${reply.status}: ${reply.body.trim().slice(0, 200)}`);
    }
  }

  load(graph: string | null, text: string, mediaType: string, append: boolean): Promise<Reply> {
    return this.send(graphStorePath(graph), {
      method: append ? 'POST' : 'PUT',
      headers: { 'content-type': mediaType, ...this.authorization() },
      body: Buffer.from(text, 'utf8'),
    });
  }

  query(text: string, baseIri: string, accept: string): Promise<Reply> {
    return this.send('/sparql', {
      method: 'POST',
      headers: { 'content-type': 'application/sparql-query', accept },
      body: Buffer.from(withBase(text, baseIri), 'utf8'),
    });
  }

  update(text: string, baseIri: string): Promise<Reply> {
    return this.send('/update', {
      method: 'POST',
      headers: { 'content-type': 'application/sparql-update', ...this.authorization() },
      body: Buffer.from(withBase(text, baseIri), 'utf8'),
    });
  }

  /**
   * GET /graph-store?default, then GET ?graph= for each named graph the store lists (a SPARQL
   * query over GRAPH ?g) and each graph the test expects. Blank-node labels are kept as the
   * server writes them, so a node shared by two graphs stays one node.
   */
  async dump(graphs: readonly string[]): Promise<Quad[]> {
    const names = new Set([...(await this.listGraphs()), ...graphs]);
    const quads = await this.getGraph(null);
    for (const name of names) quads.push(...(await this.getGraph(name)));
    return quads;
  }

  private async listGraphs(): Promise<string[]> {
    const reply = await this.query(
      'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }',
      'urn:x-conformance:dump',
      'application/sparql-results+json',
    );
    if (reply.status !== 200) throw new Error(`listing graphs answered ${reply.status}`);
    const result = await parseResult(reply.body, 'srj', 'urn:x-conformance:dump');
    if (result.type !== 'bindings') throw new Error('listing graphs gave no bindings');
    return result.rows.flatMap((row) => (row.g?.termType === 'NamedNode' ? [row.g.value] : []));
  }

  private async getGraph(graph: string | null): Promise<Quad[]> {
    const reply = await this.send(graphStorePath(graph), {
      headers: { accept: 'application/n-triples', ...this.authorization() },
    });
    if (reply.status === 404) return [];
    if (reply.status !== 200) {
      throw new Error(`GET ${graphStorePath(graph)} answered ${reply.status}`);
    }
    const syntax = syntaxFromMediaType(reply.contentType);
    if (syntax !== 'ntriples' && syntax !== 'turtle' && syntax !== 'nquads' && syntax !== 'trig') {
      throw new Error(`GET ${graphStorePath(graph)} answered ${reply.contentType ?? 'no type'}`);
    }
    const quads = await parseGraph(reply.body, syntax, 'urn:x-conformance:dump');
    if (graph === null) return quads;
    const name = namedNode(graph);
    return quads.map((quad) => makeQuad(quad.subject, quad.predicate, quad.object, name));
  }

  async close(): Promise<void> {}
}

export function graphStorePath(graph: string | null): string {
  return graph === null
    ? '/graph-store?default'
    : `/graph-store?graph=${encodeURIComponent(graph)}`;
}
