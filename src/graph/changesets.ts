import { DataFactory, Parser, Writer, type Quad, type Term } from 'n3';
import { CK, graphIris } from '../rdf/namespaces.js';
import type { Database } from '../store/database.js';
import { hasRole, type User } from './accounts.js';
import { keyOf, type Dataset, type Delta, type WorkingGraph } from './dataset.js';
import { describeChangeset, reviewQuads } from './history.js';
import { validateChange, type Violation } from './validation.js';

const { namedNode } = DataFactory;

export type ChangesetStatus = 'pending' | 'accepted' | 'rejected';

export interface Changeset {
  id: number;
  status: ChangesetStatus;
  author: string;
  message: string;
  source?: string;
  additions: Quad[];
  deletions: Quad[];
  reverts?: number;
  createdAt: string;
  reviewer?: string;
  reviewedAt?: string;
  reviewReason?: string;
  /** Applied by an admin without review. */
  direct: boolean;
}

/** A refused request about changesets, with the HTTP status that says why. */
export class ChangesetError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409 | 422,
    readonly violations?: Violation[],
    readonly missing?: Quad[],
  ) {
    super(message);
  }
}

export interface ChangesetOptions {
  baseIri: string;
  /** SHACL shapes checked against the graph a change would produce (none: no check). */
  shapes: readonly Quad[];
  /** Record history (PROV-O) and gardening in the graph; off for the bare W3C store. */
  history: boolean;
}

interface ChangesetRow {
  id: number;
  status: ChangesetStatus;
  author: string;
  message: string;
  source: string | null;
  additions: string;
  deletions: string;
  reverts: number | null;
  created_at: string;
  reviewer: string | null;
  reviewed_at: string | null;
  review_reason: string | null;
  direct: number;
}

const SELECT = `SELECT c.*, a.name AS author, r.name AS reviewer
  FROM changesets c JOIN users a ON a.id = c.author_id LEFT JOIN users r ON r.id = c.reviewer_id`;

const toNQuads = (quads: Quad[]) => new Writer({ format: 'N-Quads' }).quadsToString(quads);
// Labels kept as written, so that a changeset's blank nodes are the graph's own.
const fromNQuads = (text: string) =>
  text ? new Parser({ format: 'application/n-quads', blankNodePrefix: '' }).parse(text) : [];
const now = () => new Date().toISOString();

/**
 * Contributions as changesets: submitted, validated against the shapes, reviewed by a moderator
 * (never by their author), applied atomically with their PROV-O record, reverted by an inverse
 * changeset. Admins' writes are applied at once, still recorded as changesets.
 */
export class Changesets {
  private readonly graphs;
  /** Graphs only the server writes. */
  private readonly serverGraphs: Set<string>;

  constructor(
    private readonly dataset: Dataset,
    private readonly db: Database,
    private readonly options: ChangesetOptions,
  ) {
    this.graphs = graphIris(options.baseIri);
    this.serverGraphs = options.history
      ? new Set([this.graphs.history, this.graphs.gardening, this.graphs.wikidataView])
      : new Set();
  }

  /**
   * A write through the SPARQL Update or Graph Store endpoints: `compute` works out the change
   * against the current graph; an admin's is applied at once, anyone else's becomes a pending
   * changeset. Writers run one at a time.
   */
  write(
    user: User,
    compute: () => Promise<Delta> | Delta,
    message: string,
  ): Promise<{ changeset?: Changeset; applied: boolean }> {
    return this.dataset.exclusive(async () => {
      const delta = await compute();
      if (delta.additions.length === 0 && delta.deletions.length === 0) return { applied: true };
      const working = await this.dataset.workingFor(delta);
      if (!this.options.history) {
        if (!hasRole(user, 'admin')) {
          throw new ChangesetError('only an admin may write to this store', 403);
        }
        await working.commit(delta);
        return { applied: true };
      }
      const changeset = await this.create(working, user, delta, message);
      if (!hasRole(user, 'admin')) return { changeset, applied: false };
      return {
        changeset: await this.apply(working, changeset, undefined, undefined),
        applied: true,
      };
    });
  }

  /** A contribution from the API: pending, unless `direct` (admins only). */
  submit(
    user: User,
    delta: Delta,
    message: string,
    options: { source?: string; direct?: boolean } = {},
  ): Promise<Changeset> {
    if (options.direct && !hasRole(user, 'admin')) {
      throw new ChangesetError('only an admin may apply a changeset without review', 403);
    }
    return this.dataset.exclusive(async () => {
      const working = await this.dataset.workingFor(delta);
      const changeset = await this.create(working, user, delta, message, options.source);
      return options.direct ? this.apply(working, changeset, undefined, undefined) : changeset;
    });
  }

  accept(id: number, reviewer: User, reason?: string): Promise<Changeset> {
    return this.dataset.exclusive(async () => {
      const changeset = this.review(id, reviewer);
      const working = await this.dataset.workingFor(changeset);
      await this.check(working, changeset);
      return this.apply(working, changeset, reviewer, reason);
    });
  }

  reject(id: number, reviewer: User, reason: string): Promise<Changeset> {
    return this.dataset.exclusive(() => {
      const changeset = this.review(id, reviewer);
      if (!reason.trim()) throw new ChangesetError('a rejection needs a reason', 400);
      this.db.sqlite
        .prepare(
          `UPDATE changesets SET status = 'rejected', reviewer_id = ?, reviewed_at = ?,
           review_reason = ? WHERE id = ? AND status = 'pending'`,
        )
        .run(reviewer.id, now(), reason, changeset.id);
      return this.require(id);
    });
  }

  /** Proposes the inverse of an accepted changeset, to be reviewed like any other. */
  revert(id: number, user: User, message?: string): Promise<Changeset> {
    return this.dataset.exclusive(async () => {
      const original = this.require(id);
      if (original.status !== 'accepted') {
        throw new ChangesetError(
          `changeset ${id} is ${original.status}: only an applied one can be reverted`,
          409,
        );
      }
      const inverse = { additions: original.deletions, deletions: original.additions };
      const working = await this.dataset.workingFor(inverse);
      const text = message ?? `Revert changeset ${id}`;
      return this.create(working, user, inverse, text, undefined, id);
    });
  }

  get(id: number): Changeset | undefined {
    const row = this.db.sqlite.prepare(`${SELECT} WHERE c.id = ?`).get(id) as
      ChangesetRow | undefined;
    return row && toChangeset(row);
  }

  list(filter: { status?: ChangesetStatus; author?: string; limit: number; offset: number }) {
    const where: string[] = [];
    const values: (string | number)[] = [];
    if (filter.status) {
      where.push('c.status = ?');
      values.push(filter.status);
    }
    if (filter.author) {
      where.push('a.name = ?');
      values.push(filter.author);
    }
    const clause = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
    const rows = this.db.sqlite
      .prepare(`${SELECT}${clause} ORDER BY c.id DESC LIMIT ? OFFSET ?`)
      .all(...values, filter.limit, filter.offset) as ChangesetRow[];
    const total = (
      this.db.sqlite
        .prepare(
          `SELECT COUNT(*) AS n FROM changesets c JOIN users a ON a.id = c.author_id${clause}`,
        )
        .get(...values) as { n: number }
    ).n;
    return { total, changesets: rows.map(toChangeset) };
  }

  /** Applied changesets that touched an entity, newest first. */
  historyOf(entity: string): Changeset[] {
    const rows = this.db.sqlite
      .prepare(
        `${SELECT} JOIN changeset_entities e ON e.changeset_id = c.id
         WHERE e.entity = ? AND c.status = 'accepted' ORDER BY c.id DESC`,
      )
      .all(entity) as ChangesetRow[];
    return rows.map(toChangeset);
  }

  /** The latest reviews and applications: accepted and rejected changesets, newest first. */
  recent(limit: number): Changeset[] {
    const rows = this.db.sqlite
      .prepare(
        `${SELECT} WHERE c.status != 'pending'
         ORDER BY COALESCE(c.reviewed_at, c.created_at) DESC, c.id DESC LIMIT ?`,
      )
      .all(limit) as ChangesetRow[];
    return rows.map(toChangeset);
  }

  /** A moderator vouches that an entity's description is still right. */
  markReviewed(entity: string, reviewer: User): Promise<string> {
    if (!hasRole(reviewer, 'moderator')) {
      throw new ChangesetError('only a moderator may mark an entity reviewed', 403);
    }
    return this.dataset.exclusive(async () => {
      const node = namedNode(entity);
      const data = namedNode(this.graphs.data);
      const working = await this.dataset.working({ terms: [node] });
      if (working.index.countQuads(node, null, null, data) === 0) {
        throw new ChangesetError(`no entity <${entity}> in the data graph`, 404);
      }
      const at = now();
      await working.commit(this.reviewDelta(working, [node], reviewer.name, at));
      return at;
    });
  }

  /** Entities and claims of the data graph not reviewed since `since` (or never). */
  async staleEntities(since: Date): Promise<{ entity: string; lastReviewed?: string }[]> {
    const index = (
      await this.dataset.working({ graphs: [this.graphs.data, this.graphs.gardening] })
    ).index;
    const data = namedNode(this.graphs.data);
    const gardening = namedNode(this.graphs.gardening);
    const lastReviewed = namedNode(`${CK}lastReviewed`);
    const subjects = index
      .getSubjects(null, null, data)
      .filter((s) => s.termType === 'NamedNode')
      .map((s) => s.value)
      .sort();
    const out: { entity: string; lastReviewed?: string }[] = [];
    for (const iri of subjects) {
      const reviewed = index.getObjects(namedNode(iri), lastReviewed, gardening)[0]?.value;
      if (!reviewed || new Date(reviewed) < since) {
        out.push({ entity: iri, ...(reviewed ? { lastReviewed: reviewed } : {}) });
      }
    }
    return out;
  }

  private async create(
    working: WorkingGraph,
    author: User,
    delta: Delta,
    message: string,
    source?: string,
    reverts?: number,
  ): Promise<Changeset> {
    if (!message.trim()) throw new ChangesetError('a changeset needs a message', 400);
    if (delta.additions.length === 0 && delta.deletions.length === 0) {
      throw new ChangesetError('the changeset is empty: nothing to add or remove', 400);
    }
    // The source becomes an IRI in the history graph: only characters an IRI may hold (RDF's
    // IRIREF), or the N-Quads sent to the query workers would not parse back.
    const iriSafe = (text: string) =>
      /^https?:\/\/[^<>"{}|^`\\]+$/.test(text) && ![...text].some((c) => c <= ' ');
    if (source !== undefined && !iriSafe(source)) {
      throw new ChangesetError(`the source must be an http(s) URL: ${source}`, 400);
    }
    const draft: Changeset = {
      id: 0,
      status: 'pending',
      author: author.name,
      message,
      source,
      additions: delta.additions,
      deletions: delta.deletions,
      reverts,
      createdAt: now(),
      direct: false,
    };
    await this.check(working, draft);
    const { lastInsertRowid } = this.db.sqlite
      .prepare(
        `INSERT INTO changesets (status, author_id, message, source, additions, deletions, reverts,
         created_at) VALUES ('pending', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        author.id,
        message,
        source ?? null,
        toNQuads(delta.additions),
        toNQuads(delta.deletions),
        reverts ?? null,
        draft.createdAt,
      );
    return this.require(Number(lastInsertRowid));
  }

  /** Refuses a change to server graphs (403), one that conflicts (409) or breaks shapes (422). */
  private async check(working: WorkingGraph, changeset: Changeset): Promise<void> {
    const delta = { additions: changeset.additions, deletions: changeset.deletions };
    const server = [...delta.additions, ...delta.deletions].find((q) =>
      this.serverGraphs.has(q.graph.value),
    );
    if (server) {
      throw new ChangesetError(
        `the graph <${server.graph.value}> is maintained by the server and cannot be written`,
        403,
      );
    }
    const missing = working.missing(delta);
    if (missing.length > 0) {
      throw new ChangesetError(
        `${missing.length} statement(s) to remove are not in the graph (it changed since the ` +
          `changeset was written)`,
        409,
        undefined,
        missing,
      );
    }
    const touchesData = [...delta.additions, ...delta.deletions].some(
      (q) => q.graph.value === this.graphs.data,
    );
    if (this.options.shapes.length === 0 || !touchesData) return;
    const outcome = await validateChange(
      this.options.shapes,
      working.index,
      this.graphs,
      delta,
      working.touchedEntities(delta),
    );
    if (!outcome.conforms) {
      throw new ChangesetError(
        `the change would break ${outcome.violations.length} constraint(s) of the shapes`,
        422,
        outcome.violations,
      );
    }
  }

  private review(id: number, reviewer: User): Changeset {
    const changeset = this.require(id);
    if (!hasRole(reviewer, 'moderator')) {
      throw new ChangesetError('only a moderator may review changesets', 403);
    }
    if (changeset.author === reviewer.name) {
      throw new ChangesetError('nobody reviews their own changeset', 403);
    }
    if (changeset.status !== 'pending') {
      throw new ChangesetError(`changeset ${id} is already ${changeset.status}`, 409);
    }
    return changeset;
  }

  private require(id: number): Changeset {
    const changeset = this.get(id);
    if (!changeset) throw new ChangesetError(`no changeset ${id}`, 404);
    return changeset;
  }

  /**
   * Applies a checked changeset with its PROV-O record, in one transaction. The changeset is
   * recorded as what it did: statements it would add that the graph already holds are left out
   * of it, of its history and of the entities it touched, so that reverting it removes only what
   * it added.
   */
  private async apply(
    working: WorkingGraph,
    changeset: Changeset,
    reviewer: User | undefined,
    reason: string | undefined,
  ): Promise<Changeset> {
    const delta = { additions: changeset.additions, deletions: changeset.deletions };
    // Each statement's entity, found before the change (a removed blank node loses its owner).
    const entitiesOf = new Map(
      [...delta.additions, ...delta.deletions].map((q) => [
        keyOf(q),
        working.touchedEntities({ additions: [q], deletions: [] }),
      ]),
    );
    await working.commit(delta, (effective) => {
      const touched = [
        ...new Map(
          [...effective.additions, ...effective.deletions]
            .flatMap((q) => entitiesOf.get(keyOf(q)) ?? [])
            .map((entity) => [entity.id, entity]),
        ).values(),
      ];
      const appliedAt = now();
      const result = this.db.sqlite
        .prepare(
          `UPDATE changesets SET status = 'accepted', reviewer_id = ?, reviewed_at = ?,
           review_reason = ?, direct = ?, additions = ?, deletions = ?
           WHERE id = ? AND status = 'pending'`,
        )
        .run(
          reviewer?.id ?? null,
          appliedAt,
          reason ?? null,
          reviewer ? 0 : 1,
          toNQuads(effective.additions),
          toNQuads(effective.deletions),
          changeset.id,
        );
      if (result.changes !== 1) throw new ChangesetError(`changeset ${changeset.id} changed`, 409);
      const link = this.db.sqlite.prepare(
        'INSERT OR IGNORE INTO changeset_entities (changeset_id, entity) VALUES (?, ?)',
      );
      for (const entity of touched) link.run(changeset.id, entity.value);
      const history = describeChangeset(this.options.baseIri, {
        id: changeset.id,
        author: changeset.author,
        reviewer: reviewer?.name,
        message: changeset.message,
        source: changeset.source,
        reverts: changeset.reverts,
        submittedAt: changeset.createdAt,
        appliedAt,
        added: effective.additions,
        removed: effective.deletions,
        touched,
      });
      const reviewed = reviewer
        ? this.reviewDelta(working, touched, reviewer.name, appliedAt)
        : { additions: [], deletions: [] };
      return { additions: [...history, ...reviewed.additions], deletions: reviewed.deletions };
    });
    return this.require(changeset.id);
  }

  /** Replaces the entities' last-reviewed record. */
  private reviewDelta(
    working: WorkingGraph,
    entities: Term[],
    reviewer: string,
    at: string,
  ): Delta {
    const gardening = namedNode(this.graphs.gardening);
    const index = working.index;
    return {
      deletions: entities.flatMap((e) => index.getQuads(e as never, null, null, gardening)),
      additions: entities.flatMap((e) => reviewQuads(this.options.baseIri, e, reviewer, at)),
    };
  }
}

function toChangeset(row: ChangesetRow): Changeset {
  return {
    id: row.id,
    status: row.status,
    author: row.author,
    message: row.message,
    ...(row.source ? { source: row.source } : {}),
    additions: fromNQuads(row.additions),
    deletions: fromNQuads(row.deletions),
    ...(row.reverts !== null ? { reverts: row.reverts } : {}),
    createdAt: row.created_at,
    ...(row.reviewer ? { reviewer: row.reviewer } : {}),
    ...(row.reviewed_at ? { reviewedAt: row.reviewed_at } : {}),
    ...(row.review_reason ? { reviewReason: row.review_reason } : {}),
    direct: row.direct === 1,
  };
}
