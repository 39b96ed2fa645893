import { DataFactory, type Quad, type Quad_Graph, type Store, type Term } from 'n3';
import type sparqljs from 'sparqljs';
import { graphIris } from '../rdf/namespaces.js';
import { uniqueQuads } from '../rdf/quads.js';
import { GraphStore } from '../store/graph-store.js';
import type { SparqlEngine } from '../sparql/engine.js';
import type { Row } from '../sparql/engine.js';
import {
  evaluateUpdate,
  instantiateOperation,
  isWhereOperation,
  type WhereOperation,
} from '../sparql/update.js';
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

/** What a write reads of the graph, besides the quads of its own change. */
export interface WorkingNeed {
  /** Nodes whose surroundings the write reads: a change's subjects and objects, an entity. */
  terms?: readonly Term[];
  /** Graphs read whole (a Graph Store PUT or DELETE). */
  graphs?: readonly string[];
  /** Every graph of the project (an update with a WHERE clause, a CLEAR ALL). */
  all?: boolean;
}

/** A change as the keeping writes it: the data change with what the server derives and records. */
export interface FullChange {
  removed: Quad[];
  added: Quad[];
}

/**
 * Where the writable dataset's graph is kept: in the embedded index and its SQLite record
 * (graph/embedded-keeping.ts), or in an external store (graph/remote-keeping.ts).
 */
export interface GraphKeeping {
  /**
   * The graph a write reads. The embedded keeping gives its live index (whatever the need); an
   * external store, a private copy of what `need` covers (graph/remote-keeping.ts).
   */
  workingCopy(need: WorkingNeed): Promise<Store>;
  /**
   * Makes a change durable. `change` runs inside the record's transaction (it updates the
   * changesets' rows) and returns the whole change to write. The embedded keeping completes
   * synchronously, so that nobody reads its live index between the change and its record.
   */
  persist(change: () => FullChange): void | Promise<void>;
  /** Before a write: finishes what an earlier write left undone (the journal of an external store). */
  settle(): Promise<void>;
  /**
   * Waits until this process may write: on an external store, several processes sharing the
   * data directory take turns (a lease in the database). Resolves to the release.
   */
  acquire(): Promise<() => void>;
  /**
   * An external store evaluates an update's WHERE clause itself: `select` runs a SELECT over
   * `graphs`, the project's graphs (the default graph their union), which `graphNames` lists.
   * None on the embedded store, whose engine reads the live index.
   */
  readonly whereEvaluator?: {
    select(text: string, graphs: readonly string[]): Promise<Row[]>;
    graphNames(): Promise<string[]>;
  };
}

/**
 * The writable dataset. A change is computed first (a Delta) against a working graph, then
 * committed at once with what it derives (the Wikidata view) and records (history). Writers run
 * one at a time (`exclusive`), so a change is computed and committed against the graph it saw.
 */
export class Dataset {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly graphs;

  constructor(
    private readonly keeping: GraphKeeping,
    /** Evaluates an update's WHERE clauses on a working graph. */
    private readonly engineFor: (index: Store) => SparqlEngine,
    /** Tells the readers a change was committed (query workers, cached indexes). */
    private readonly announce: (change: FullChange) => void,
    readonly options: DatasetOptions,
  ) {
    this.graphs = graphIris(options.baseIri);
  }

  /** Runs writers one after another: each sees the graph the previous one left. */
  exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    return this.afterWriters(async () => {
      const release = await this.keeping.acquire();
      try {
        await this.keeping.settle();
        return await work();
      } finally {
        release();
      }
    });
  }

  /** Runs `work` once the writers queued before it are done (to close the database). */
  afterWriters<T>(work: () => Promise<T> | T): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** The graph a write reads, holding at least what `need` says. Call it within `exclusive`. */
  async working(need: WorkingNeed): Promise<WorkingGraph> {
    return new WorkingGraph(await this.keeping.workingCopy(need), this);
  }

  /** The working graph for a change: its subjects' and objects' surroundings. */
  workingFor(delta: Delta): Promise<WorkingGraph> {
    const terms = new Map<string, Term>();
    for (const q of [...delta.additions, ...delta.deletions]) {
      for (const term of [q.subject, q.object]) {
        if (term.termType === 'NamedNode' || term.termType === 'BlankNode')
          terms.set(term.id, term);
      }
    }
    return this.working({ terms: [...terms.values()] });
  }

  async hasGraph(graph: Quad_Graph): Promise<boolean> {
    const index = await this.keeping.workingCopy({ graphs: [graph.value] });
    return index.countQuads(null, null, null, graph) > 0;
  }

  async quadsOf(graph: Quad_Graph): Promise<Quad[]> {
    const index = await this.keeping.workingCopy({ graphs: [graph.value] });
    return index.getQuads(null, null, null, graph);
  }

  /**
   * What a SPARQL Update would change, without changing anything (see evaluateUpdate). Call it
   * within `exclusive`. Throws UpdateError if the update fails.
   */
  async deltaOfUpdate(update: sparqljs.Update): Promise<Delta> {
    const [operation, ...others] = update.updates;
    const evaluator = this.keeping.whereEvaluator;
    if (evaluator && operation && others.length === 0 && isWhereOperation(operation)) {
      return this.deltaOfWhereOperation(operation, evaluator);
    }
    const index = await this.keeping.workingCopy(needOfUpdate(update));
    const { added, deleted } = await evaluateUpdate(
      update,
      new GraphStore(index),
      this.engineFor(index),
    );
    return { additions: added, deletions: deleted };
  }

  /**
   * One WHERE operation, its WHERE clause evaluated by the store: only the quads it names are
   * read here, instead of a copy of every graph (which a request of several operations needs,
   * since each must see what the previous ones did). The same net effect as evaluateUpdate: a
   * quad deleted and inserted again is left as it is.
   */
  private async deltaOfWhereOperation(
    operation: WhereOperation,
    evaluator: NonNullable<GraphKeeping['whereEvaluator']>,
  ): Promise<Delta> {
    const graphs = await evaluator.graphNames();
    const { deleted, inserted } = await instantiateOperation(
      operation,
      (text) => evaluator.select(text, graphs),
      graphs,
    );
    // As N3 quads: the store's rows are other RDF/JS terms, which keyOf cannot read.
    const [toDelete, toInsert] = [uniqueQuads(deleted), uniqueQuads(inserted)];
    const { index } = await this.workingFor({ additions: toInsert, deletions: toDelete });
    const deletions = toDelete.filter((q) => index.has(q));
    const deletedKeys = new Set(deletions.map(keyOf));
    const insertedKeys = new Set(toInsert.map(keyOf));
    return {
      deletions: deletions.filter((q) => !insertedKeys.has(keyOf(q))),
      additions: toInsert.filter((q) => !index.has(q) && !deletedKeys.has(keyOf(q))),
    };
  }

  /** Graph Store Protocol PUT: the graph's content becomes `quads`. */
  async deltaOfReplace(graph: Quad_Graph, quads: Quad[]): Promise<Delta> {
    const index = await this.keeping.workingCopy({ graphs: [graph.value] });
    const wanted = this.inGraph(graph, quads);
    const wantedKeys = new Set(wanted.map(keyOf));
    return {
      additions: wanted.filter((q) => !index.has(q)),
      deletions: index.getQuads(null, null, null, graph).filter((q) => !wantedKeys.has(keyOf(q))),
    };
  }

  /** Graph Store Protocol POST: `quads` are added to the graph. */
  async deltaOfAdd(graph: Quad_Graph, quads: Quad[]): Promise<Delta> {
    const index = await this.keeping.workingCopy({ graphs: [graph.value] });
    return { additions: this.inGraph(graph, quads).filter((q) => !index.has(q)), deletions: [] };
  }

  /** Graph Store Protocol DELETE: the graph is emptied. */
  async deltaOfDrop(graph: Quad_Graph): Promise<Delta> {
    return { additions: [], deletions: await this.quadsOf(graph) };
  }

  /**
   * Applies a change durably, as the working graph saw it (see WorkingGraph#commit). The working
   * graph is changed too: on the embedded store it is the live index, changed synchronously from
   * the first write to the last, so no other request sees a half-applied change; if the record
   * fails, it is left as it was.
   */
  async commit(
    working: WorkingGraph,
    delta: Delta,
    record?: (effective: Delta) => Delta,
  ): Promise<Delta> {
    const index = working.index;
    const effective: Delta = {
      additions: uniqueQuads(delta.additions).filter((q) => !index.has(q)),
      deletions: uniqueQuads(delta.deletions).filter((q) => index.has(q)),
    };
    index.removeQuads(effective.deletions);
    index.addQuads(effective.additions);
    let change: FullChange | undefined;
    try {
      const derived = this.rederive(index, effective);
      const persisting = this.keeping.persist(() => {
        const removed = [...effective.deletions, ...derived.deletions];
        const added = [...effective.additions, ...derived.additions];
        const kept = record?.(effective);
        if (kept) {
          removed.push(...kept.deletions.filter((q) => index.has(q)));
          added.push(...kept.additions.filter((q) => !index.has(q)));
        }
        change = { removed, added };
        return change;
      });
      if (persisting) await persisting;
    } catch (error) {
      index.removeQuads(effective.additions);
      index.addQuads(effective.deletions);
      throw error;
    }
    const { removed, added } = change as FullChange;
    index.removeQuads(removed.slice(effective.deletions.length));
    index.addQuads(added.slice(effective.additions.length));
    if (removed.length > 0 || added.length > 0) this.announce({ removed, added });
    return effective;
  }

  private rederive(index: Store, effective: Delta): Delta {
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
    return rederiveWikidataView(index, this.graphs, touched.values());
  }

  private inGraph(graph: Quad_Graph, quads: Quad[]): Quad[] {
    return uniqueQuads(quads.map((q) => makeQuad(q.subject, q.predicate, q.object, graph)));
  }
}

/**
 * The graph one write reads and commits through: the embedded index, or a copy of the part of an
 * external store the write needs.
 */
export class WorkingGraph {
  constructor(
    readonly index: Store,
    private readonly dataset: Dataset,
  ) {}

  has(q: Quad): boolean {
    return this.index.has(q);
  }

  /** Deletions the graph does not hold (a changeset computed against an older graph). */
  missing(delta: Delta): Quad[] {
    return delta.deletions.filter((q) => !this.has(q));
  }

  /**
   * Applies a change durably. `record` runs inside the record's transaction (e.g. to mark a
   * changeset applied) and returns the change the server makes to its own graphs about it
   * (history, gardening), which is applied with it. Returns the change really made: additions
   * already present and deletions absent are dropped.
   */
  commit(delta: Delta, record?: (effective: Delta) => Delta): Promise<Delta> {
    return this.dataset.commit(this, delta, record);
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
    const parent = this.index.getQuads(null, null, node as never, null)[0]?.subject;
    if (!parent || parent.termType !== 'BlankNode') return parent;
    return this.ownerOf(parent, seen);
  }
}

/**
 * What an update reads: nothing beyond its own quads when it only inserts or deletes data;
 * otherwise (a WHERE clause, a graph cleared or copied) every graph, since a later operation
 * reads what an earlier one changed.
 */
function needOfUpdate(update: sparqljs.Update): WorkingNeed {
  const dataOnly = update.updates.every(
    (operation) =>
      'updateType' in operation &&
      (operation.updateType === 'insert' || operation.updateType === 'delete'),
  );
  if (!dataOnly) return { all: true };
  const terms = new Map<string, Term>();
  for (const operation of update.updates as sparqljs.InsertDeleteOperation[]) {
    const templates = 'insert' in operation ? operation.insert : operation.delete;
    for (const template of templates ?? []) {
      for (const triple of template.triples) {
        for (const term of [triple.subject, triple.object]) {
          if (
            'termType' in term &&
            (term.termType === 'NamedNode' || term.termType === 'BlankNode')
          ) {
            terms.set(`${term.termType}:${term.value}`, term as unknown as Term);
          }
        }
      }
    }
  }
  return { terms: [...terms.values()] };
}

export const keyOf = (q: Quad) => `${q.subject.id} ${q.predicate.id} ${q.object.id} ${q.graph.id}`;
