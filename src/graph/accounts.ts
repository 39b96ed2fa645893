import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Database } from '../store/database.js';

/** Roles that can hold a token; a request without one is a reader. */
export const ROLES = ['contributor', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { contributor: 1, moderator: 2, admin: 3 };

export const hasRole = (user: User | undefined, minimum: Role): boolean =>
  user !== undefined && RANK[user.role] >= RANK[minimum];

export interface User {
  id: number;
  name: string;
  role: Role;
  createdAt: string;
}

export interface TokenInfo {
  id: number;
  user: string;
  label: string;
  createdAt: string;
  revokedAt?: string;
}

/** A bad request about accounts (unknown role, name taken…), told to the caller as is. */
export class AccountError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409,
  ) {
    super(message);
  }
}

/** The user the configured admin token stands for (the server issue's bootstrap admin). */
export const BOOTSTRAP_ADMIN = 'admin';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
// scrypt's defaults (N = 2^14, r = 8, p = 1): about 35 ms a check on the development machine
// (scryptSync timed over 10 calls), hence the cache below.
const hashSecret = (secret: string, salt: Buffer) => scryptSync(secret, salt, 32);
const fingerprint = (token: string) => createHash('sha256').update(token).digest('hex');
const now = () => new Date().toISOString();

interface UserRow {
  id: number;
  name: string;
  role: Role;
  created_at: string;
}
const toUser = (row: UserRow): User => ({
  id: row.id,
  name: row.name,
  role: row.role,
  createdAt: row.created_at,
});

/**
 * Accounts and API tokens. A token reads `ckt_<id>_<secret>`: the id finds its row, the secret is
 * checked against a scrypt hash with its own salt; the token itself is shown once and never kept.
 */
export class Accounts {
  /** Tokens already checked, by SHA-256 fingerprint: a request need not pay scrypt again. */
  private readonly verified = new Map<string, { tokenId: number; userId: number }>();
  private readonly adminFingerprint?: Buffer;

  constructor(
    private readonly db: Database,
    adminToken?: string,
  ) {
    if (adminToken) {
      this.adminFingerprint = Buffer.from(fingerprint(adminToken), 'hex');
      if (!this.findUser(BOOTSTRAP_ADMIN)) this.insertUser(BOOTSTRAP_ADMIN, 'admin');
    }
  }

  addUser(name: string, role: string): { user: User; token: string } {
    if (!NAME.test(name)) {
      throw new AccountError(
        `invalid user name "${name}": 1 to 63 letters, digits, ".", "_" or "-", not starting with a sign`,
        400,
      );
    }
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new AccountError(`unknown role "${role}": one of ${ROLES.join(', ')}`, 400);
    }
    if (this.findUser(name)) throw new AccountError(`the user "${name}" exists`, 409);
    return this.db.transaction(() => {
      const user = this.insertUser(name, role as Role);
      return { user, token: this.issueToken(user, 'initial').token };
    });
  }

  createToken(userName: string, label = 'api'): { id: number; token: string } {
    const user = this.requireUser(userName);
    return this.issueToken(user, label);
  }

  /** Revokes a token; its owner or an admin may do it (the caller checks who asks). */
  revokeToken(tokenId: number): TokenInfo {
    const info = this.token(tokenId);
    if (!info) throw new AccountError(`no token ${tokenId}`, 404);
    if (!info.revokedAt) {
      this.db.sqlite.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ?').run(now(), tokenId);
      for (const [key, entry] of this.verified) {
        if (entry.tokenId === tokenId) this.verified.delete(key);
      }
    }
    return this.token(tokenId) as TokenInfo;
  }

  token(tokenId: number): TokenInfo | undefined {
    const row = this.db.sqlite
      .prepare(
        `SELECT t.id, u.name AS user, t.label, t.created_at, t.revoked_at
         FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?`,
      )
      .get(tokenId) as
      | { id: number; user: string; label: string; created_at: string; revoked_at: string | null }
      | undefined;
    if (!row) return undefined;
    return {
      id: row.id,
      user: row.user,
      label: row.label,
      createdAt: row.created_at,
      ...(row.revoked_at ? { revokedAt: row.revoked_at } : {}),
    };
  }

  tokensOf(userName: string): TokenInfo[] {
    const user = this.requireUser(userName);
    const ids = this.db.sqlite
      .prepare('SELECT id FROM tokens WHERE user_id = ? ORDER BY id')
      .all(user.id) as { id: number }[];
    return ids.map(({ id }) => this.token(id) as TokenInfo);
  }

  users(): User[] {
    return (
      this.db.sqlite
        .prepare('SELECT id, name, role, created_at FROM users ORDER BY id')
        .all() as UserRow[]
    ).map(toUser);
  }

  findUser(name: string): User | undefined {
    const row = this.db.sqlite
      .prepare('SELECT id, name, role, created_at FROM users WHERE name = ?')
      .get(name) as UserRow | undefined;
    return row && toUser(row);
  }

  userById(id: number): User | undefined {
    const row = this.db.sqlite
      .prepare('SELECT id, name, role, created_at FROM users WHERE id = ?')
      .get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  /** The user a bearer token stands for, or undefined for an unknown or revoked token. */
  authenticate(token: string): User | undefined {
    const key = fingerprint(token);
    if (this.adminFingerprint && timingSafeEqual(Buffer.from(key, 'hex'), this.adminFingerprint)) {
      return this.findUser(BOOTSTRAP_ADMIN);
    }
    const cached = this.verified.get(key);
    // A cache hit skips scrypt, not the revocation check: another process (the CLI) may revoke.
    if (cached) return this.isLive(cached.tokenId) ? this.userById(cached.userId) : undefined;
    const match = /^ckt_(\d+)_([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return undefined;
    const row = this.db.sqlite
      .prepare('SELECT user_id, salt, hash FROM tokens WHERE id = ? AND revoked_at IS NULL')
      .get(Number(match[1])) as { user_id: number; salt: Buffer; hash: Buffer } | undefined;
    if (!row || !timingSafeEqual(hashSecret(match[2] as string, row.salt), row.hash)) {
      return undefined;
    }
    this.verified.set(key, { tokenId: Number(match[1]), userId: row.user_id });
    return this.userById(row.user_id);
  }

  private isLive(tokenId: number): boolean {
    return (
      this.db.sqlite
        .prepare('SELECT 1 FROM tokens WHERE id = ? AND revoked_at IS NULL')
        .get(tokenId) !== undefined
    );
  }

  private requireUser(name: string): User {
    const user = this.findUser(name);
    if (!user) throw new AccountError(`no user "${name}"`, 404);
    return user;
  }

  private insertUser(name: string, role: Role): User {
    const createdAt = now();
    const { lastInsertRowid } = this.db.sqlite
      .prepare('INSERT INTO users (name, role, created_at) VALUES (?, ?, ?)')
      .run(name, role, createdAt);
    return { id: Number(lastInsertRowid), name, role, createdAt };
  }

  private issueToken(user: User, label: string): { id: number; token: string } {
    const secret = randomBytes(32).toString('base64url');
    const salt = randomBytes(16);
    const { lastInsertRowid } = this.db.sqlite
      .prepare('INSERT INTO tokens (user_id, label, salt, hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(user.id, label, salt, hashSecret(secret, salt), now());
    const id = Number(lastInsertRowid);
    return { id, token: `ckt_${id}_${secret}` };
  }
}
