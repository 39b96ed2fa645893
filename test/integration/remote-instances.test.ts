import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { RunningServer } from '../../src/http/server.js';
import { ADMIN_TOKEN, tempDataDir } from '../helpers/server.js';
import { startOnTestStore } from './virtuoso-env.js';

// Two server processes' worth of servers on one Virtuoso and one data directory: what one
// writes, the other sees (accounts, changesets, the graph), and their writers take turns (the
// writer lease of graph/remote-keeping.ts), so that no read-modify-write is lost between them.
// Both run in this process, each with its own database connection, as two processes would.

const base = `http://communs-kg.test/${randomUUID()}/`;
const scratch = `${base}graph/scratch`;
const counter = `${base}id/thing/counter`;
const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

const start = (dataDir: string) => startOnTestStore(dataDir, base);

const update = (url: string, text: string) =>
  request(url).post('/update').set(admin).type('application/sparql-update').send(text);

async function counterValue(url: string): Promise<string[]> {
  const response = await request(url)
    .get('/sparql')
    .query({ query: `SELECT ?n WHERE { GRAPH <${scratch}> { <${counter}> <urn:n> ?n } }` })
    .set('Accept', 'application/sparql-results+json');
  expect(response.status).toBe(200);
  return JSON.parse(response.text).results.bindings.map(
    (row: { n: { value: string } }) => row.n.value,
  );
}

describe('two servers on one store and one data directory', () => {
  const dataDir = tempDataDir();
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    a = await start(dataDir);
    b = await start(dataDir);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('share accounts and changesets; a changeset is accepted once, whichever accepts', async () => {
    const made = async (name: string, role: string) => {
      const response = await request(a.url).post('/api/users').set(admin).send({ name, role });
      expect(response.status).toBe(201);
      return { Authorization: `Bearer ${response.body.token as string}` };
    };
    const alice = await made('alice', 'contributor');
    const mod = await made('mod', 'moderator');
    expect((await request(b.url).get('/api/me').set(alice)).status).toBe(200);

    const submitted = await request(a.url)
      .post('/api/changesets')
      .set(alice)
      .send({
        message: 'shared',
        add: `<${base}id/thing/shared> <http://www.w3.org/2000/01/rdf-schema#label> "shared"@en .`,
      });
    expect(submitted.status).toBe(201);
    const id = submitted.body.id as number;
    expect((await request(b.url).get(`/api/changesets/${id}`)).body.status).toBe('pending');

    const accepts = await Promise.all(
      [a, b].map((server) =>
        request(server.url).post(`/api/changesets/${id}/accept`).set(mod).send({}),
      ),
    );
    expect(accepts.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('their writers take turns: twenty increments sent to both at once make twenty', async () => {
    expect(
      (await update(a.url, `INSERT DATA { GRAPH <${scratch}> { <${counter}> <urn:n> 0 } }`)).status,
    ).toBe(204);
    const increment = `DELETE { GRAPH <${scratch}> { <${counter}> <urn:n> ?n } }
      INSERT { GRAPH <${scratch}> { <${counter}> <urn:n> ?m } }
      WHERE { GRAPH <${scratch}> { <${counter}> <urn:n> ?n } BIND(?n + 1 AS ?m) }`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => update(i % 2 === 0 ? a.url : b.url, increment)),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(204));
    expect(await counterValue(a.url)).toEqual(['20']);
    expect(await counterValue(b.url)).toEqual(['20']);
  });
});
