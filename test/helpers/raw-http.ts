import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/**
 * A bare HTTP/1.1 client for the hardening tests: the path is sent exactly as given (no
 * normalisation of `..`, no re-encoding), headers as given, and every request has a deadline.
 * supertest and fetch both clean up what they send, which is what a fuzzer must not do.
 */

export interface RawRequest {
  method?: string;
  /** Sent as is on the request line: `/id/../%zz?x=1`. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export type RawOutcome =
  /** A whole response. */
  | { kind: 'response'; status: number; headers: IncomingHttpHeaders; body: string; ms: number }
  /** Node refused to send it (a header or path with characters HTTP does not allow). */
  | { kind: 'unsendable'; reason: string }
  /** The server closed or reset the connection before the response was complete. */
  | { kind: 'cut'; reason: string; status?: number; ms: number }
  /** No complete answer within the deadline. */
  | { kind: 'timeout'; ms: number };

/** Sends one request to `baseUrl` (http://host:port) and waits at most `timeoutMs` for all of it. */
export function rawRequest(
  baseUrl: string,
  spec: RawRequest,
  timeoutMs: number,
): Promise<RawOutcome> {
  const { hostname, port } = new URL(baseUrl);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: RawOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    let status: number | undefined;
    let client: ReturnType<typeof httpRequest>;
    try {
      client = httpRequest({
        host: hostname,
        port: Number(port),
        method: spec.method ?? 'GET',
        path: spec.path,
        headers: {
          Connection: 'close',
          ...(spec.body === undefined ? {} : { 'Content-Length': Buffer.byteLength(spec.body) }),
          ...spec.headers,
        },
        agent: false,
      });
    } catch (error) {
      resolve({ kind: 'unsendable', reason: (error as Error).message });
      return;
    }
    const timer = setTimeout(() => {
      settle({ kind: 'timeout', ms: elapsed() });
      client.destroy();
    }, timeoutMs);
    client.on('error', (error) =>
      settle({ kind: 'cut', reason: error.message, status, ms: elapsed() }),
    );
    client.on('response', (response) => {
      status = response.statusCode;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('aborted', () =>
        settle({ kind: 'cut', reason: 'response aborted', status, ms: elapsed() }),
      );
      response.on('error', (error) =>
        settle({ kind: 'cut', reason: error.message, status, ms: elapsed() }),
      );
      response.on('end', () =>
        settle({
          kind: 'response',
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: elapsed(),
        }),
      );
    });
    try {
      client.end(spec.body);
    } catch (error) {
      settle({ kind: 'unsendable', reason: (error as Error).message });
      client.destroy();
    }
  });
}
