import { DataFactory, Writer, type Quad, type Quad_Graph } from 'n3';
import type sparqljs from 'sparqljs';
import type { GraphStore } from '../store/graph-store.js';
import type { SparqlEngine } from '../sparql/engine.js';
import { executeUpdate } from '../sparql/update.js';
import type { ChangeStep } from '../sparql/worker-protocol.js';

const { quad: makeQuad } = DataFactory;

/**
 * The writable dataset: every change goes through here, is applied to the store at once and
 * entirely (or not at all), then announced to whoever keeps a replica (the query workers).
 */
export class Dataset {
  constructor(
    readonly store: GraphStore,
    private readonly engine: SparqlEngine,
    private readonly announce: (steps: ChangeStep[]) => void,
  ) {}

  /** Carries out a parsed SPARQL Update; throws UpdateError, having applied nothing, on failure. */
  async update(update: sparqljs.Update): Promise<void> {
    const steps = await executeUpdate(update, this.store, this.engine);
    if (steps.length > 0) this.announce(steps);
  }

  hasGraph(graph: Quad_Graph): boolean {
    return this.store.index.countQuads(null, null, null, graph) > 0;
  }

  quadsOf(graph: Quad_Graph): Quad[] {
    return this.store.index.getQuads(null, null, null, graph);
  }

  /** Replaces a graph's content (Graph Store Protocol PUT). */
  replaceGraph(graph: Quad_Graph, quads: Quad[]): void {
    this.change(this.quadsOf(graph), this.inGraph(graph, quads));
  }

  /** Adds to a graph (Graph Store Protocol POST). */
  addToGraph(graph: Quad_Graph, quads: Quad[]): void {
    this.change([], this.inGraph(graph, quads));
  }

  /** Removes a graph (Graph Store Protocol DELETE). */
  dropGraph(graph: Quad_Graph): void {
    this.change(this.quadsOf(graph), []);
  }

  private inGraph(graph: Quad_Graph, quads: Quad[]): Quad[] {
    return quads.map((q) => makeQuad(q.subject, q.predicate, q.object, graph));
  }

  private change(deleted: Quad[], added: Quad[]): void {
    this.store.index.removeQuads(deleted);
    this.store.index.addQuads(added);
    const writer = new Writer({ format: 'N-Quads' });
    this.announce([
      {
        delete: deleted.length > 0 ? writer.quadsToString(deleted) : undefined,
        add: added.length > 0 ? writer.quadsToString(added) : undefined,
      },
    ]);
  }
}
