import { DataFactory, Store, type Quad, type Quad_Graph } from 'n3';
import type { GraphReads } from './graph-reads.js';

const { namedNode, quad: makeQuad } = DataFactory;

/**
 * The embedded triple store: named graphs in an in-memory N3 index that the query engine reads.
 * It is the bottom layer: it knows quads and graph names, nothing of ontologies or HTTP.
 */
export class GraphStore implements GraphReads {
  /** `index`: an N3 store to serve (a working copy of part of another store); a new one by default. */
  constructor(readonly index: Store = new Store()) {}

  /** The whole index, whatever the scope: it is already in memory. */
  view(_scope?: string): Promise<Store> {
    return Promise.resolve(this.index);
  }

  get size(): number {
    return this.index.size;
  }

  /** Replaces the content of one named graph; quads are moved into that graph whatever their own. */
  replaceGraph(graphIri: string, quads: Iterable<Quad>): void {
    this.clearGraph(graphIri);
    this.addToGraph(graphIri, quads);
  }

  addToGraph(graphIri: string, quads: Iterable<Quad>): void {
    const graph = namedNode(graphIri);
    for (const q of quads) this.index.addQuad(makeQuad(q.subject, q.predicate, q.object, graph));
  }

  clearGraph(graphIri: string): void {
    // Not Store#deleteGraph: it removes through a stream, asynchronously, after later additions.
    this.index.removeQuads(this.index.getQuads(null, null, null, namedNode(graphIri)));
  }

  /** Quads of one named graph, or of every graph. */
  quads(graphIri?: string): Quad[] {
    return this.index.getQuads(null, null, null, graphIri ? namedNode(graphIri) : null);
  }

  graphNames(): string[] {
    return this.index
      .getGraphs(null, null, null)
      .filter((graph: Quad_Graph) => graph.termType === 'NamedNode')
      .map((graph: Quad_Graph) => graph.value);
  }
}
