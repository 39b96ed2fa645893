import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { termFromId, termToId, DataFactory, Parser, Writer, type Quad } from 'n3';

const { quad: makeQuad } = DataFactory;

export const DATABASE_FILE = 'communs-kg.sqlite';

/**
 * Schema versions, applied in order inside one transaction each; `user_version` records the last.
 * Terms are stored in N3's id form (`<iri>` without brackets, `"lexical"@lang`, `_:label`), which is
 * unique per RDF term; the default graph is the empty string.
 */
const MIGRATIONS = [
  `CREATE TABLE quads (
     g TEXT NOT NULL, s TEXT NOT NULL, p TEXT NOT NULL, o TEXT NOT NULL,
     PRIMARY KEY (g, s, p, o)
   ) WITHOUT ROWID;
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE users (
     id INTEGER PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     role TEXT NOT NULL CHECK (role IN ('contributor', 'moderator', 'admin')),
     created_at TEXT NOT NULL
   );
   CREATE TABLE tokens (
     id INTEGER PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users(id),
     label TEXT NOT NULL,
     salt BLOB NOT NULL,
     hash BLOB NOT NULL,
     created_at TEXT NOT NULL,
     revoked_at TEXT
   );
   CREATE TABLE changesets (
     id INTEGER PRIMARY KEY,
     status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
     author_id INTEGER NOT NULL REFERENCES users(id),
     message TEXT NOT NULL,
     source TEXT,
     additions TEXT NOT NULL,
     deletions TEXT NOT NULL,
     reverts INTEGER REFERENCES changesets(id),
     created_at TEXT NOT NULL,
     reviewer_id INTEGER REFERENCES users(id),
     reviewed_at TEXT,
     review_reason TEXT,
     direct INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX changesets_by_status ON changesets (status, id);
   CREATE TABLE changeset_entities (
     changeset_id INTEGER NOT NULL REFERENCES changesets(id),
     entity TEXT NOT NULL,
     PRIMARY KEY (entity, changeset_id)
   ) WITHOUT ROWID;`,
  // Changes recorded here but not yet confirmed by an external store (graph/remote-keeping.ts).
  `CREATE TABLE journal (
     id INTEGER PRIMARY KEY,
     deletions TEXT NOT NULL,
     additions TEXT NOT NULL,
     created_at TEXT NOT NULL
   );`,
  // Which process may write now, among those sharing this file (graph/remote-keeping.ts).
  `CREATE TABLE writer_lease (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     holder TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );`,
];

/** A change recorded in the journal, to be applied to an external store. */
export interface JournalEntry {
  id: number;
  deletions: Quad[];
  additions: Quad[];
}

export type QuadRow = { g: string; s: string; p: string; o: string };

export const quadToRow = (q: Quad): QuadRow => ({
  g: termToId(q.graph),
  s: termToId(q.subject),
  p: termToId(q.predicate),
  o: termToId(q.object),
});

export const rowToQuad = (row: QuadRow): Quad =>
  makeQuad(
    termFromId(row.s) as never,
    termFromId(row.p) as never,
    termFromId(row.o) as never,
    termFromId(row.g) as never,
  );

/**
 * The durable record: one SQLite file (better-sqlite3, WAL, synchronous FULL) holding every quad
 * and the collaboration tables. Whatever a transaction wrote is on disk when it returns, so a
 * write is acknowledged only after `transaction` has returned.
 */
export class Database {
  readonly sqlite: BetterSqlite3.Database;
  private readonly insertQuad: BetterSqlite3.Statement<QuadRow>;
  private readonly deleteQuad: BetterSqlite3.Statement<QuadRow>;

  private constructor(file: string, readonly = false) {
    this.sqlite = new BetterSqlite3(file, { readonly, fileMustExist: readonly });
    if (!readonly) {
      this.sqlite.pragma('journal_mode = WAL');
      // FULL: a committed transaction survives a power cut too, not only a crash of the process.
      this.sqlite.pragma('synchronous = FULL');
      this.sqlite.pragma('foreign_keys = ON');
      this.migrate();
    }
    this.insertQuad = this.sqlite.prepare(
      'INSERT OR IGNORE INTO quads (g, s, p, o) VALUES (@g, @s, @p, @o)',
    );
    this.deleteQuad = this.sqlite.prepare(
      'DELETE FROM quads WHERE g = @g AND s = @s AND p = @p AND o = @o',
    );
  }

  /** Opens (creating if needed) the database of a data directory. */
  static open(dataDir: string): Database {
    mkdirSync(dataDir, { recursive: true });
    return new Database(join(dataDir, DATABASE_FILE));
  }

  /**
   * The database of a data directory for reading only (a server may be writing it meanwhile), or
   * undefined when there is none.
   */
  static openForReading(dataDir: string): Database | undefined {
    const file = join(dataDir, DATABASE_FILE);
    return existsSync(file) ? new Database(file, true) : undefined;
  }

  /** A private database in memory, for commands that must not touch a data directory. */
  static inMemory(): Database {
    return new Database(':memory:');
  }

  close(): void {
    this.sqlite.close();
  }

  private migrate(): void {
    const version = this.sqlite.pragma('user_version', { simple: true }) as number;
    for (let next = version; next < MIGRATIONS.length; next++) {
      this.sqlite.transaction(() => {
        this.sqlite.exec(MIGRATIONS[next] as string);
        this.sqlite.pragma(`user_version = ${next + 1}`);
      })();
    }
  }

  /** Runs `work` in one transaction: all of it is committed, or none of it if it throws. */
  transaction<T>(work: () => T): T {
    return this.sqlite.transaction(work)();
  }

  /** Removes then adds quads; call inside `transaction` to make it part of a larger change. */
  writeQuads(deleted: readonly Quad[], added: readonly Quad[]): void {
    for (const q of deleted) this.deleteQuad.run(quadToRow(q));
    for (const q of added) this.insertQuad.run(quadToRow(q));
  }

  /** Records a change to apply; call inside `transaction`, with what the change is about. */
  journalAdd(deletions: readonly Quad[], additions: readonly Quad[]): number {
    const nquads = (quads: readonly Quad[]) =>
      new Writer({ format: 'N-Quads' }).quadsToString([...quads]);
    const { lastInsertRowid } = this.sqlite
      .prepare('INSERT INTO journal (deletions, additions, created_at) VALUES (?, ?, ?)')
      .run(nquads(deletions), nquads(additions), new Date().toISOString());
    return Number(lastInsertRowid);
  }

  /**
   * Takes or renews the writer lease for `holder` until `expiresAt` (ms since the epoch): true
   * when no other holder has an unexpired one, or that holder is `replacing` (known dead). One
   * statement, so two processes cannot both win.
   */
  claimWriterLease(holder: string, expiresAt: number, replacing = ''): boolean {
    const { changes } = this.sqlite
      .prepare(
        `INSERT INTO writer_lease (id, holder, expires_at) VALUES (1, ?, ?)
         ON CONFLICT(id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE writer_lease.expires_at < ? OR writer_lease.holder IN (excluded.holder, ?)`,
      )
      .run(holder, expiresAt, Date.now(), replacing);
    return changes === 1;
  }

  writerLeaseHolder(): string | undefined {
    const row = this.sqlite.prepare('SELECT holder FROM writer_lease').get() as
      { holder: string } | undefined;
    return row?.holder;
  }

  releaseWriterLease(holder: string): void {
    this.sqlite.prepare('DELETE FROM writer_lease WHERE holder = ?').run(holder);
  }

  /** Changes recorded and not yet applied, oldest first. */
  journalPending(): JournalEntry[] {
    // Labels kept as written: a blank node is the same node in every entry.
    const parse = (text: string) =>
      text ? new Parser({ format: 'application/n-quads', blankNodePrefix: '' }).parse(text) : [];
    const rows = this.sqlite
      .prepare('SELECT id, deletions, additions FROM journal ORDER BY id')
      .all() as { id: number; deletions: string; additions: string }[];
    return rows.map((row) => ({
      id: row.id,
      deletions: parse(row.deletions),
      additions: parse(row.additions),
    }));
  }

  journalDone(id: number): void {
    this.sqlite.prepare('DELETE FROM journal WHERE id = ?').run(id);
  }

  quadCount(): number {
    return (this.sqlite.prepare('SELECT COUNT(*) AS n FROM quads').get() as { n: number }).n;
  }

  /** Every quad, in batches, read without holding them all (for rebuilding the index). */
  *readQuads(batchSize = 10_000): Iterable<Quad[]> {
    let batch: Quad[] = [];
    for (const row of this.sqlite.prepare('SELECT g, s, p, o FROM quads').iterate()) {
      batch.push(rowToQuad(row as QuadRow));
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  getMeta(key: string): string | undefined {
    const row = this.sqlite.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.sqlite
      .prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }
}
