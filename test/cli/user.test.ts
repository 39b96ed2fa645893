import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { Accounts } from '../../src/graph/accounts.js';
import { Database } from '../../src/store/database.js';

const tokenIn = (text: string) => /ckt_\d+_[A-Za-z0-9_-]{43}/.exec(text)?.[0] ?? '';

describe('communs-kg user', () => {
  let dir: string;
  const inDir = (...argv: string[]) => cli(...argv, '--data-dir', dir);
  const authenticate = (token: string) => {
    const db = Database.open(dir);
    try {
      return new Accounts(db).authenticate(token);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'communs-kg-user-'));
  });

  it('add: creates the account and prints a token, once, that authenticates as it', async () => {
    const result = await inDir('user', 'add', 'camille', '--role', 'moderator');
    expect(result.code).toBe(0);
    const token = tokenIn(result.out);
    expect(authenticate(token)).toMatchObject({ name: 'camille', role: 'moderator' });
    expect(authenticate(`${token.slice(0, -1)}x`)).toBeUndefined();
  });

  it('add: refuses a taken name, an unknown role and a missing role, with exit codes', async () => {
    expect(await inDir('user', 'add', 'camille', '--role', 'contributor')).toMatchObject({
      code: 1,
      err: expect.stringContaining('exists'),
    });
    expect(await inDir('user', 'add', 'dominique', '--role', 'boss')).toMatchObject({
      code: 1,
      err: expect.stringContaining('unknown role'),
    });
    expect((await inDir('user', 'add', 'dominique')).code).toBe(2);
  });

  it('token and revoke: a revoked token no longer authenticates; list shows live tokens', async () => {
    const created = await inDir('user', 'token', 'camille', '--label', 'laptop');
    const token = tokenIn(created.out);
    expect(authenticate(token)?.name).toBe('camille');
    const id = /^ckt_(\d+)_/.exec(token)?.[1] as string;
    expect((await inDir('user', 'revoke', id)).code).toBe(0);
    expect(authenticate(token)).toBeUndefined();
    const list = await inDir('user', 'list');
    expect(list.out).toMatch(/^camille\tmoderator\t1 live token\(s\): 1$/m);
  });

  it('the database keeps hashes, never tokens', async () => {
    const token = tokenIn((await inDir('user', 'add', 'eden', '--role', 'contributor')).out);
    const db = Database.open(dir);
    try {
      const secret = token.replace(/^ckt_\d+_/, '');
      // Every stored value as text, a blob read both as UTF-8 and as base64url, so that a secret
      // kept in any column and any encoding would show.
      const stored = (db.sqlite.prepare('SELECT * FROM tokens').all() as Record<string, unknown>[])
        .flatMap((row) => Object.values(row))
        .flatMap((value) =>
          Buffer.isBuffer(value)
            ? [value.toString('utf8'), value.toString('base64url')]
            : [String(value)],
        )
        .join('\n');
      expect(secret).toHaveLength(43);
      expect(stored).not.toContain(secret);
    } finally {
      db.close();
    }
  });
});
