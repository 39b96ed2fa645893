import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { RunningServer } from '../../src/http/server.js';
import { Database } from '../../src/store/database.js';
import { ADMIN_TOKEN, tempDataDir } from '../helpers/server.js';
import { startOnTestStore, testStore } from './virtuoso-env.js';

// Writing to Virtuoso through the server when the store fails mid-way. One update request is not
// atomic on Virtuoso, so the server journals each change before sending it and sends it again
// until the store confirms it (graph/remote-keeping.ts). A loopback proxy in front of the real
// store makes the failures: it refuses the update requests, or lets the store apply one and
// loses its answer. The server works under a base IRI of this run, so the store's other graphs
// do not count.

type ProxyMode = 'pass' | 'refuse-updates' | 'lose-update-answers';

let proxy: Server;
let proxyUrl: string;
let mode: ProxyMode = 'pass';

beforeAll(async () => {
  const target = new URL(testStore().url);
  proxy = createServer(async (incoming, outgoing) => {
    const isUpdate = incoming.method === 'POST' && incoming.url?.startsWith('/sparql-auth');
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    if (isUpdate && mode === 'refuse-updates') {
      outgoing.writeHead(502, { 'Content-Type': 'text/plain' }).end('proxy: store unreachable\n');
      return;
    }
    // The body is read whole first and sent at once: the store may answer a Digest challenge
    // and close before reading a body that trickles in.
    const forwarded = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, connection: 'close' },
      },
      (answer) => {
        // The store has applied the update: its answer is lost on the way back.
        if (isUpdate && mode === 'lose-update-answers' && answer.statusCode === 200) {
          answer.resume();
          outgoing.destroy();
          return;
        }
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    forwarded.end(Buffer.concat(chunks));
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => proxy.close(resolve)));

const base = `http://communs-kg.test/${randomUUID()}/`;
const scratch = `${base}graph/scratch`;
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** A server on the store, through the proxy unless `direct`. */
const start = (dataDir: string, direct = false) =>
  startOnTestStore(dataDir, base, direct ? testStore().url : proxyUrl);

const update = (url: string, text: string) =>
  request(url).post('/update').set(auth).type('application/sparql-update').send(text);

/** How many nodes hang from `subject` by `<urn:p>` with the value `label`, through /sparql. */
async function nodesWith(url: string, subject: string, label: string): Promise<number> {
  const response = await request(url)
    .get('/sparql')
    .query({
      query: `SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { GRAPH <${scratch}> { <${subject}> <urn:p> ?b . ?b <urn:q> "${label}" } }`,
    })
    .set('Accept', 'application/sparql-results+json');
  expect(response.status).toBe(200);
  return Number(JSON.parse(response.text).results.bindings[0].n.value);
}

const pendingInJournal = (dataDir: string) => {
  const db = Database.openForReading(dataDir);
  try {
    return db?.journalPending().length ?? 0;
  } finally {
    db?.close();
  }
};

describe('a change the store does not confirm is journaled and applied once, later', () => {
  const dataDir = tempDataDir();
  let server: RunningServer;

  beforeAll(async () => {
    mode = 'pass';
    // Seeded directly: the proxy is for the small update requests the tests break.
    await (await start(dataDir, true)).close();
    server = await start(dataDir);
  });
  afterAll(() => server.close());

  it('a refused update answers 503, shows nowhere, and is applied before the next write', async () => {
    const subject = `${base}id/thing/refused`;
    mode = 'refuse-updates';
    const refused = await update(
      server.url,
      `INSERT DATA { GRAPH <${scratch}> { <${subject}> <urn:p> [ <urn:q> "first" ] } }`,
    );
    expect(refused.status).toBe(503);
    expect(refused.text).toMatch(/recorded and will be applied/);
    expect(pendingInJournal(dataDir)).toBe(1);
    mode = 'pass';
    expect(await nodesWith(server.url, subject, 'first')).toBe(0);

    const next = await update(
      server.url,
      `INSERT DATA { GRAPH <${scratch}> { <${subject}> <urn:p> [ <urn:q> "second" ] } }`,
    );
    expect(next.status).toBe(204);
    expect(pendingInJournal(dataDir)).toBe(0);
    expect(await nodesWith(server.url, subject, 'first')).toBe(1);
    expect(await nodesWith(server.url, subject, 'second')).toBe(1);
  });

  it('an update applied whose answer was lost is sent again at restart, and counted once', async () => {
    const subject = `${base}id/thing/lost-answer`;
    mode = 'lose-update-answers';
    const lost = await update(
      server.url,
      `INSERT DATA { GRAPH <${scratch}> { <${subject}> <urn:p> [ <urn:q> "once" ] } }`,
    );
    expect(lost.status).toBe(503);
    mode = 'pass';
    // The store applied it; the server does not know, and keeps it in the journal.
    expect(pendingInJournal(dataDir)).toBe(1);
    expect(await nodesWith(server.url, subject, 'once')).toBe(1);

    await server.close();
    server = await start(dataDir);
    expect(pendingInJournal(dataDir)).toBe(0);
    // Sent twice, present once: the blank node is a skolem IRI in the store.
    expect(await nodesWith(server.url, subject, 'once')).toBe(1);
  });

  it('the changesets of both are recorded as applied, each once in the history', async () => {
    const list = await request(server.url).get('/api/changesets').query({ status: 'accepted' });
    expect(list.status).toBe(200);
    const ids: number[] = JSON.parse(list.text).changesets.map((c: { id: number }) => c.id);
    expect(ids).toHaveLength(3);
    const history = await request(server.url)
      .get('/sparql')
      .query({
        query: `SELECT ?c (COUNT(*) AS ?n) WHERE { GRAPH <${base}graph/history> { ?c a <http://www.w3.org/ns/prov#Activity> } } GROUP BY ?c`,
      })
      .set('Accept', 'application/sparql-results+json');
    const rows = JSON.parse(history.text).results.bindings as { n: { value: string } }[];
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.n.value === '1')).toBe(true);
  });
});
