import { DataFactory, Writer, type Quad, type Quad_Graph, type Term } from 'n3';
import type sparqljs from 'sparqljs';
import { graphIris } from '../rdf/namespaces.js';
import { uniqueQuads } from '../rdf/quads.js';
import type { Database } from '../store/database.js';
import type { GraphStore } from '../store/graph-store.js';
import type { SparqlEngine } from '../sparql/engine.js';
import { evaluateUpdate } from '../sparql/update.js';
import type { ChangeStep } from '../sparql/worker-protocol.js';
import { rederiveWikidataView } from './wikidata-view.js';

const { quad: makeQuad } = DataFactory;

/** What a change removes and adds, as quads with their graphs. */
export interface Delta {
  additions: Quad[];
  deletions: Quad[];
}

export interface DatasetOptions {
  baseIri: string;
  /** Keep the derived Wikidata view up to date (the project graph; not the bare W3C store). */
  derivedView: boolean;
}

/**
 * The writable dataset: the in-memory index (GraphStore, read by the queries), its durable record
 * (SQLite) and the query workers' replicas, kept in step. A change is computed first (a Delta),
 * then committed at once: the SQLite transaction, then the index, then the replicas. Writers run
 * one at a time (`exclusive`), so a change is computed and committed against the graph it saw.
 */
export class Dataset {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly graphs;

  constructor(
    readonly store: GraphStore,
    readonly db: Database,
    private readonly engine: SparqlEngine,
    private readonly announce: (steps: ChangeStep[]) => void,
    readonly options: DatasetOptions,
  ) {
    this.graphs = graphIris(options.baseIri);
  }

  /** Runs writers one after another: each sees the graph the previous one left. */
  exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  hasGraph(graph: Quad_Graph): boolean {
    return this.store.index.countQuads(null, null, null, graph) > 0;
  }

  quadsOf(graph: Quad_Graph): Quad[] {
    return this.store.index.getQuads(null, null, null, graph);
  }

  has(q: Quad): boolean {
    return this.store.index.has(q);
  }

  /**
   * What a SPARQL Update would change, without changing anything (see evaluateUpdate). Call it
   * within `exclusive`. Throws UpdateError if the update fails.
   */
  async deltaOfUpdate(update: sparqljs.Update): Promise<Delta> {
    const { added, deleted } = await evaluateUpdate(update, this.store, this.engine);
    return { additions: added, deletions: deleted };
  }

  /** Graph Store Protocol PUT: the graph's content becomes `quads`. */
  deltaOfReplace(graph: Quad_Graph, quads: Quad[]): Delta {
    const wanted = this.inGraph(graph, quads);
    const wantedKeys = new Set(wanted.map(keyOf));
    return {
      additions: wanted.filter((q) => !this.has(q)),
      deletions: this.quadsOf(graph).filter((q) => !wantedKeys.has(keyOf(q))),
    };
  }

  /** Graph Store Protocol POST: `quads` are added to the graph. */
  deltaOfAdd(graph: Quad_Graph, quads: Quad[]): Delta {
    return { additions: this.inGraph(graph, quads).filter((q) => !this.has(q)), deletions: [] };
  }

  /** Graph Store Protocol DELETE: the graph is emptied. */
  deltaOfDrop(graph: Quad_Graph): Delta {
    return { additions: [], deletions: this.quadsOf(graph) };
  }

  /** Deletions the graph does not hold (a changeset computed against an older graph). */
  missing(delta: Delta): Quad[] {
    return delta.deletions.filter((q) => !this.has(q));
  }

  /**
   * Applies a change durably. `record` runs inside the same SQLite transaction (e.g. to mark a
   * changeset applied) and returns the change the server makes to its own graphs about it
   * (history, gardening), which is applied with it. Synchronous from the first write to the last: no other request sees a
   * half-applied change, and if the transaction fails the index is left as it was.
   * Returns the change really made: additions already present and deletions absent are dropped.
   */
  commit(delta: Delta, record?: (effective: Delta) => Delta): Delta {
    const index = this.store.index;
    const effective: Delta = {
      additions: uniqueQuads(delta.additions).filter((q) => !index.has(q)),
      deletions: uniqueQuads(delta.deletions).filter((q) => index.has(q)),
    };
    index.removeQuads(effective.deletions);
    index.addQuads(effective.additions);
    let removed: Quad[];
    let added: Quad[];
    try {
      const derived = this.rederive(effective);
      removed = [...effective.deletions, ...derived.deletions];
      added = [...effective.additions, ...derived.additions];
      this.db.transaction(() => {
        const kept = record?.(effective);
        if (kept) {
          removed.push(...kept.deletions.filter((q) => index.has(q)));
          added.push(...kept.additions.filter((q) => !index.has(q)));
        }
        this.db.writeQuads(removed, added);
      });
    } catch (error) {
      index.removeQuads(effective.additions);
      index.addQuads(effective.deletions);
      throw error;
    }
    index.removeQuads(removed.slice(effective.deletions.length));
    index.addQuads(added.slice(effective.additions.length));
    if (removed.length > 0 || added.length > 0) {
      const writer = new Writer({ format: 'N-Quads' });
      this.announce([
        {
          delete: removed.length > 0 ? writer.quadsToString(removed) : undefined,
          add: added.length > 0 ? writer.quadsToString(added) : undefined,
        },
      ]);
    }
    return effective;
  }

  /** Named entities a change is about: the subjects of its data triples (blank nodes' owners). */
  touchedEntities(delta: Delta): Term[] {
    const entities = new Map<string, Term>();
    for (const q of [...delta.additions, ...delta.deletions]) {
      const owner = q.subject.termType === 'BlankNode' ? this.ownerOf(q.subject) : q.subject;
      if (owner?.termType === 'NamedNode') entities.set(owner.id, owner);
    }
    return [...entities.values()];
  }

  private ownerOf(node: Term, seen = new Set<string>()): Term | undefined {
    if (seen.has(node.id)) return undefined;
    seen.add(node.id);
    const parent = this.store.index.getQuads(null, null, node as never, null)[0]?.subject;
    if (!parent || parent.termType !== 'BlankNode') return parent;
    return this.ownerOf(parent, seen);
  }

  private rederive(effective: Delta): Delta {
    if (!this.options.derivedView) return { additions: [], deletions: [] };
    const inData = [...effective.additions, ...effective.deletions].filter(
      (q) => q.graph.value === this.graphs.data || q.graph.value === this.graphs.ontology,
    );
    if (inData.length === 0) return { additions: [], deletions: [] };
    const touched = new Map<string, Term>();
    for (const q of inData) {
      touched.set(q.subject.id, q.subject);
      if (q.object.termType !== 'Literal') touched.set(q.object.id, q.object);
    }
    return rederiveWikidataView(this.store.index, this.graphs, touched.values());
  }

  private inGraph(graph: Quad_Graph, quads: Quad[]): Quad[] {
    return uniqueQuads(quads.map((q) => makeQuad(q.subject, q.predicate, q.object, graph)));
  }
}

export const keyOf = (q: Quad) => `${q.subject.id} ${q.predicate.id} ${q.object.id} ${q.graph.id}`;
