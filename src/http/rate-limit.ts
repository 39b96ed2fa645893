import express, { type Request, type Response, type Router } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import type { Settings } from '../config/settings.js';
import { hasRole } from '../graph/accounts.js';
import { currentUser } from './auth.js';
import { sendError } from './errors.js';

/** The paths whose non-reading requests are writes (the web interface posts to /api). */
export const WRITE_PATHS = ['/update', '/graph-store', '/api'];
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const WINDOW_MS = 60_000;

/**
 * Who is counted: the account a valid token authenticated (every token of an account shares its
 * budget; the token itself is never used as a key nor logged), else the IP address, an IPv6
 * address by its /56 prefix (`ipKeyGenerator`), so that a host cannot step through its own
 * addresses. `request.ip` honours X-Forwarded-For from a loopback proxy only ('trust proxy').
 */
export function clientKey(request: Request, response: Response): string {
  const user = currentUser(response);
  if (user) return `account:${user.id}`;
  return `ip:${ipKeyGenerator(request.ip ?? request.socket.remoteAddress ?? 'unknown')}`;
}

/** Admins are not limited: their writes are applied at once and they may drop the graph anyway. */
const isAdmin = (response: Response) => {
  const user = currentUser(response);
  return user !== undefined && hasRole(user, 'admin');
};

function limiter(
  name: string,
  perMinute: number,
  what: string,
  skip: (request: Request, response: Response) => boolean,
) {
  const options: Partial<Options> = {
    windowMs: WINDOW_MS,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: name,
    keyGenerator: clientKey,
    skip: (request, response) => isAdmin(response) || skip(request, response),
    // Retry-After is set before the handler runs.
    handler: (request, response, _next, used) => {
      const retry = response.getHeader('Retry-After');
      sendError(
        request,
        response,
        used.statusCode,
        `Too many requests: the limit is ${perMinute} ${what} a minute per client. ` +
          `Retry in ${String(retry ?? Math.ceil(WINDOW_MS / 1000))} s.`,
        { retryAfter: Number(retry) },
      );
    },
  };
  return rateLimit(options);
}

/**
 * The abuse limits, mounted after authentication: `/sparql` queries (the query page and the
 * service description, a GET without parameters, are not counted) and writes — every request
 * other than GET/HEAD/OPTIONS on /update, /graph-store and /api — each a fixed window of a
 * minute per client, answered 429 with Retry-After (JSON under /api, text elsewhere, as the
 * endpoint's other errors). A limit of 0 turns it off.
 */
export function rateLimits(
  settings: Pick<Settings, 'rateLimitSparql' | 'rateLimitWrites'>,
): Router {
  const router = express.Router();
  if (settings.rateLimitSparql > 0) {
    router.use(
      '/sparql',
      limiter(
        'sparql',
        settings.rateLimitSparql,
        'SPARQL queries',
        (request) =>
          request.method === 'OPTIONS' ||
          (request.method === 'GET' && Object.keys(request.query).length === 0),
      ),
    );
  }
  if (settings.rateLimitWrites > 0) {
    router.use(
      WRITE_PATHS,
      limiter('writes', settings.rateLimitWrites, 'writes', (request) =>
        READ_METHODS.has(request.method),
      ),
    );
  }
  return router;
}
