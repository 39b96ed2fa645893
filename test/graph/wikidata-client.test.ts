import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  USER_AGENT,
  WikidataClient,
  WikidataUnavailableError,
  type Clock,
} from '../../src/graph/wikidata-client.js';

/** A clock whose time moves only when the client sleeps: pacing is checked exactly, instantly. */
function virtualClock(): Clock & { sleeps: number[] } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** A real HTTP server on loopback standing in for Wikidata's Action API. */
async function standIn(
  handle: (request: IncomingMessage, response: ServerResponse, count: number) => void,
  clock: Pick<Clock, 'now'> = { now: () => Date.now() },
): Promise<{
  url: string;
  requests: { at: number; url: URL; agent?: string }[];
  /** The most requests that were ever open at the same time. */
  mostInFlight(): number;
  close(): Promise<void>;
}> {
  const requests: { at: number; url: URL; agent?: string }[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const server: Server = createServer((request, response) => {
    requests.push({
      at: clock.now(),
      url: new URL(request.url ?? '/', 'http://x'),
      agent: request.headers['user-agent'],
    });
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    response.on('close', () => (inFlight -= 1));
    handle(request, response, requests.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/w/api.php`,
    requests,
    mostInFlight: () => mostInFlight,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const hits = (response: ServerResponse) =>
  response.setHeader('content-type', 'application/json').end(
    JSON.stringify({
      search: [
        { id: 'Q90', label: 'Paris', description: 'capitale de la France' },
        { id: 'not-an-item', label: 'ignored' },
      ],
    }),
  );

describe('the Wikidata client (against a local stand-in, never the internet)', () => {
  it('searches with wbsearchentities and a descriptive User-Agent, keeping only items', async () => {
    const server = await standIn((_request, response) => hits(response));
    try {
      const client = new WikidataClient({ apiUrl: server.url, minIntervalMs: 0 });
      expect(await client.searchItems('Paris')).toEqual([
        { id: 'Q90', label: 'Paris', description: 'capitale de la France' },
      ]);
      const [request] = server.requests;
      expect(request?.agent).toBe(USER_AGENT);
      expect(request?.agent).toMatch(/^communs-kg\/\S+ \(https?:\/\/\S+/);
      expect(Object.fromEntries(request?.url.searchParams ?? [])).toMatchObject({
        action: 'wbsearchentities',
        search: 'Paris',
        language: 'fr',
        type: 'item',
        format: 'json',
      });
    } finally {
      await server.close();
    }
  });

  it('retries 429 and 5xx with back-off, honouring Retry-After, then succeeds', async () => {
    const clock = virtualClock();
    const server = await standIn((_request, response, count) => {
      if (count === 1) response.writeHead(503).end('busy');
      else if (count === 2) response.writeHead(429, { 'retry-after': '3' }).end('slow down');
      else hits(response);
    }, clock);
    try {
      const client = new WikidataClient({
        apiUrl: server.url,
        minIntervalMs: 0,
        backoffMs: 50,
        clock,
      });
      expect((await client.searchItems('Paris'))[0]?.id).toBe('Q90');
      // The first retry waits the back-off, the second the server's Retry-After (3 s).
      expect(clock.sleeps).toEqual([50, 3000]);
      const at = server.requests.map((r) => r.at);
      expect(at).toHaveLength(3);
      expect((at[2] as number) - (at[1] as number)).toBe(3000);
    } finally {
      await server.close();
    }
  });

  it('does not retry a client error, and says what went wrong', async () => {
    const server = await standIn((_request, response) => response.writeHead(400).end('bad'));
    try {
      const client = new WikidataClient({ apiUrl: server.url, minIntervalMs: 0, backoffMs: 10 });
      await expect(client.searchItems('Paris')).rejects.toThrow(/answered HTTP 400/);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('gives up on a silent server after its attempts, each cut at the timeout', async () => {
    const server = await standIn(() => {
      /* never answers */
    });
    try {
      const client = new WikidataClient({
        apiUrl: server.url,
        minIntervalMs: 0,
        timeoutMs: 200,
        attempts: 2,
        backoffMs: 10,
      });
      const started = Date.now();
      const error = await client.searchItems('Paris').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WikidataUnavailableError);
      expect((error as Error).message).toMatch(/did not answer within 200 ms \(after 2 attempts\)/);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(server.requests).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('sends one request at a time, spaced by the interval', async () => {
    const clock = virtualClock();
    const server = await standIn((_request, response) => hits(response), clock);
    try {
      const client = new WikidataClient({ apiUrl: server.url, minIntervalMs: 150, clock });
      await Promise.all(['a', 'b', 'c'].map((name) => client.searchItems(name)));
      expect(server.requests.map((r) => r.url.searchParams.get('search'))).toEqual(['a', 'b', 'c']);
      expect(server.mostInFlight()).toBe(1);
      const at = server.requests.map((r) => r.at);
      expect(at.slice(1).map((time, i) => time - (at[i] as number))).toEqual([150, 150]);
    } finally {
      await server.close();
    }
  });
});
