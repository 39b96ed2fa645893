import { createHash, randomBytes } from 'node:crypto';

/**
 * HTTP Digest access authentication, client side (RFC 7616, compatible with RFC 2617): Node's
 * fetch (undici) only does Basic, and Virtuoso's authenticated endpoints (`/sparql-auth`,
 * `/sparql-graph-crud-auth`) only accept Digest. Supports MD5, SHA-256 and their `-sess`
 * variants, `qop=auth` (and the legacy RFC 2069 form without qop); not `auth-int`, which would
 * hash the body and which no SPARQL store we know of requires.
 */

export interface DigestCredentials {
  readonly user: string;
  readonly password: string;
}

/** The parameters of a `WWW-Authenticate: Digest …` challenge that the answer depends on. */
export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string;
  readonly algorithm: string;
  /** `auth` when the server offers it; undefined for an RFC 2069 challenge without qop. */
  readonly qop?: 'auth';
  readonly stale: boolean;
}

const HASHES: Readonly<Record<string, string>> = { MD5: 'md5', 'SHA-256': 'sha256' };

/**
 * Reads the Digest challenge out of a WWW-Authenticate header; undefined when there is none or
 * when it asks for what this client cannot do (an unknown algorithm, only `auth-int`).
 */
export function parseDigestChallenge(header: string | null): DigestChallenge | undefined {
  if (!header) return undefined;
  const start = header.search(/(^|,\s*)Digest\s/i);
  if (start < 0) return undefined;
  const params = parseAuthParams(header.slice(header.indexOf('Digest', start) + 'Digest'.length));
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm === undefined || nonce === undefined) return undefined;
  const algorithm = params.get('algorithm') ?? 'MD5';
  if (!(algorithm.replace(/-sess$/i, '').toUpperCase() in HASHES)) return undefined;
  const qopOffer = params.get('qop');
  const qops = qopOffer?.split(',').map((q) => q.trim().toLowerCase());
  if (qops && !qops.includes('auth')) return undefined;
  return {
    realm,
    nonce,
    opaque: params.get('opaque'),
    algorithm,
    qop: qops ? 'auth' : undefined,
    stale: params.get('stale')?.toLowerCase() === 'true',
  };
}

/**
 * `name=value` and `name="quoted value"` pairs, comma-separated. Stops at the next scheme, so a
 * header offering `Digest …, Basic realm=…` does not mix the two.
 */
function parseAuthParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /\s*,?\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/y;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text))) {
    const [, name = '', quoted, token] = match;
    params.set(
      name.toLowerCase(),
      quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (token ?? ''),
    );
  }
  return params;
}

/**
 * One client's digest state for one server: the last challenge and the nonce count, so that
 * requests after the first are authorised at once instead of each being sent twice.
 */
export class DigestSession {
  private challenge: DigestChallenge | undefined;
  private nonceCount = 0;

  constructor(private readonly credentials: DigestCredentials) {}

  /** Remembers a new challenge (after a 401); later authorisations answer it. */
  accept(challenge: DigestChallenge): void {
    this.challenge = challenge;
    this.nonceCount = 0;
  }

  get hasChallenge(): boolean {
    return this.challenge !== undefined;
  }

  /**
   * The Authorization header for a request, or undefined before any challenge. `uri` is the
   * request target as sent (path and query), which the server compares with its own.
   */
  authorization(method: string, uri: string): string | undefined {
    const challenge = this.challenge;
    if (!challenge) return undefined;
    this.nonceCount += 1;
    return digestAuthorization(this.credentials, challenge, {
      method,
      uri,
      nonceCount: this.nonceCount,
      cnonce: randomBytes(16).toString('hex'),
    });
  }
}

export interface DigestRequest {
  readonly method: string;
  readonly uri: string;
  readonly nonceCount: number;
  readonly cnonce: string;
}

/** The Authorization header value answering `challenge` (exported for the RFC test vectors). */
export function digestAuthorization(
  credentials: DigestCredentials,
  challenge: DigestChallenge,
  request: DigestRequest,
): string {
  const session = /-sess$/i.test(challenge.algorithm);
  const hashName = HASHES[challenge.algorithm.replace(/-sess$/i, '').toUpperCase()] ?? 'md5';
  const hash = (text: string) => createHash(hashName).update(text, 'utf8').digest('hex');
  const nc = request.nonceCount.toString(16).padStart(8, '0');
  let ha1 = hash(`${credentials.user}:${challenge.realm}:${credentials.password}`);
  if (session) ha1 = hash(`${ha1}:${challenge.nonce}:${request.cnonce}`);
  const ha2 = hash(`${request.method}:${request.uri}`);
  const response = challenge.qop
    ? hash(`${ha1}:${challenge.nonce}:${nc}:${request.cnonce}:auth:${ha2}`)
    : hash(`${ha1}:${challenge.nonce}:${ha2}`);
  const fields = [
    `username=${quote(credentials.user)}`,
    `realm=${quote(challenge.realm)}`,
    `nonce=${quote(challenge.nonce)}`,
    `uri=${quote(request.uri)}`,
    `algorithm=${challenge.algorithm}`,
    `response=${quote(response)}`,
  ];
  if (challenge.opaque !== undefined) fields.push(`opaque=${quote(challenge.opaque)}`);
  if (challenge.qop) fields.push('qop=auth', `nc=${nc}`, `cnonce=${quote(request.cnonce)}`);
  return `Digest ${fields.join(', ')}`;
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}
