import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataFactory, type Quad, type Store, type Term } from 'n3';
import { RDF, SD, graphIris } from '../rdf/namespaces.js';
import type { Database } from '../store/database.js';
import type { GraphReads } from '../store/graph-reads.js';
import type { RemoteSparqlClient } from '../store/remote-sparql.js';
import { RemoteStoreError } from '../store/remote-sparql.js';
import type { FullChange, GraphKeeping, WorkingNeed } from './dataset.js';
import type { Row } from '../sparql/engine.js';
import { restrictToProject } from '../sparql/remote-queries.js';
import { graphRegistry, graphsScope, projectScope, surroundingsScope } from './scopes.js';

/** How many nodes one surroundings query names (its VALUES block). */
const TERMS_PER_QUERY = 200;

const { namedNode, quad } = DataFactory;
const rdfType = namedNode(`${RDF}type`);
const namedSdGraph = namedNode(`${SD}NamedGraph`);

/**
 * The writer lease (Database#claimWriterLease): how long it lasts unless renewed (a process killed
 * while writing holds it that long), how long a writer waits for it, how often it asks.
 */
const LEASE_MS = 15_000;
const LEASE_WAIT_MS = 30_000;
const LEASE_POLL_MS = 20;

/** Another process sharing the data directory kept the writer lease too long. */
export class WriterBusyError extends Error {
  readonly status = 503;

  constructor() {
    super(
      `another server process sharing this data directory has been writing for over ` +
        `${LEASE_WAIT_MS / 1000} s; nothing was changed, try again`,
    );
  }
}

/** A change this store cannot hold; refused before anything is recorded. */
export class StoreRefusalError extends Error {
  readonly status = 400;
}

/**
 * A change the store did not confirm. It is in the journal and is applied before the next write
 * or at the next start (`settle`); until then the store does not show it.
 */
export class UnconfirmedChangeError extends Error {
  readonly status = 503;

  constructor(override readonly cause: unknown) {
    super(
      `the graph store did not confirm the change (${(cause as Error).message}); it is recorded ` +
        'and will be applied as soon as the store answers',
    );
  }
}

/**
 * The keeping of a graph held by an external SPARQL store.
 *
 * Reads: a write works on a private copy of the part of the store it needs (`workingCopy`):
 * the ontology, the graphs it names, and the surroundings of the nodes its change is about, far
 * enough for what the domain rules read (SHACL's focus nodes with their blank nodes and their
 * objects' types; the Wikidata view's rules read three steps around a changed node).
 *
 * Writes: one SPARQL Update request per change is not atomic on Virtuoso, so a journal makes it
 * so. The change is recorded in the local database (in the same transaction as the changeset's
 * own record) before it is sent, and removed once the store confirmed it. A change still in the
 * journal is sent again before the next write and at start: DELETE DATA and INSERT DATA are
 * idempotent (blank nodes are skolem IRIs in the store), so re-sending converges whatever part
 * the store had applied.
 */
export class RemoteKeeping implements GraphKeeping {
  private readonly graphs;
  /** This keeping's name in the writer lease: host, process, and itself. */
  private readonly holder = `${hostname()} ${process.pid} ${randomUUID()}`;

  readonly whereEvaluator;

  constructor(
    private readonly client: RemoteSparqlClient,
    private readonly reads: GraphReads,
    private readonly db: Database,
    private readonly baseIri: string,
    /** The project's graphs, as the store holds them now. */
    graphNames: () => Promise<string[]>,
  ) {
    this.graphs = graphIris(baseIri);
    this.whereEvaluator = {
      graphNames,
      select: async (text: string, graphs: readonly string[]): Promise<Row[]> => {
        const { bindings } = await client.select(restrictToProject(text, graphs));
        return bindings as Row[];
      },
    };
  }

  async workingCopy(need: WorkingNeed): Promise<Store> {
    if (need.all) return this.whole(projectScope(this.baseIri));
    // Each graph once (the count below would count a graph named twice twice); the default
    // graph ('') is not one: this store keeps named graphs only (see persist).
    const graphs = new Set([this.graphs.ontology, ...(need.graphs ?? [])].filter(Boolean));
    const copy = await this.whole(graphsScope(this.baseIri, graphs));
    if (need.terms && need.terms.length > 0) await this.addSurroundings(copy, need.terms);
    return copy;
  }

  /**
   * Whole graphs, checked against their count: Virtuoso cuts results at its ResultSetMaxRows
   * without saying so, and a write computed on a cut copy would be wrong (a DROP removing part).
   * Read twice before giving up: the graphs may have changed between the two queries.
   */
  private async whole(scope: string, attempt = 1): Promise<Store> {
    const [copy, counted] = await Promise.all([
      this.reads.view(scope),
      this.client.select(`SELECT (COUNT(*) AS ?n) WHERE { { ${scope} } }`),
    ]);
    const expected = Number(counted.bindings[0]?.n?.value);
    if (copy.size !== expected) {
      if (attempt < 2) return this.whole(scope, attempt + 1);
      throw new RemoteStoreError(
        `the store sent ${copy.size} of the ${expected} quads a write reads (is its ` +
          'ResultSetMaxRows lower than that?); nothing was changed',
        'response',
        'POST',
        this.client.endpoints.query,
      );
    }
    return copy;
  }

  persist(change: () => FullChange): Promise<void> {
    let id = 0;
    let removed: Quad[] = [];
    let added: Quad[] = [];
    this.db.transaction(() => {
      ({ removed, added } = netChange(change()));
      if ([...removed, ...added].some((q) => q.graph.termType !== 'NamedNode')) {
        throw new StoreRefusalError(
          'this store keeps named graphs only (it has no default graph of its own): name a graph',
        );
      }
      added.push(...this.registrations(added));
      id = this.db.journalAdd(removed, added);
    });
    return this.send(id, removed, added);
  }

  /** Graphs outside the base IRI that `added` writes to are listed in the registry. */
  private registrations(added: Quad[]): Quad[] {
    const registry = namedNode(graphRegistry(this.baseIri));
    const foreign = new Set(
      added.map((q) => q.graph.value).filter((g) => !g.startsWith(this.baseIri)),
    );
    return [...foreign].map((g) => quad(namedNode(g), rdfType, namedSdGraph, registry));
  }

  async acquire(): Promise<() => void> {
    const deadline = Date.now() + LEASE_WAIT_MS;
    while (!this.db.claimWriterLease(this.holder, Date.now() + LEASE_MS, this.deadHolder())) {
      if (Date.now() > deadline) throw new WriterBusyError();
      await sleep(LEASE_POLL_MS + Math.random() * LEASE_POLL_MS);
    }
    // Renewed while held: a write on a slow store may outlast one lease.
    const renewal = setInterval(
      () => this.db.claimWriterLease(this.holder, Date.now() + LEASE_MS),
      LEASE_MS / 3,
    );
    renewal.unref();
    return () => {
      clearInterval(renewal);
      if (this.db.sqlite.open) this.db.releaseWriterLease(this.holder);
    };
  }

  /**
   * The lease's holder when it is a process of this host that no longer runs (killed while
   * writing): its lease need not be waited out.
   */
  private deadHolder(): string | undefined {
    const current = this.db.writerLeaseHolder();
    const [host, pid] = current?.split(' ') ?? [];
    if (!current || host !== hostname() || !pid) return undefined;
    try {
      process.kill(Number(pid), 0);
      return undefined;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH' ? current : undefined;
    }
  }

  /** Sends every change still in the journal, oldest first; throws if the store does not answer. */
  async settle(): Promise<void> {
    for (const entry of this.db.journalPending()) {
      await this.send(entry.id, entry.deletions, entry.additions);
    }
  }

  private async send(id: number, removed: Quad[], added: Quad[]): Promise<void> {
    try {
      await this.client.applyChange(removed, added);
    } catch (error) {
      if (error instanceof RemoteStoreError) throw new UnconfirmedChangeError(error);
      throw error;
    }
    this.db.journalDone(id);
  }

  /**
   * Adds to `copy` the quads around `terms`: three rounds out from them (in both directions,
   * then outwards), then every blank node reached, whole and up to its owner. The ontology's
   * own terms (classes, properties, topics) are read outwards only, and not followed further:
   * every instance points to them.
   */
  private async addSurroundings(copy: Store, terms: readonly Term[]): Promise<void> {
    const ontologySubjects = new Set(
      copy.getSubjects(null, null, namedNode(this.graphs.ontology)).map((t) => t.id),
    );
    const isOntology = (t: Term) =>
      ontologySubjects.has(t.id) || copy.countQuads(null, rdfType, t, null) > 0;
    const followed = new Set<string>();
    const fetch = async (nodes: Term[], outwardOnly: boolean): Promise<Quad[]> => {
      const found: Quad[] = [];
      for (let start = 0; start < nodes.length; start += TERMS_PER_QUERY) {
        const chunk = nodes.slice(start, start + TERMS_PER_QUERY);
        const view = await this.reads.view(surroundingsScope(this.baseIri, chunk, outwardOnly));
        found.push(...view.getQuads(null, null, null, null));
      }
      copy.addQuads(found);
      return found;
    };
    const around = async (nodes: Iterable<Term>, outwardOnly: boolean): Promise<Quad[]> => {
      const fresh: Term[] = [];
      const ontologyTerms: Term[] = [];
      for (const t of nodes) {
        if (followed.has(t.id) || (t.termType !== 'NamedNode' && t.termType !== 'BlankNode')) {
          continue;
        }
        followed.add(t.id);
        (isOntology(t) ? ontologyTerms : fresh).push(t);
      }
      // An ontology term's own statements (its derived view, for one), not followed further.
      await fetch(ontologyTerms, true);
      return fetch(fresh, outwardOnly);
    };
    const neighbours = (quads: Quad[]) => quads.flatMap((q) => [q.subject, q.object]);
    let reached = await around(terms, false);
    reached = await around(neighbours(reached), false);
    await around(neighbours(reached), true);
    for (;;) {
      const blanks = copy
        .getQuads(null, null, null, null)
        .flatMap((q) => [q.subject, q.object])
        .filter((t) => t.termType === 'BlankNode' && !followed.has(t.id));
      if (blanks.length === 0) break;
      await around(blanks, false);
    }
    // The named owners of blank nodes, reached from below: their gardening record, for one.
    const owners = copy
      .getQuads(null, null, null, null)
      .filter((q) => q.object.termType === 'BlankNode' && q.subject.termType === 'NamedNode')
      .map((q) => q.subject);
    await around(owners, true);
  }
}

/** A quad both removed and added is left alone: the journal's entries must be replayable. */
function netChange({ removed, added }: FullChange): FullChange {
  const key = (q: Quad) => `${q.subject.id} ${q.predicate.id} ${q.object.id} ${q.graph.id}`;
  const removedKeys = new Set(removed.map(key));
  const addedKeys = new Set(added.map(key));
  return {
    removed: removed.filter((q) => !addedKeys.has(key(q))),
    added: added.filter((q) => !removedKeys.has(key(q))),
  };
}
