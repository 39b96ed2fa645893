import { rmSync } from 'node:fs';
import type { Element } from '@xmldom/xmldom';
import { Parser } from 'n3';
import request, { type Response } from 'supertest';
import type { RunningServer } from '../../src/http/server.js';
import {
  acceptChangeset,
  ADMIN,
  addUser,
  adminApply,
  ask,
  bearer,
  changesetTotal,
  CK,
  freshIri,
  freshText,
  getChangeset,
  GRAPH,
  graphCounts,
  hasTriple,
  labelTriple,
  newestChangeset,
  RDFS_LABEL,
  select,
  submitPending,
  type Account,
  type Headers,
} from '../helpers/collab-helpers.js';
import { startProcessServer } from '../helpers/collab-process.js';
import { BASE } from '../helpers/project.js';
import { ADMIN_TOKEN, startTestServer, tempDataDir } from '../helpers/server.js';
import { wellFormedXml } from '../helpers/xml.js';

const HENRI = `${BASE}id/person/henri-verdier`;
const SEED_SOURCE = `${BASE}id/source/csnp-2023-page`;
const BODY_LIMIT = 20_000;

/** A token of the right form that was never issued. */
const UNKNOWN_TOKEN = `ckt_999999_${'A'.repeat(43)}`;

describe('the collaboration layer', () => {
  let server: RunningServer;
  let url: string;
  /** Contributors, moderators; the admin is the bootstrap one (ADMIN_TOKEN). */
  let alice: Account;
  let carol: Account;
  let mod: Account;
  let mod2: Account;

  beforeAll(async () => {
    server = await startTestServer({ 'body-limit-bytes': String(BODY_LIMIT) });
    url = server.url;
    alice = await addUser(url, 'alice', 'contributor');
    carol = await addUser(url, 'carol', 'contributor');
    mod = await addUser(url, 'mod', 'moderator');
    mod2 = await addUser(url, 'mod2', 'moderator');
  });
  afterAll(() => server.close());

  // ---------------------------------------------------------------------------------------------
  describe('accounts and authentication', () => {
    it('an admin creates users, and the token is shown once', async () => {
      const created = await request(url)
        .post('/api/users')
        .set(ADMIN)
        .send({ name: 'dora', role: 'contributor' });
      expect(created.status).toBe(201);
      expect(created.body.user).toMatchObject({ name: 'dora', role: 'contributor' });
      expect(created.body.token).toMatch(/^ckt_\d+_[A-Za-z0-9_-]{43}$/);
      const me = await request(url).get('/api/me').set(bearer(created.body.token));
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ name: 'dora', role: 'contributor' });
      // The list of users never shows a token again.
      const users = await request(url).get('/api/users').set(ADMIN);
      expect(users.status).toBe(200);
      expect(users.body.users.map((u: { name: string }) => u.name)).toEqual(
        expect.arrayContaining(['admin', 'alice', 'carol', 'mod', 'mod2', 'dora']),
      );
      expect(JSON.stringify(users.body)).not.toContain(created.body.token);
      const tokens = await request(url).get('/api/users/dora/tokens').set(ADMIN);
      expect(tokens.status).toBe(200);
      expect(JSON.stringify(tokens.body)).not.toContain(created.body.token);
    });

    it('refuses a taken name (409), an unknown role and a bad name (400)', async () => {
      const taken = await request(url)
        .post('/api/users')
        .set(ADMIN)
        .send({ name: 'alice', role: 'moderator' });
      expect(taken.status).toBe(409);
      expect(taken.body.error).toMatch(/exists/);
      for (const body of [
        { name: 'erin', role: 'superuser' },
        { name: '-erin', role: 'contributor' },
        { name: 'erin' },
      ]) {
        const response = await request(url).post('/api/users').set(ADMIN).send(body);
        expect(response.status).toBe(400);
        expect(typeof response.body.error).toBe('string');
      }
      const me = await request(url).get('/api/me').set(alice.headers);
      expect(me.body.role).toBe('contributor');
    });

    it.each([
      ['unknown', `Bearer ${UNKNOWN_TOKEN}`],
      ['malformed', 'Bearer not-a-token'],
      ['malformed (another scheme)', `Basic ${Buffer.from('a:b').toString('base64')}`],
      ['malformed (empty)', 'Bearer '],
    ])('an %s token gets 401 invalid_token, on reads too', async (_kind, header) => {
      for (const send of [
        () => request(url).get('/api/me').set('Authorization', header),
        () => request(url).get('/api/changesets').set('Authorization', header),
        () =>
          request(url)
            .get('/sparql')
            .query({ query: 'ASK {}' })
            .set('Authorization', header)
            .set('Accept', 'application/sparql-results+json'),
        () =>
          request(url)
            .post('/update')
            .set('Authorization', header)
            .set('Content-Type', 'application/sparql-update')
            .send(`INSERT DATA { GRAPH <${GRAPH.data}> { ${labelTriple(freshIri(), 'x')} } }`),
      ]) {
        const response = await send();
        expect(response.status).toBe(401);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
        expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
      }
    });

    it("a token whose id is changed to another token's is refused (401)", async () => {
      const carolsTokens = await request(url).get('/api/users/carol/tokens').set(ADMIN);
      const carolsId = carolsTokens.body.tokens[0].id as number;
      const tampered = alice.token.replace(/^ckt_\d+_/, `ckt_${carolsId}_`);
      expect(tampered).not.toBe(alice.token);
      const response = await request(url).get('/api/me').set(bearer(tampered));
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/invalid_token/);
    });

    it('no token on a write gets 401 with a Bearer challenge (and no invalid_token)', async () => {
      const response = await request(url)
        .post('/api/changesets')
        .send({ message: 'm', add: labelTriple(freshIri(), 'x') });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm=/);
      expect(response.headers['www-authenticate']).not.toMatch(/invalid_token/);
      expect(response.body.error).toMatch(/Authentication required/);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('tokens', () => {
    it('a user makes a token for themself; the new token works; revoking it gives 401', async () => {
      const made = await request(url)
        .post('/api/users/alice/tokens')
        .set(alice.headers)
        .send({ label: 'laptop' });
      expect(made.status).toBe(201);
      expect(made.body.token).toMatch(/^ckt_\d+_/);
      const second = bearer(made.body.token);
      expect((await request(url).get('/api/me').set(second)).body.name).toBe('alice');
      const listed = await request(url).get('/api/users/alice/tokens').set(alice.headers);
      expect(listed.status).toBe(200);
      expect(listed.body.tokens).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: made.body.id, label: 'laptop' })]),
      );

      const revoked = await request(url).delete(`/api/tokens/${made.body.id}`).set(alice.headers);
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
      const refused = await request(url).get('/api/me').set(second);
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toMatch(/invalid_token/);
      const write = await request(url)
        .post('/api/changesets')
        .set(second)
        .send({ message: 'after revocation', add: labelTriple(freshIri(), 'x') });
      expect(write.status).toBe(401);
      // The first token still works.
      expect((await request(url).get('/api/me').set(alice.headers)).status).toBe(200);
    });

    it('a token revoked while in use is refused at once (no cached acceptance)', async () => {
      const user = await addUser(url, 'frank', 'contributor');
      const tokens = await request(url).get('/api/users/frank/tokens').set(ADMIN);
      const id = tokens.body.tokens[0].id as number;
      expect((await request(url).get('/api/me').set(user.headers)).status).toBe(200);
      // Revoking the token one is using is allowed; the next request with it is refused.
      expect((await request(url).delete(`/api/tokens/${id}`).set(user.headers)).status).toBe(200);
      expect((await request(url).get('/api/me').set(user.headers)).status).toBe(401);
      expect((await request(url).delete(`/api/tokens/${id}`).set(user.headers)).status).toBe(401);
    });

    it('only an admin makes, lists or revokes tokens of someone else', async () => {
      const forOther = await request(url).post('/api/users/carol/tokens').set(alice.headers);
      expect(forOther.status).toBe(403);
      expect((await request(url).post('/api/users/carol/tokens').set(mod.headers)).status).toBe(
        403,
      );
      expect((await request(url).get('/api/users/carol/tokens').set(alice.headers)).status).toBe(
        403,
      );
      const byAdmin = await request(url).post('/api/users/carol/tokens').set(ADMIN);
      expect(byAdmin.status).toBe(201);
      const carolsNew = bearer(byAdmin.body.token);
      expect((await request(url).get('/api/me').set(carolsNew)).body.name).toBe('carol');

      const revokeOther = await request(url)
        .delete(`/api/tokens/${byAdmin.body.id}`)
        .set(alice.headers);
      expect(revokeOther.status).toBe(403);
      expect((await request(url).get('/api/me').set(carolsNew)).status).toBe(200);
      expect(
        (await request(url).delete(`/api/tokens/${byAdmin.body.id}`).set(mod.headers)).status,
      ).toBe(403);
      const byAdminRevoke = await request(url).delete(`/api/tokens/${byAdmin.body.id}`).set(ADMIN);
      expect(byAdminRevoke.status).toBe(200);
      expect((await request(url).get('/api/me').set(carolsNew)).status).toBe(401);
      // carol's first token is untouched.
      expect((await request(url).get('/api/me').set(carol.headers)).status).toBe(200);
    });

    it('404 for a token or user that does not exist', async () => {
      expect((await request(url).delete('/api/tokens/987654').set(ADMIN)).status).toBe(404);
      expect((await request(url).delete('/api/tokens/nope').set(ADMIN)).status).toBe(404);
      expect((await request(url).post('/api/users/nobody/tokens').set(ADMIN)).status).toBe(404);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('every write path goes through the same role check', () => {
    type Caller = 'reader' | 'invalid token' | 'contributor' | 'moderator' | 'admin';
    const CALLERS: Caller[] = ['reader', 'invalid token', 'contributor', 'moderator', 'admin'];
    const account = (caller: Caller): Account | undefined =>
      caller === 'contributor' ? alice : caller === 'moderator' ? mod : undefined;
    const headersOf = (caller: Caller): Headers =>
      caller === 'reader'
        ? {}
        : caller === 'invalid token'
          ? bearer(UNKNOWN_TOKEN)
          : caller === 'admin'
            ? ADMIN
            : (account(caller) as Account).headers;
    const nameOf = (caller: Caller) =>
      caller === 'admin' ? 'admin' : (account(caller)?.name ?? 'alice');

    interface Fixture {
      send: (headers: Headers) => Promise<Response>;
      /** Whether the request's effect is visible. */
      applied: () => Promise<boolean>;
    }
    interface WritePath {
      /** Writes to the graph: 202 and a pending changeset below admin, applied for an admin. */
      graphWrite: boolean;
      expected: Record<Caller, number>;
      setup: (caller: Caller) => Promise<Fixture>;
    }
    const graphWrite = (admin: number) => ({
      reader: 401,
      'invalid token': 401,
      contributor: 202,
      moderator: 202,
      admin,
    });
    const moderation = (ok: number) => ({
      reader: 401,
      'invalid token': 401,
      contributor: 403,
      moderator: ok,
      admin: ok,
    });
    const signedIn = (ok: number) => ({
      reader: 401,
      'invalid token': 401,
      contributor: ok,
      moderator: ok,
      admin: ok,
    });
    const anyGraphHas = (triple: string) =>
      ask(url, `ASK { GRAPH ?g { ${triple.replace(/\s*\.\s*$/, '')} } }`);
    const newGraph = () => `https://example.org/collab/${freshText('graph').replace(/\W/g, '-')}`;

    const PATHS: Record<string, WritePath> = {
      'POST /update': {
        graphWrite: true,
        expected: graphWrite(204),
        setup: async () => {
          const triple = labelTriple(freshIri(), 'by update');
          return {
            send: (headers) =>
              request(url)
                .post('/update')
                .query({ message: 'role check' })
                .set(headers)
                .set('Content-Type', 'application/sparql-update')
                .send(`INSERT DATA { GRAPH <${GRAPH.data}> { ${triple} } }`),
            applied: () => hasTriple(url, triple),
          };
        },
      },
      'PUT /graph-store': {
        graphWrite: true,
        expected: graphWrite(201),
        setup: async () => {
          const graph = newGraph();
          const triple = labelTriple(freshIri(), 'by PUT');
          return {
            send: (headers) =>
              request(url)
                .put('/graph-store')
                .query({ graph })
                .set(headers)
                .set('Content-Type', 'text/turtle')
                .send(triple),
            applied: () => hasTriple(url, triple, graph),
          };
        },
      },
      'POST /graph-store?graph=': {
        graphWrite: true,
        expected: graphWrite(201),
        setup: async () => {
          const graph = newGraph();
          const triple = labelTriple(freshIri(), 'by POST');
          return {
            send: (headers) =>
              request(url)
                .post('/graph-store')
                .query({ graph })
                .set(headers)
                .set('Content-Type', 'application/n-triples')
                .send(triple),
            applied: () => hasTriple(url, triple, graph),
          };
        },
      },
      'POST /graph-store (new graph)': {
        graphWrite: true,
        expected: graphWrite(201),
        setup: async () => {
          const triple = labelTriple(freshIri(), 'by POST to the store');
          return {
            send: (headers) =>
              request(url)
                .post('/graph-store')
                .set(headers)
                .set('Content-Type', 'text/turtle')
                .send(triple),
            applied: () => anyGraphHas(triple),
          };
        },
      },
      'DELETE /graph-store': {
        graphWrite: true,
        expected: graphWrite(204),
        setup: async () => {
          const graph = newGraph();
          await request(url)
            .put('/graph-store')
            .query({ graph })
            .set(ADMIN)
            .set('Content-Type', 'text/turtle')
            .send(labelTriple(freshIri(), 'to delete'))
            .expect(201);
          return {
            send: (headers) => request(url).delete('/graph-store').query({ graph }).set(headers),
            applied: async () =>
              (await request(url).get('/graph-store').query({ graph })).status === 404,
          };
        },
      },
      'POST /api/changesets': {
        graphWrite: false,
        expected: signedIn(201),
        setup: async () => {
          const triple = labelTriple(freshIri(), 'submitted');
          const before = await changesetTotal(url);
          return {
            send: (headers) =>
              request(url)
                .post('/api/changesets')
                .set(headers)
                .send({ message: 'role check', add: triple }),
            // Submitted, not applied (even by an admin, unless "direct").
            applied: async () =>
              (await changesetTotal(url)) > before && !(await hasTriple(url, triple)),
          };
        },
      },
      'POST /api/changesets/:id/accept': {
        graphWrite: false,
        expected: moderation(200),
        setup: async () => {
          const triple = labelTriple(freshIri(), 'to accept');
          const id = await submitPending(url, carol.headers, { message: 'm', add: triple });
          return {
            send: (headers) => request(url).post(`/api/changesets/${id}/accept`).set(headers),
            applied: async () =>
              (await getChangeset(url, id)).status === 'accepted' && (await hasTriple(url, triple)),
          };
        },
      },
      'POST /api/changesets/:id/reject': {
        graphWrite: false,
        expected: moderation(200),
        setup: async () => {
          const id = await submitPending(url, carol.headers, {
            message: 'm',
            add: labelTriple(freshIri(), 'to reject'),
          });
          return {
            send: (headers) =>
              request(url).post(`/api/changesets/${id}/reject`).set(headers).send({ reason: 'no' }),
            applied: async () => (await getChangeset(url, id)).status === 'rejected',
          };
        },
      },
      'POST /api/changesets/:id/revert': {
        graphWrite: false,
        expected: signedIn(201),
        setup: async () => {
          const triple = labelTriple(freshIri(), 'to revert');
          const id = await adminApply(url, { add: triple });
          return {
            send: (headers) => request(url).post(`/api/changesets/${id}/revert`).set(headers),
            applied: async () => {
              const pending = await request(url)
                .get('/api/changesets')
                .query({ status: 'pending', limit: 500 });
              return pending.body.changesets.some((c: { reverts?: number }) => c.reverts === id);
            },
          };
        },
      },
      'POST /api/users': {
        graphWrite: false,
        expected: {
          reader: 401,
          'invalid token': 401,
          contributor: 403,
          moderator: 403,
          admin: 201,
        },
        setup: async () => {
          const name = `user-${freshText('u').replace(/\W/g, '-')}`;
          return {
            send: (headers) =>
              request(url).post('/api/users').set(headers).send({ name, role: 'contributor' }),
            applied: async () => {
              const users = await request(url).get('/api/users').set(ADMIN);
              return users.body.users.some((u: { name: string }) => u.name === name);
            },
          };
        },
      },
      'POST /api/users/:self/tokens': {
        graphWrite: false,
        expected: signedIn(201),
        setup: async (caller) => {
          const name = nameOf(caller);
          const count = async () =>
            (await request(url).get(`/api/users/${name}/tokens`).set(ADMIN)).body.tokens.length;
          const before = await count();
          return {
            send: (headers) => request(url).post(`/api/users/${name}/tokens`).set(headers),
            applied: async () => (await count()) > before,
          };
        },
      },
      'DELETE /api/tokens/:own': {
        graphWrite: false,
        expected: signedIn(200),
        setup: async (caller) => {
          const name = nameOf(caller);
          const made = await request(url).post(`/api/users/${name}/tokens`).set(ADMIN);
          expect(made.status).toBe(201);
          return {
            send: (headers) => request(url).delete(`/api/tokens/${made.body.id}`).set(headers),
            applied: async () =>
              (await request(url).get('/api/me').set(bearer(made.body.token))).status === 401,
          };
        },
      },
      'POST /api/gardening/reviewed': {
        graphWrite: false,
        expected: moderation(200),
        setup: async () => {
          const entity = freshIri();
          await adminApply(url, { add: labelTriple(entity, 'to garden') });
          return {
            send: (headers) =>
              request(url).post('/api/gardening/reviewed').set(headers).send({ entity }),
            applied: () =>
              ask(url, `ASK { GRAPH <${GRAPH.gardening}> { <${entity}> ck:lastReviewed ?t } }`),
          };
        },
      },
      'GET /api/users': {
        graphWrite: false,
        expected: {
          reader: 401,
          'invalid token': 401,
          contributor: 403,
          moderator: 403,
          admin: 200,
        },
        setup: async () => ({
          send: (headers) => request(url).get('/api/users').set(headers),
          applied: async () => true,
        }),
      },
    };

    const table = Object.entries(PATHS).flatMap(([path, spec]) =>
      CALLERS.map((caller) => [path, caller, spec.expected[caller]] as const),
    );

    it.each(table)('%s by %s → %d', async (path, caller, status) => {
      const spec = PATHS[path] as WritePath;
      const fixture = await spec.setup(caller);
      const countsBefore = await graphCounts(url);
      const totalBefore = await changesetTotal(url);
      const response = await fixture.send(headersOf(caller));
      expect(response.status).toBe(status);

      if (status === 401) {
        expect(response.headers['www-authenticate']).toMatch(
          caller === 'invalid token' ? /invalid_token/ : /^Bearer realm=/,
        );
      }
      if (status === 401 || status === 403) {
        // Refused: nothing changed, nothing was recorded.
        if (path !== 'GET /api/users') expect(await fixture.applied()).toBe(false);
        expect(await graphCounts(url)).toEqual(countsBefore);
        expect(await changesetTotal(url)).toBe(totalBefore);
        return;
      }
      if (spec.graphWrite && status === 202) {
        // A contributor's or moderator's write becomes a pending changeset; the graph is unchanged.
        expect(response.headers.location).toMatch(/^\/api\/changesets\/\d+$/);
        expect(response.body).toMatchObject({ status: 'pending' });
        const changeset = (await request(url).get(response.headers.location as string)).body;
        expect(changeset).toMatchObject({ status: 'pending', author: nameOf(caller) });
        expect(changeset.diff.length).toBeGreaterThan(0);
        expect(await fixture.applied()).toBe(false);
        expect(await graphCounts(url)).toEqual(countsBefore);
        expect(await changesetTotal(url)).toBe(totalBefore + 1);
        return;
      }
      expect(await fixture.applied()).toBe(true);
      if (spec.graphWrite) {
        // An admin's write is applied at once, and recorded as an accepted changeset.
        expect(await changesetTotal(url)).toBe(totalBefore + 1);
        expect(await newestChangeset(url)).toMatchObject({
          author: 'admin',
          status: 'accepted',
          direct: true,
        });
      }
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('the life of a changeset', () => {
    it('submitted (201, pending, with a diff), listed, accepted by a moderator, then visible', async () => {
      const subject = freshIri();
      const label = freshText('a label');
      const triple = labelTriple(subject, label);
      const submitted = await request(url).post('/api/changesets').set(alice.headers).send({
        message: 'Add a label',
        source: 'https://example.org/source/1',
        add: triple,
      });
      expect(submitted.status).toBe(201);
      const id = submitted.body.id as number;
      expect(submitted.headers.location).toBe(`/api/changesets/${id}`);
      expect(submitted.body).toMatchObject({
        id,
        status: 'pending',
        author: 'alice',
        message: 'Add a label',
        source: 'https://example.org/source/1',
        added: 1,
        removed: 0,
        direct: false,
      });
      expect(submitted.body.diff).toEqual([expect.stringMatching(/^\+ /)]);
      expect(submitted.body.diff[0]).toContain(subject);
      expect(submitted.body.diff[0]).toContain(`"${label}"@en`);
      expect(submitted.body.diff[0]).toContain(GRAPH.data);
      expect(submitted.body.diff[0]).toContain(' rdfs:label ');

      const shown = await request(url).get(`/api/changesets/${id}`);
      expect(shown.status).toBe(200);
      expect(shown.body).toMatchObject({ id, status: 'pending', diff: submitted.body.diff });

      const listed = await request(url)
        .get('/api/changesets')
        .query({ status: 'pending', author: 'alice' });
      expect(listed.status).toBe(200);
      expect(listed.body.total).toBeGreaterThanOrEqual(1);
      expect(listed.body.changesets[0]).toMatchObject({ id, status: 'pending', added: 1 });
      expect(listed.body.changesets[0].additions).toBeUndefined();
      const all = await request(url).get('/api/changesets');
      expect(all.body.changesets.map((c: { id: number }) => c.id)).toContain(id);
      const ids = all.body.changesets.map((c: { id: number }) => c.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect((await request(url).get('/api/changesets').query({ status: 'bogus' })).status).toBe(
        400,
      );
      expect((await request(url).get('/api/changesets').query({ offset: -1 })).status).toBe(400);
      const page = await request(url).get('/api/changesets').query({ limit: 2, offset: 1 });
      expect(page.body).toMatchObject({ limit: 2, offset: 1, total: all.body.total });
      expect(page.body.changesets.map((c: { id: number }) => c.id)).toEqual(ids.slice(1, 3));
      const accepted = await request(url).get('/api/changesets').query({ status: 'accepted' });
      expect(accepted.body.changesets.map((c: { id: number }) => c.id)).not.toContain(id);

      // Not applied until reviewed.
      expect(await hasTriple(url, triple)).toBe(false);
      expect(
        (await request(url).post(`/api/changesets/${id}/accept`).set(alice.headers)).status,
      ).toBe(403);
      expect(
        (await request(url).post(`/api/changesets/${id}/accept`).set(carol.headers)).status,
      ).toBe(403);

      const done = await request(url)
        .post(`/api/changesets/${id}/accept`)
        .set(mod.headers)
        .send({ reason: 'sourced' });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({
        id,
        status: 'accepted',
        reviewer: 'mod',
        reviewReason: 'sourced',
        direct: false,
      });
      expect(done.body.reviewedAt).toEqual(expect.any(String));
      expect(await hasTriple(url, triple)).toBe(true);
      // Through the default graph (the union) too.
      expect(await ask(url, `ASK { <${subject}> rdfs:label "${label}"@en }`)).toBe(true);

      // Twice is a conflict; so is rejecting it now.
      const again = await request(url).post(`/api/changesets/${id}/accept`).set(mod2.headers);
      expect(again.status).toBe(409);
      expect(again.body.error).toMatch(/already accepted/);
      const reject = await request(url)
        .post(`/api/changesets/${id}/reject`)
        .set(mod2.headers)
        .send({ reason: 'too late' });
      expect(reject.status).toBe(409);
      expect((await getChangeset(url, id)).status).toBe('accepted');
    });

    it('nobody reviews their own changeset, a moderator or an admin included', async () => {
      const triple = labelTriple(freshIri(), 'own');
      const id = await submitPending(url, mod.headers, { message: 'mine', add: triple });
      const own = await request(url).post(`/api/changesets/${id}/accept`).set(mod.headers);
      expect(own.status).toBe(403);
      expect(own.body.error).toMatch(/own/);
      const ownReject = await request(url)
        .post(`/api/changesets/${id}/reject`)
        .set(mod.headers)
        .send({ reason: 'changed my mind' });
      expect(ownReject.status).toBe(403);
      expect((await getChangeset(url, id)).status).toBe('pending');
      expect(await hasTriple(url, triple)).toBe(false);
      await acceptChangeset(url, mod2.headers, id);
      expect(await hasTriple(url, triple)).toBe(true);

      const adminTriple = labelTriple(freshIri(), 'admin own');
      const adminId = await submitPending(url, ADMIN, { message: 'mine', add: adminTriple });
      expect((await request(url).post(`/api/changesets/${adminId}/accept`).set(ADMIN)).status).toBe(
        403,
      );
      expect(await hasTriple(url, adminTriple)).toBe(false);
      await acceptChangeset(url, mod.headers, adminId);
      expect(await hasTriple(url, adminTriple)).toBe(true);
    });

    it('a rejection needs a reason (400), records it, and the changeset is closed (409)', async () => {
      const triple = labelTriple(freshIri(), 'rejected');
      const id = await submitPending(url, alice.headers, { message: 'dubious', add: triple });
      for (const body of [{}, { reason: '' }, { reason: '   ' }]) {
        const response = await request(url)
          .post(`/api/changesets/${id}/reject`)
          .set(mod.headers)
          .send(body);
        expect(response.status).toBe(400);
        expect(response.body.error).toMatch(/reason/);
      }
      const wrongType = await request(url)
        .post(`/api/changesets/${id}/reject`)
        .set(mod.headers)
        .send({ reason: 42 });
      expect(wrongType.status).toBe(400);
      expect((await getChangeset(url, id)).status).toBe('pending');

      const rejected = await request(url)
        .post(`/api/changesets/${id}/reject`)
        .set(mod.headers)
        .send({ reason: 'no source given' });
      expect(rejected.status).toBe(200);
      expect(rejected.body).toMatchObject({
        status: 'rejected',
        reviewer: 'mod',
        reviewReason: 'no source given',
      });
      expect(await getChangeset(url, id)).toMatchObject({
        status: 'rejected',
        reviewReason: 'no source given',
      });
      expect(await hasTriple(url, triple)).toBe(false);

      const accept = await request(url).post(`/api/changesets/${id}/accept`).set(mod2.headers);
      expect(accept.status).toBe(409);
      expect(accept.body.error).toMatch(/rejected/);
      const again = await request(url)
        .post(`/api/changesets/${id}/reject`)
        .set(mod2.headers)
        .send({ reason: 'twice' });
      expect(again.status).toBe(409);
      const revert = await request(url).post(`/api/changesets/${id}/revert`).set(alice.headers);
      expect(revert.status).toBe(409);
      expect(await hasTriple(url, triple)).toBe(false);
      const rejectedList = await request(url).get('/api/changesets').query({ status: 'rejected' });
      expect(rejectedList.body.changesets.map((c: { id: number }) => c.id)).toContain(id);
    });

    it('404 for a changeset that does not exist', async () => {
      const total = await changesetTotal(url);
      for (const id of ['999999', '0', 'abc', '-1']) {
        expect((await request(url).get(`/api/changesets/${id}`)).status).toBe(404);
        const accept = await request(url).post(`/api/changesets/${id}/accept`).set(mod.headers);
        expect(accept.status).toBe(404);
        expect(accept.body.error).toEqual(expect.any(String));
        const reject = await request(url)
          .post(`/api/changesets/${id}/reject`)
          .set(mod.headers)
          .send({ reason: 'r' });
        expect(reject.status).toBe(404);
        expect(
          (await request(url).post(`/api/changesets/${id}/revert`).set(alice.headers)).status,
        ).toBe(404);
      }
      expect(await changesetTotal(url)).toBe(total);
    });

    it('accepts a contribution written as a SPARQL Update, and removals', async () => {
      const subject = freshIri();
      const old = labelTriple(subject, 'old');
      await adminApply(url, { add: old });
      const id = await submitPending(url, alice.headers, {
        message: 'rename',
        update: `PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
          DELETE { GRAPH <${GRAPH.data}> { <${subject}> rdfs:label ?l } }
          INSERT { GRAPH <${GRAPH.data}> { <${subject}> rdfs:label "new"@en } }
          WHERE { GRAPH <${GRAPH.data}> { <${subject}> rdfs:label ?l } }`,
      });
      const changeset = await getChangeset(url, id);
      expect(changeset).toMatchObject({ added: 1, removed: 1 });
      expect(changeset.diff).toEqual([
        expect.stringMatching(/^- .*"old"@en/),
        expect.stringMatching(/^\+ .*"new"@en/),
      ]);
      expect(await hasTriple(url, old)).toBe(true);
      await acceptChangeset(url, mod.headers, id);
      expect(await hasTriple(url, old)).toBe(false);
      expect(await hasTriple(url, labelTriple(subject, 'new'))).toBe(true);
    });

    it('updates with WHERE clauses: the net effect, and each operation sees the previous ones', async () => {
      const subject = freshIri();
      const update = (text: string) =>
        request(url)
          .post('/update')
          .set(ADMIN)
          .set('Content-Type', 'application/sparql-update')
          .send(`PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n${text}`);
      const inData = (pattern: string) => `GRAPH <${GRAPH.data}> { ${pattern} }`;
      const comment = (text: string) =>
        `<${subject}> <http://www.w3.org/2000/01/rdf-schema#comment> "${text}"@en .`;

      // Two operations: the second one's WHERE sees the label the first one inserted.
      const moved = await update(
        `INSERT DATA { ${inData(`<${subject}> rdfs:label "a"@en`)} } ;
         DELETE { ${inData(`<${subject}> rdfs:label ?l`)} } INSERT { ${inData(`<${subject}> rdfs:comment ?l`)} }
         WHERE { ${inData(`<${subject}> rdfs:label ?l`)} }`,
      );
      expect(moved.status).toBe(204);
      expect(await hasTriple(url, labelTriple(subject, 'a'))).toBe(false);
      expect(await hasTriple(url, comment('a'))).toBe(true);

      // Deleting and inserting the same triple leaves it, and records nothing.
      const total = await changesetTotal(url);
      const same = await update(
        `DELETE { ${inData(`<${subject}> rdfs:comment ?c`)} } INSERT { ${inData(`<${subject}> rdfs:comment ?c`)} }
         WHERE { ${inData(`<${subject}> rdfs:comment ?c`)} }`,
      );
      expect(same.status).toBe(204);
      expect(await hasTriple(url, comment('a'))).toBe(true);
      expect(await changesetTotal(url)).toBe(total);

      // DELETE WHERE, one operation.
      const gone = await update(`DELETE WHERE { ${inData(`<${subject}> rdfs:comment ?c`)} }`);
      expect(gone.status).toBe(204);
      expect(await hasTriple(url, comment('a'))).toBe(false);
      expect(await changesetTotal(url)).toBe(total + 1);
    });

    it('writes literals escaped in the diff, so a value cannot forge a line or a statement', async () => {
      // Found by the injection suite: the diff showed the text between bare quotes.
      const subject = freshIri();
      const forged = `x"@en  # in <${GRAPH.data}>\n- <${subject}> rdfs:label "genuine"@en \\ end`;
      const id = await submitPending(url, alice.headers, {
        message: 'forged diff',
        add: labelTriple(subject, forged),
      });
      const { diff } = await getChangeset(url, id);
      expect(diff).toHaveLength(1);
      const line = (diff as string[])[0] ?? '';
      expect(line).not.toMatch(/[\n\r]/);
      const literal = /^\+ \S+ rdfs:label (".*"@en) {2}# in <[^>]+>$/.exec(line)?.[1];
      expect(literal).toBeDefined();
      const [quad] = new Parser().parse(`<x:s> <x:p> ${literal} .`);
      expect(quad?.object.value).toBe(forged);
    });

    it('takes other RDF formats: JSON-LD (as an object) and N-Triples', async () => {
      const subject = freshIri();
      const id = await submitPending(url, alice.headers, {
        message: 'JSON-LD',
        format: 'application/ld+json',
        add: { '@id': subject, [RDFS_LABEL]: { '@value': 'from JSON-LD', '@language': 'en' } },
      });
      await acceptChangeset(url, mod.headers, id);
      expect(await hasTriple(url, labelTriple(subject, 'from JSON-LD'))).toBe(true);
      const nt = await submitPending(url, alice.headers, {
        message: 'N-Triples',
        format: 'application/n-triples',
        remove: labelTriple(subject, 'from JSON-LD'),
      });
      await acceptChangeset(url, mod.headers, nt);
      expect(await hasTriple(url, labelTriple(subject, 'from JSON-LD'))).toBe(false);
    });

    it('refuses a submission without a message, an empty one, or a non-http source (400)', async () => {
      const total = await changesetTotal(url);
      const triple = labelTriple(freshIri(), 'x');
      for (const body of [
        { add: triple },
        { message: '  ', add: triple },
        { message: 'nothing' },
        { message: 'empty', add: '' },
        { message: 'bad source', add: triple, source: 'ftp://example.org/x' },
        { message: 42, add: triple },
      ]) {
        const response = await request(url).post('/api/changesets').set(alice.headers).send(body);
        expect(response.status).toBe(400);
        expect(response.body.error).toEqual(expect.any(String));
      }
      const direct = await request(url)
        .post('/api/changesets')
        .set(mod.headers)
        .send({ message: 'skip review', add: triple, direct: true });
      expect(direct.status).toBe(403);
      expect(await changesetTotal(url)).toBe(total);
      expect(await hasTriple(url, triple)).toBe(false);
    });

    it('refuses a source an IRI cannot hold, which once applied stopped every query', async () => {
      // Found by the injection suite: a source with a double quote passed the check, became an
      // IRI of the history graph when the changeset was applied, and the N-Quads sent to the
      // query workers no longer parsed: every query then ran into the time limit (503).
      const total = await changesetTotal(url);
      const triple = labelTriple(freshIri(), 'sourced');
      for (const source of [
        'https://example.org/r?a="x"',
        'https://example.org/<script>',
        'https://example.org/a{b}',
        'https://example.org/a\\b',
        'https://example.org/a\u0007b',
      ]) {
        const response = await request(url)
          .post('/api/changesets')
          .set(alice.headers)
          .send({ message: 'odd source', add: triple, source });
        expect({ source, status: response.status }).toEqual({ source, status: 400 });
        expect(response.body.error).toMatch(/source/);
      }
      expect(await changesetTotal(url)).toBe(total);
      // Characters an IRI may hold are kept, and queries go on after the change is applied.
      const source = "https://example.org/r?a=1&b='x'(y)!*$,;=+~%22";
      const id = await submitPending(url, alice.headers, {
        message: 'sourced',
        add: triple,
        source,
      });
      await acceptChangeset(url, mod.headers, id);
      expect(await hasTriple(url, triple)).toBe(true);
      expect(
        await ask(url, `ASK { GRAPH <${GRAPH.history}> { ?c dcterms:source <${source}> } }`),
      ).toBe(true);
    });

    it("a contributor's SPARQL Update and Graph Store write become pending changesets a moderator accepts", async () => {
      const triple = labelTriple(freshIri(), 'via /update');
      const update = await request(url)
        .post('/update')
        .set(carol.headers)
        .type('form')
        .send({
          update: `INSERT DATA { GRAPH <${GRAPH.data}> { ${triple} } }`,
          message: 'via the protocol',
        });
      expect(update.status).toBe(202);
      const id = Number(/(\d+)$/.exec(update.headers.location as string)?.[1]);
      expect(await getChangeset(url, id)).toMatchObject({
        status: 'pending',
        author: 'carol',
        message: 'via the protocol',
      });
      expect(await hasTriple(url, triple)).toBe(false);
      await acceptChangeset(url, mod.headers, id);
      expect(await hasTriple(url, triple)).toBe(true);

      const graph = 'https://example.org/collab/gsp-accepted';
      const gsp = await request(url)
        .put('/graph-store')
        .query({ graph })
        .set(carol.headers)
        .set('Content-Type', 'text/turtle')
        .send(triple);
      expect(gsp.status).toBe(202);
      expect((await request(url).get('/graph-store').query({ graph })).status).toBe(404);
      await acceptChangeset(
        url,
        mod.headers,
        Number(/(\d+)$/.exec(gsp.headers.location as string)?.[1]),
      );
      const read = await request(url)
        .get('/graph-store')
        .query({ graph })
        .set('Accept', 'application/n-triples');
      expect(read.status).toBe(200);
      expect(read.text).toContain('"via /update"@en');
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('conflicts', () => {
    it('two pending changesets remove the same triple: the second accept is 409 and changes nothing', async () => {
      const subject = freshIri();
      const shared = labelTriple(subject, 'shared');
      await adminApply(url, { add: shared });
      const firstAdd = labelTriple(subject, 'first', 'fr');
      const secondAdd = labelTriple(subject, 'second', 'fr');
      const first = await submitPending(url, alice.headers, {
        message: 'first',
        remove: shared,
        add: firstAdd,
      });
      const second = await submitPending(url, carol.headers, {
        message: 'second',
        remove: shared,
        add: secondAdd,
      });
      await acceptChangeset(url, mod.headers, first);
      const counts = await graphCounts(url);

      const conflict = await request(url).post(`/api/changesets/${second}/accept`).set(mod.headers);
      expect(conflict.status).toBe(409);
      expect(conflict.body.error).toMatch(/not in the graph/);
      expect(conflict.body.missing).toEqual([expect.stringContaining('"shared"@en')]);
      expect(await graphCounts(url)).toEqual(counts);
      expect(await hasTriple(url, secondAdd)).toBe(false);
      expect(await hasTriple(url, firstAdd)).toBe(true);
      expect((await getChangeset(url, second)).status).toBe('pending');
      // It can still be rejected.
      const rejected = await request(url)
        .post(`/api/changesets/${second}/reject`)
        .set(mod.headers)
        .send({ reason: 'superseded' });
      expect(rejected.status).toBe(200);
    });

    it('removing a triple that is not there is refused at submission (409)', async () => {
      const total = await changesetTotal(url);
      const response = await request(url)
        .post('/api/changesets')
        .set(alice.headers)
        .send({ message: 'remove a ghost', remove: labelTriple(freshIri(), 'ghost') });
      expect(response.status).toBe(409);
      expect(response.body.missing).toHaveLength(1);
      expect(await changesetTotal(url)).toBe(total);
    });
  });

  describe('conflicts between concurrent reviews', () => {
    it('two moderators accept conflicting changesets at the same time: one 200, one 409', async () => {
      const subject = freshIri();
      const shared = labelTriple(subject, 'contested');
      await adminApply(url, { add: shared });
      const ids = await Promise.all(
        ['one', 'two'].map((text, i) =>
          submitPending(url, (i === 0 ? alice : carol).headers, {
            message: text,
            remove: shared,
            add: labelTriple(subject, text, 'fr'),
          }),
        ),
      );
      const [a, b] = ids as [number, number];
      const answers = await Promise.all([
        request(url).post(`/api/changesets/${a}/accept`).set(mod.headers),
        request(url).post(`/api/changesets/${b}/accept`).set(mod2.headers),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = answers[0]?.status === 200 ? 'one' : 'two';
      const loser = winner === 'one' ? 'two' : 'one';
      expect(await hasTriple(url, labelTriple(subject, winner, 'fr'))).toBe(true);
      expect(await hasTriple(url, labelTriple(subject, loser, 'fr'))).toBe(false);
      expect(await hasTriple(url, shared)).toBe(false);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('SHACL', () => {
    it('422 at acceptance when the graph changed since: each change alone conforms, not both', async () => {
      const person = freshIri('person');
      const first = `<${person}> <${RDFS_LABEL}> "Première"@fr .`;
      const second = `<${person}> <${RDFS_LABEL}> "Seconde"@fr .`;
      await adminApply(url, {
        add: `<${person}> a <${CK}Person> ; <${RDFS_LABEL}> "Première"@fr , "Seconde"@fr , "First"@en .`,
      });
      const dropFirst = await submitPending(url, alice.headers, { message: 'one', remove: first });
      const dropSecond = await submitPending(url, carol.headers, {
        message: 'two',
        remove: second,
      });
      await acceptChangeset(url, mod.headers, dropFirst);
      const counts = await graphCounts(url);
      const refused = await request(url)
        .post(`/api/changesets/${dropSecond}/accept`)
        .set(mod.headers);
      expect(refused.status).toBe(422);
      expect(refused.body.violations).toEqual([
        expect.objectContaining({
          focusNode: `<${person}>`,
          path: `<${RDFS_LABEL}>`,
          message: expect.stringMatching(/French label/),
        }),
      ]);
      expect(await graphCounts(url)).toEqual(counts);
      expect(await hasTriple(url, second)).toBe(true);
      expect((await getChangeset(url, dropSecond)).status).toBe('pending');
    });

    it('422 with the report for a quote lacking required properties, and nothing stored', async () => {
      const claim = freshIri('claim');
      const counts = await graphCounts(url);
      const total = await changesetTotal(url);
      const response = await request(url)
        .post('/api/changesets')
        .set(alice.headers)
        .send({
          message: 'an incomplete quote',
          add: `@prefix ck: <${CK}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            <${claim}> a ck:Quote ;
              rdfs:label "Une citation"@fr , "A quote"@en ;
              ck:text "des mots"@fr .`,
        });
      expect(response.status).toBe(422);
      expect(response.body.error).toMatch(/constraint/);
      const violations = response.body.violations as {
        focusNode: string;
        path?: string;
        message: string;
      }[];
      expect(violations.length).toBeGreaterThan(0);
      for (const v of violations) {
        expect(v.focusNode).toContain(claim);
        expect(typeof v.message).toBe('string');
      }
      const paths = violations.map((v) => v.path);
      for (const property of ['claimant', 'intervention', 'topic', 'source', 'selector']) {
        expect(paths).toContain(`<${CK}${property}>`);
      }
      expect(violations.find((v) => v.path === `<${CK}claimant>`)?.message).toMatch(
        /exactly one ck:claimant/,
      );
      expect(await changesetTotal(url)).toBe(total);
      expect(await graphCounts(url)).toEqual(counts);
      expect(await ask(url, `ASK { <${claim}> ?p ?o }`)).toBe(false);
    });

    it('422 for a change that breaks an existing entity (removing a person\u2019s French label)', async () => {
      const total = await changesetTotal(url);
      const update = await request(url)
        .post('/update')
        .set(ADMIN)
        .set('Content-Type', 'application/sparql-update')
        .send(
          `DELETE DATA { GRAPH <${GRAPH.data}> { <${HENRI}> <${RDFS_LABEL}> "Henri Verdier"@fr } }`,
        );
      expect(update.status).toBe(422);
      expect(update.text).toMatch(/French label/);
      // Checked when a contributor's write is submitted too: no pending changeset that cannot pass.
      const byContributor = await request(url)
        .post('/update')
        .set(carol.headers)
        .set('Content-Type', 'application/sparql-update')
        .send(
          `DELETE DATA { GRAPH <${GRAPH.data}> { <${HENRI}> <${RDFS_LABEL}> "Henri Verdier"@fr } }`,
        );
      expect(byContributor.status).toBe(422);
      expect(await hasTriple(url, `<${HENRI}> <${RDFS_LABEL}> "Henri Verdier"@fr`)).toBe(true);
      expect(await changesetTotal(url)).toBe(total);
    });

    it('a complete quote passes', async () => {
      const claim = freshIri('claim');
      const text = 'les communs sont des ressources';
      const id = await submitPending(url, alice.headers, {
        message: 'a complete quote',
        source: 'https://example.org/page',
        add: `@prefix ck: <${CK}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
          @prefix oa: <http://www.w3.org/ns/oa#> .
          <${claim}> a ck:Quote ;
            rdfs:label "Une citation"@fr , "A quote"@en ;
            ck:text "${text}"@fr ;
            ck:claimant <${HENRI}> ;
            ck:intervention <${BASE}id/event/csnp-2023-intervention-henri-verdier> ;
            ck:topic <${BASE}topic/gouvernance> ;
            ck:source <${SEED_SOURCE}> ;
            ck:selector [ a oa:TextQuoteSelector ; oa:exact "${text}" ] .`,
      });
      await acceptChangeset(url, mod.headers, id);
      const rows = await select(
        url,
        `SELECT ?exact WHERE { GRAPH <${GRAPH.data}> { <${claim}> ck:selector ?s . ?s <http://www.w3.org/ns/oa#exact> ?exact } }`,
      );
      expect(rows.map((r) => r.exact?.value)).toEqual([text]);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('revert', () => {
    it('proposes the inverse as a pending changeset; once accepted the graph is as before', async () => {
      const subject = freshIri();
      const removed = labelTriple(subject, 'to be removed');
      await adminApply(url, { add: removed });
      const before = await graphCounts(url);
      const added = labelTriple(subject, 'added', 'fr');
      // The changeset also "adds" a triple the graph already holds.
      const already = `<${HENRI}> <${RDFS_LABEL}> "Henri Verdier"@fr .`;
      const original = await submitPending(url, alice.headers, {
        message: 'edit',
        add: `${added}\n${already}`,
        remove: removed,
      });
      await acceptChangeset(url, mod.headers, original);
      expect(await hasTriple(url, added)).toBe(true);
      expect(await hasTriple(url, removed)).toBe(false);
      // The history does not say the changeset asserted what was already there.
      expect(
        await ask(
          url,
          `ASK { GRAPH <${GRAPH.history}> { <${BASE}id/changeset/${original}> ck:addedStatement
            [ rdf:subject <${HENRI}> ] } }`,
        ),
      ).toBe(false);
      const henri = await request(url).get('/api/history').query({ entity: HENRI });
      expect(henri.body.changesets.map((c: { id: number }) => c.id)).not.toContain(original);

      // Only an accepted changeset can be reverted.
      const pending = await submitPending(url, alice.headers, {
        message: 'pending',
        add: labelTriple(freshIri(), 'p'),
      });
      expect(
        (await request(url).post(`/api/changesets/${pending}/revert`).set(carol.headers)).status,
      ).toBe(409);

      const revert = await request(url)
        .post(`/api/changesets/${original}/revert`)
        .set(carol.headers)
        .send({ message: 'undo the edit' });
      expect(revert.status).toBe(201);
      const revertId = revert.body.id as number;
      expect(revert.headers.location).toBe(`/api/changesets/${revertId}`);
      expect(revert.body).toMatchObject({
        status: 'pending',
        author: 'carol',
        message: 'undo the edit',
        reverts: original,
      });
      expect(revert.body.diff).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^- .*"added"@fr/),
          expect.stringMatching(/^\+ .*"to be removed"@en/),
        ]),
      );
      // Nothing changes until a moderator accepts the revert.
      expect(await hasTriple(url, added)).toBe(true);
      expect(await hasTriple(url, removed)).toBe(false);

      await acceptChangeset(url, mod.headers, revertId);
      expect(await hasTriple(url, added)).toBe(false);
      expect(await hasTriple(url, removed)).toBe(true);
      expect(await hasTriple(url, already)).toBe(true);
      const after = await graphCounts(url);
      for (const graph of [GRAPH.data, GRAPH.ontology, GRAPH.wikidataView]) {
        expect(after[graph]).toBe(before[graph]);
      }
      // The history says what reverted what.
      expect(
        await ask(
          url,
          `ASK { GRAPH <${GRAPH.history}> {
            <${BASE}id/changeset/${revertId}> ck:reverts <${BASE}id/changeset/${original}> } }`,
        ),
      ).toBe(true);
      // A changeset whose additions were removed since cannot be reverted as is.
      const later = await submitPending(url, alice.headers, { message: 'later', remove: removed });
      await acceptChangeset(url, mod.headers, later);
      const stale = await request(url)
        .post(`/api/changesets/${revertId}/revert`)
        .set(carol.headers);
      expect(stale.status).toBe(409);
      expect(stale.body.missing).toEqual([expect.stringContaining('"to be removed"@en')]);
      const defaultMessage = await request(url)
        .post(`/api/changesets/${later}/revert`)
        .set(alice.headers);
      expect(defaultMessage.status).toBe(201);
      expect(defaultMessage.body.message).toBe(`Revert changeset ${later}`);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('history and provenance', () => {
    let id: number;
    let subject: string;
    let triple: string;
    let removedTriple: string;
    const source = 'https://example.org/source/history';

    beforeAll(async () => {
      subject = freshIri();
      removedTriple = labelTriple(subject, 'first wording');
      await adminApply(url, { add: removedTriple });
      triple = labelTriple(subject, 'second wording');
      id = await submitPending(url, alice.headers, {
        message: 'Reword',
        source,
        add: triple,
        remove: removedTriple,
      });
      await acceptChangeset(url, mod.headers, id, 'checked against the source');
    });

    it('SPARQL tells who asserted a triple, when, reviewed by whom, from which source', async () => {
      const rows = await select(
        url,
        `SELECT ?changeset ?author ?reviewer ?started ?ended ?source ?message WHERE {
          GRAPH <${GRAPH.history}> {
            ?changeset ck:addedStatement ?st .
            ?st rdf:subject <${subject}> ; rdf:predicate rdfs:label ; rdf:object "second wording"@en ;
                ck:inGraph <${GRAPH.data}> .
            ?changeset a ck:Changeset , prov:Activity ;
              ck:author [ foaf:accountName ?author ] ;
              ck:reviewer [ foaf:accountName ?reviewer ] ;
              prov:startedAtTime ?started ; prov:endedAtTime ?ended ;
              dcterms:source ?source ; dcterms:description ?message ;
              ck:touches <${subject}> .
          } }`,
      );
      expect(rows).toHaveLength(1);
      const row = rows[0] as Record<string, { value: string; datatype?: string }>;
      expect(row.changeset?.value).toBe(`${BASE}id/changeset/${id}`);
      expect(row.author?.value).toBe('alice');
      expect(row.reviewer?.value).toBe('mod');
      expect(row.source?.value).toBe(source);
      expect(row.message?.value).toBe('Reword');
      expect(row.ended?.datatype).toBe('http://www.w3.org/2001/XMLSchema#dateTime');
      const changeset = await getChangeset(url, id);
      // The same instants; the graph writes them in canonical form (`…50.2Z` for `…50.200Z`).
      expect(Date.parse(row.ended?.value ?? '')).toBe(Date.parse(String(changeset.reviewedAt)));
      expect(Date.parse(row.started?.value ?? '')).toBe(Date.parse(String(changeset.createdAt)));
      expect(Date.parse(row.ended?.value ?? '')).toBeGreaterThanOrEqual(
        Date.parse(row.started?.value ?? ''),
      );
    });

    it('SPARQL tells which changeset removed a triple, and the user agents are described', async () => {
      const rows = await select(
        url,
        `SELECT ?changeset WHERE { GRAPH <${GRAPH.history}> {
          ?changeset ck:removedStatement [ rdf:subject <${subject}> ; rdf:object "first wording"@en ] } }`,
      );
      expect(rows.map((r) => r.changeset?.value)).toEqual([`${BASE}id/changeset/${id}`]);
      expect(
        await ask(
          url,
          `ASK { GRAPH <${GRAPH.history}> {
            <${BASE}id/user/mod> a prov:Agent ; foaf:accountName "mod" .
            <${BASE}id/changeset/${id}> prov:wasAssociatedWith <${BASE}id/user/alice> , <${BASE}id/user/mod> } }`,
        ),
      ).toBe(true);
      // The default graph is the union of all graphs: the history reads without GRAPH too.
      const union = await select(
        url,
        `SELECT ?author WHERE {
          ?changeset ck:addedStatement [ rdf:subject <${subject}> ; rdf:object "second wording"@en ] ;
            ck:author [ foaf:accountName ?author ] }`,
      );
      expect(union.map((r) => r.author?.value)).toEqual(['alice']);
    });

    it('an admin write is in the history too, with no reviewer', async () => {
      const direct = labelTriple(freshIri(), 'direct');
      await request(url)
        .post('/update')
        .query({ message: 'direct write' })
        .set(ADMIN)
        .set('Content-Type', 'application/sparql-update')
        .send(`INSERT DATA { GRAPH <${GRAPH.data}> { ${direct} } }`)
        .expect(204);
      const changeset = await newestChangeset(url);
      expect(changeset).toMatchObject({ message: 'direct write', direct: true, author: 'admin' });
      const rows = await select(
        url,
        `SELECT ?author ?reviewer WHERE { GRAPH <${GRAPH.history}> {
          <${BASE}id/changeset/${changeset.id}> ck:author [ foaf:accountName ?author ] ;
            ck:addedStatement [ rdf:object "direct"@en ] .
          OPTIONAL { <${BASE}id/changeset/${changeset.id}> ck:reviewer ?reviewer } } }`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]?.author?.value).toBe('admin');
      expect(rows[0]?.reviewer).toBeUndefined();
    });

    it('GET /api/history lists the applied changesets that touched an entity', async () => {
      const response = await request(url).get('/api/history').query({ entity: subject });
      expect(response.status).toBe(200);
      expect(response.body.entity).toBe(subject);
      const ids = response.body.changesets.map((c: { id: number }) => c.id);
      expect(ids[0]).toBe(id);
      expect(ids).toHaveLength(2);
      expect(response.body.changesets[0]).toMatchObject({
        author: 'alice',
        reviewer: 'mod',
        source,
        status: 'accepted',
        added: 1,
        removed: 1,
      });
      // Pending and rejected changesets are not history.
      await submitPending(url, carol.headers, {
        message: 'pending',
        add: labelTriple(subject, 'pending', 'de'),
      });
      const again = await request(url).get('/api/history').query({ entity: subject });
      expect(again.body.changesets).toHaveLength(2);
      const none = await request(url).get('/api/history').query({ entity: freshIri() });
      expect(none.body.changesets).toEqual([]);
      expect((await request(url).get('/api/history')).status).toBe(400);
      expect((await request(url).get('/api/history').query({ entity: 'nope' })).status).toBe(400);
    });

    it('GET /api/changes lists reviews and applications, newest first, without pending ones', async () => {
      const pending = await submitPending(url, carol.headers, {
        message: 'not yet',
        add: labelTriple(freshIri(), 'not yet'),
      });
      const response = await request(url).get('/api/changes').query({ limit: 500 });
      expect(response.status).toBe(200);
      const changes = response.body.changes as { id: number; status: string }[];
      expect(changes.map((c) => c.id)).toContain(id);
      expect(changes.map((c) => c.id)).not.toContain(pending);
      expect(changes.every((c) => c.status !== 'pending')).toBe(true);
      const limited = await request(url).get('/api/changes').query({ limit: 2 });
      expect(limited.body.changes).toHaveLength(2);
      expect((await request(url).get('/api/changes').query({ limit: 0 })).status).toBe(400);
      expect((await request(url).get('/api/changes').query({ limit: 'x' })).status).toBe(400);
    });

    it('GET /api/changes.atom is a well-formed Atom feed', async () => {
      const tricky = `Tricky <b>&amp;</b> "quotes" 'and' \u00e9\u20ac ${freshText()}`;
      const trickyId = await submitPending(url, carol.headers, {
        message: tricky,
        add: labelTriple(freshIri(), 'tricky'),
      });
      await request(url)
        .post(`/api/changesets/${trickyId}/reject`)
        .set(mod.headers)
        .send({ reason: 'a <reason> & more' })
        .expect(200);

      const response = await request(url).get('/api/changes.atom');
      expect(response.status).toBe(200);
      expect(response.type).toBe('application/atom+xml');
      const document = wellFormedXml(response.text);
      const ATOM = 'http://www.w3.org/2005/Atom';
      const feed = document.documentElement as Element;
      expect(feed.localName).toBe('feed');
      expect(feed.namespaceURI).toBe(ATOM);
      const child = (element: Element, name: string): Element[] => {
        const found: Element[] = [];
        for (let i = 0; i < element.childNodes.length; i++) {
          const node = element.childNodes.item(i);
          if (node?.nodeType === 1 && (node as Element).localName === name) {
            found.push(node as Element);
          }
        }
        return found;
      };
      const text = (element: Element, name: string) => child(element, name)[0]?.textContent;
      expect(text(feed, 'id')).toBeTruthy();
      expect(text(feed, 'title')).toBeTruthy();
      expect(Number.isNaN(Date.parse(text(feed, 'updated') ?? ''))).toBe(false);
      const entries = child(feed, 'entry');
      expect(entries.length).toBeGreaterThan(1);
      for (const entry of entries) {
        expect(text(entry, 'id')).toMatch(/^https:\/\/w3id\.org\/communs-kg\/id\/changeset\/\d+$/);
        expect(text(entry, 'title')).toBeTruthy();
        expect(Number.isNaN(Date.parse(text(entry, 'updated') ?? ''))).toBe(false);
        expect(child(child(entry, 'author')[0] as Element, 'name')).toHaveLength(1);
        expect(child(entry, 'link')[0]?.getAttribute('href')).toMatch(
          /^http:\/\/.*\/api\/changesets\/\d+$/,
        );
      }
      const first = entries[0] as Element;
      expect(text(first, 'title')).toContain(tricky);
      expect(text(first, 'title')).toContain('rejected');
      expect(text(first, 'summary')).toContain('a <reason> & more');
      expect(text(first, 'id')).toBe(`${BASE}id/changeset/${trickyId}`);
    });

    it('the Atom feed stays well-formed when a message holds characters XML cannot carry', async () => {
      const message = `tab\tvertical\u000btab, bell\u0007, escape\u001b, nul\u0000 ${freshText()}`;
      const id = await submitPending(url, carol.headers, {
        message,
        add: labelTriple(freshIri(), 'control'),
      });
      await request(url)
        .post(`/api/changesets/${id}/reject`)
        .set(mod.headers)
        .send({ reason: 'form\u000cfeed' })
        .expect(200);
      const response = await request(url).get('/api/changes.atom');
      expect(response.status).toBe(200);
      const document = wellFormedXml(response.text);
      const title = document.getElementsByTagName('title').item(1)?.textContent ?? '';
      expect(title).toContain(`Changeset ${id} rejected: tab\tvertical`);
      // The JSON keeps the message as written.
      expect((await getChangeset(url, id)).message).toBe(message);
    });

    it('GET /api/openapi.json is an OpenAPI 3.1 document listing the paths', async () => {
      const response = await request(url).get('/api/openapi.json');
      expect(response.status).toBe(200);
      expect(response.type).toBe('application/json');
      expect(response.body.openapi).toMatch(/^3\.1\./);
      expect(response.body.info).toMatchObject({ title: expect.any(String) });
      const paths = Object.keys(response.body.paths);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/api/changesets',
          '/api/changesets/{id}',
          '/api/changesets/{id}/accept',
          '/api/changesets/{id}/reject',
          '/api/changesets/{id}/revert',
          '/api/history',
          '/api/changes',
          '/api/changes.atom',
          '/api/gardening/due',
          '/api/gardening/reviewed',
          '/api/users',
          '/api/users/{name}/tokens',
          '/api/tokens/{id}',
        ]),
      );
      for (const [path, operations] of Object.entries(
        response.body.paths as Record<string, Record<string, { responses?: object }>>,
      )) {
        for (const [method, operation] of Object.entries(operations)) {
          expect(['get', 'post', 'put', 'delete']).toContain(method);
          expect(Object.keys(operation.responses ?? {}).length).toBeGreaterThan(0);
          // Every path parameter is declared.
          for (const name of path.match(/\{(\w+)\}/g) ?? []) {
            const declared = (
              (operation as { parameters?: { name: string; in: string }[] }).parameters ?? []
            ).some((p) => p.in === 'path' && `{${p.name}}` === name);
            expect(`${method} ${path} ${name}: ${declared}`).toBe(
              `${method} ${path} ${name}: true`,
            );
          }
        }
      }
      expect(response.body.components.securitySchemes.bearer).toMatchObject({
        type: 'http',
        scheme: 'bearer',
      });
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('gardening', () => {
    const due = async () => {
      const response = await request(url).get('/api/gardening/due');
      expect(response.status).toBe(200);
      return response.body as {
        total: number;
        months: number;
        entities: { entity: string; lastReviewed?: string }[];
      };
    };
    const dueIris = async () => (await due()).entities.map((e) => e.entity);

    it('lists the entities not reviewed within the period', async () => {
      const list = await due();
      expect(list.months).toBe(12);
      expect(list.total).toBe(list.entities.length);
      expect(list.entities.map((e) => e.entity)).toEqual(
        expect.arrayContaining([`${BASE}id/person/stephanie-schaer`, SEED_SOURCE]),
      );
      expect((await request(url).get('/api/gardening/due').query({ months: -1 })).status).toBe(400);
      expect((await request(url).get('/api/gardening/due').query({ months: 'x' })).status).toBe(
        400,
      );
    });

    it('a moderator marks an entity reviewed, which takes it off the list', async () => {
      const entity = `${BASE}id/person/stephanie-schaer`;
      expect(await dueIris()).toContain(entity);
      const marked = await request(url)
        .post('/api/gardening/reviewed')
        .set(mod.headers)
        .send({ entity });
      expect(marked.status).toBe(200);
      expect(marked.body).toMatchObject({ entity, reviewer: 'mod' });
      expect(await dueIris()).not.toContain(entity);
      expect(
        await ask(
          url,
          `ASK { GRAPH <${GRAPH.gardening}> {
            <${entity}> ck:lastReviewed "${marked.body.lastReviewed}"^^xsd:dateTime ;
              ck:lastReviewedBy <${BASE}id/user/mod> } }`,
        ),
      ).toBe(true);
    });

    it('contributors get 403, readers 401; unknown or missing entities are refused', async () => {
      const entity = SEED_SOURCE;
      const forbidden = await request(url)
        .post('/api/gardening/reviewed')
        .set(alice.headers)
        .send({ entity });
      expect(forbidden.status).toBe(403);
      expect((await request(url).post('/api/gardening/reviewed').send({ entity })).status).toBe(
        401,
      );
      expect(await dueIris()).toContain(entity);
      expect(
        (
          await request(url)
            .post('/api/gardening/reviewed')
            .set(mod.headers)
            .send({ entity: freshIri() })
        ).status,
      ).toBe(404);
      expect(
        (await request(url).post('/api/gardening/reviewed').set(mod.headers).send({})).status,
      ).toBe(400);
    });

    it('accepting a changeset counts as a review of the entities it touches', async () => {
      const subject = freshIri();
      await adminApply(url, { add: labelTriple(subject, 'unreviewed') });
      expect(await dueIris()).toContain(subject);
      const id = await submitPending(url, alice.headers, {
        message: 'more',
        add: labelTriple(subject, 'reviewed', 'fr'),
      });
      await acceptChangeset(url, mod.headers, id);
      expect(await dueIris()).not.toContain(subject);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('bad input changes nothing', () => {
    let counts: Record<string, number>;
    let total: number;
    beforeAll(async () => {
      // Every server-maintained graph holds something, so that clearing it would change it.
      await request(url)
        .post('/api/gardening/reviewed')
        .set(mod.headers)
        .send({ entity: HENRI })
        .expect(200);
    });
    beforeEach(async () => {
      counts = await graphCounts(url);
      total = await changesetTotal(url);
    });
    afterEach(async () => {
      expect(await graphCounts(url)).toEqual(counts);
      expect(await changesetTotal(url)).toBe(total);
    });

    it('malformed Turtle in add or remove: 400 with the line and column', async () => {
      const add = `${labelTriple(freshIri(), 'fine')}\n<https://example.org/a> <https://example.org/b> "open .\n`;
      for (const field of ['add', 'remove']) {
        const response = await request(url)
          .post('/api/changesets')
          .set(alice.headers)
          .send({ message: 'broken', [field]: add });
        expect(response.status).toBe(400);
        expect(response.type).toBe('application/json');
        expect(response.body.line).toBe(2);
        expect(response.body.column).toEqual(expect.any(Number));
        expect(response.body.error).toMatch(new RegExp(`${field}:2:\\d+`));
      }
      const column = await request(url)
        .post('/api/changesets')
        .set(alice.headers)
        .send({ message: 'broken', add: '<https://example.org/a> <https://example.org/b> ;' });
      expect(column.status).toBe(400);
      expect(column.body).toMatchObject({ line: 1, column: expect.any(Number) });
      expect(column.body.column).toBeGreaterThan(1);
    });

    it('malformed JSON-LD and an unknown format are refused', async () => {
      const jsonld = await request(url)
        .post('/api/changesets')
        .set(alice.headers)
        .send({ message: 'broken', format: 'application/ld+json', add: '{"@id": ' });
      expect(jsonld.status).toBe(400);
      const unknown = await request(url)
        .post('/api/changesets')
        .set(alice.headers)
        .send({ message: 'x', format: 'text/x-nope', add: labelTriple(freshIri(), 'x') });
      expect(unknown.status).toBe(415);
      const body = await request(url)
        .post('/api/changesets')
        .set(alice.headers)
        .set('Content-Type', 'application/json')
        .send('{"message": ');
      expect(body.status).toBe(400);
    });

    it('a body over the limit: 413 on every write path', async () => {
      const big = `# ${'x'.repeat(BODY_LIMIT)}\n${labelTriple(freshIri(), 'big')}`;
      const api = await request(url)
        .post('/api/changesets')
        .set(alice.headers)
        .send({ message: 'big', add: big });
      expect(api.status).toBe(413);
      for (const who of [alice.headers, ADMIN]) {
        const update = await request(url)
          .post('/update')
          .set(who)
          .set('Content-Type', 'application/sparql-update')
          .send(`${big}\nINSERT DATA { GRAPH <${GRAPH.data}> { } }`);
        expect(update.status).toBe(413);
        const put = await request(url)
          .put('/graph-store')
          .query({ graph: 'https://example.org/collab/big' })
          .set(who)
          .set('Content-Type', 'text/turtle')
          .send(big);
        expect(put.status).toBe(413);
      }
    });

    it('a malformed SPARQL update: 400 on /update and in a submission', async () => {
      for (const who of [alice.headers, ADMIN]) {
        const response = await request(url)
          .post('/update')
          .set(who)
          .set('Content-Type', 'application/sparql-update')
          .send(`INSERT DATA { GRAPH <${GRAPH.data}> {\n <https://example.org/a> <https://b> } }`);
        expect(response.status).toBe(400);
        expect(response.text).toMatch(/^Malformed update \(line 2, column \d+\)/);
      }
      const submitted = await request(url)
        .post('/api/changesets')
        .set(alice.headers)
        .send({ message: 'broken', update: 'INSERT DATA {\n  <https://a> <https://b> \n}' });
      expect(submitted.status).toBe(400);
      expect(submitted.body).toMatchObject({ line: 3, column: expect.any(Number) });
      expect(submitted.body.error).toMatch(/Malformed update/);
    });

    it('a failing operation in an update undoes the earlier ones', async () => {
      for (const who of [alice.headers, ADMIN]) {
        const response = await request(url)
          .post('/update')
          .set(who)
          .set('Content-Type', 'application/sparql-update')
          .send(
            `INSERT DATA { GRAPH <${GRAPH.data}> { ${labelTriple(freshIri(), 'kept?')} } } ;
             ADD <https://example.org/no-such-graph> TO <https://example.org/other>`,
          );
        expect(response.status).toBe(400);
        expect(response.text).toMatch(/nothing was changed/);
      }
    });

    it('LOAD is refused (403) and a query is not an update (400), in a submission too', async () => {
      const update = await request(url)
        .post('/update')
        .set(alice.headers)
        .set('Content-Type', 'application/sparql-update')
        .send('LOAD <http://127.0.0.1:9/data.ttl>');
      expect(update.status).toBe(403);
      const submitted = await request(url)
        .post('/api/changesets')
        .set(alice.headers)
        .send({ message: 'load', update: 'LOAD <http://127.0.0.1:9/data.ttl>' });
      expect(submitted.status).toBe(403);
      expect(submitted.body.error).toMatch(/LOAD/);
      const query = await request(url)
        .post('/api/changesets')
        .set(alice.headers)
        .send({ message: 'a query', update: 'SELECT * WHERE { ?s ?p ?o }' });
      expect(query.status).toBe(400);
      expect(query.body.error).toMatch(/not an update/);
    });

    describe.each([
      ['history', GRAPH.history],
      ['gardening', GRAPH.gardening],
      ['wikidata-view', GRAPH.wikidataView],
    ])('a write to the server-maintained %s graph is 403', (_name, graph) => {
      const triple = `<https://example.org/forged> <https://example.org/p> "forged"`;
      it.each([
        ['the admin', ADMIN],
        ['a contributor', undefined],
      ])('by %s, over SPARQL Update', async (_who, headers) => {
        const response = await request(url)
          .post('/update')
          .set(headers ?? alice.headers)
          .set('Content-Type', 'application/sparql-update')
          .send(
            `INSERT DATA { GRAPH <${GRAPH.data}> { ${labelTriple(freshIri(), 'alongside')} }
               GRAPH <${graph}> { ${triple} } }`,
          );
        expect(response.status).toBe(403);
        expect(response.text).toContain(graph);
        const clear = await request(url)
          .post('/update')
          .set(headers ?? alice.headers)
          .set('Content-Type', 'application/sparql-update')
          .send(`CLEAR GRAPH <${graph}>`);
        expect(clear.status).toBe(403);
      });

      it('over the Graph Store Protocol and the API', async () => {
        for (const headers of [ADMIN, alice.headers]) {
          for (const method of ['put', 'post'] as const) {
            const response = await request(url)
              [method]('/graph-store')
              .query({ graph })
              .set(headers)
              .set('Content-Type', 'application/n-triples')
              .send(`${triple} .\n`);
            expect(response.status).toBe(403);
          }
          const drop = await request(url).delete('/graph-store').query({ graph }).set(headers);
          expect(drop.status).toBe(403);
          const submitted = await request(url)
            .post('/api/changesets')
            .set(headers)
            .send({
              message: 'forge',
              format: 'application/trig',
              add: `<${graph}> { ${triple} }`,
            });
          expect(submitted.status).toBe(403);
          expect(submitted.body.error).toMatch(/maintained by the server/);
        }
      });
    });
  });
});

// -----------------------------------------------------------------------------------------------
describe('durability: a restarted server keeps changes, pending changesets and tokens', () => {
  it('survives a restart on the same data directory', async () => {
    const dir = tempDataDir();
    try {
      let server = await startTestServer({ 'data-dir': dir });
      let url = server.url;
      const contributor = await addUser(url, 'paula', 'contributor');
      const moderator = await addUser(url, 'mona', 'moderator');
      const extra = await request(url).post('/api/users/paula/tokens').set(contributor.headers);
      const revoked = await request(url).post('/api/users/paula/tokens').set(contributor.headers);
      await request(url)
        .delete(`/api/tokens/${revoked.body.id}`)
        .set(contributor.headers)
        .expect(200);
      const acceptedTriple = labelTriple(freshIri(), 'accepted before the restart');
      const pendingTriple = labelTriple(freshIri(), 'pending across the restart');
      const accepted = await submitPending(url, contributor.headers, {
        message: 'accepted',
        add: acceptedTriple,
      });
      await acceptChangeset(url, moderator.headers, accepted);
      const pending = await submitPending(url, contributor.headers, {
        message: 'pending',
        source: 'https://example.org/pending',
        add: pendingTriple,
      });
      const pendingBefore = await getChangeset(url, pending);
      const reviewed = await request(url)
        .post('/api/gardening/reviewed')
        .set(moderator.headers)
        .send({ entity: HENRI });
      expect(reviewed.status).toBe(200);
      const counts = await graphCounts(url);
      await server.close();

      server = await startTestServer({ 'data-dir': dir });
      url = server.url;
      try {
        expect(await graphCounts(url)).toEqual(counts);
        expect(await hasTriple(url, acceptedTriple)).toBe(true);
        expect(await hasTriple(url, pendingTriple)).toBe(false);
        expect(await getChangeset(url, accepted)).toMatchObject({
          status: 'accepted',
          reviewer: 'mona',
        });
        expect(await getChangeset(url, pending)).toEqual(pendingBefore);
        const due = await request(url).get('/api/gardening/due');
        expect(due.body.entities.map((e: { entity: string }) => e.entity)).not.toContain(HENRI);
        // Tokens still work (and the revoked one still does not).
        expect((await request(url).get('/api/me').set(contributor.headers)).body.name).toBe(
          'paula',
        );
        expect((await request(url).get('/api/me').set(bearer(extra.body.token))).status).toBe(200);
        expect((await request(url).get('/api/me').set(bearer(revoked.body.token))).status).toBe(
          401,
        );
        expect((await request(url).get('/api/me').set(bearer(ADMIN_TOKEN))).body.role).toBe(
          'admin',
        );
        // History written before the restart is there.
        expect(
          await ask(
            url,
            `ASK { GRAPH <${GRAPH.history}> {
              <${BASE}id/changeset/${accepted}> ck:reviewer [ foaf:accountName "mona" ] } }`,
          ),
        ).toBe(true);
        // The pending changeset can be accepted now.
        await acceptChangeset(url, moderator.headers, pending);
        expect(await hasTriple(url, pendingTriple)).toBe(true);
        // New ids follow the old ones.
        const next = await submitPending(url, contributor.headers, {
          message: 'after',
          add: labelTriple(freshIri(), 'after'),
        });
        expect(next).toBe(pending + 1);
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// -----------------------------------------------------------------------------------------------
describe('durability across processes: blank nodes made after a restart are new nodes', () => {
  it('a contribution with blank nodes after a restart does not merge with stored ones', async () => {
    const dir = tempDataDir();
    try {
      let server = await startProcessServer(dir);
      const before = await graphCounts(server.url);
      await server.close();

      server = await startProcessServer(dir);
      try {
        const url = server.url;
        const subject = freshIri();
        // A blank node from the parser, and one made by a SPARQL Update template.
        await adminApply(url, {
          add: `<${subject}> <https://example.org/p> [ <https://example.org/q> "from Turtle" ] .`,
        });
        await request(url)
          .post('/update')
          .set(ADMIN)
          .set('Content-Type', 'application/sparql-update')
          .send(
            `INSERT DATA { GRAPH <${GRAPH.data}> {
              <${subject}> <https://example.org/p> [ <https://example.org/q> "from an update" ] } }`,
          )
          .expect(204);
        const rows = await select(
          url,
          `SELECT ?node ?p ?o ?g WHERE {
            GRAPH <${GRAPH.data}> { <${subject}> <https://example.org/p> ?node }
            GRAPH ?g { ?node ?p ?o } }`,
        );
        // Each new node has its one triple, in the data graph; no old node was reused.
        expect(rows).toHaveLength(2);
        expect(rows.map((r) => r.g?.value)).toEqual([GRAPH.data, GRAPH.data]);
        expect(rows.map((r) => r.o?.value).sort()).toEqual(['from Turtle', 'from an update']);
        const after = await graphCounts(url);
        expect(after[GRAPH.ontology]).toBe(before[GRAPH.ontology]);
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
