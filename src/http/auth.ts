import type { NextFunction, Request, Response } from 'express';
import { hasRole, type Accounts, type Role, type User } from '../graph/accounts.js';
import { sendError } from './errors.js';

/** The user a request authenticated as (set by `authenticate`), or undefined for a reader. */
export const currentUser = (response: Response): User | undefined =>
  response.locals.user as User | undefined;

/** The user of a request that passed `requireRole` (a programming error otherwise). */
export function signedIn(response: Response): User {
  const user = currentUser(response);
  if (!user) throw new Error('signedIn() used on a route without requireRole()');
  return user;
}

/**
 * Reads `Authorization: Bearer <token>`. No header: an anonymous reader. A token that is unknown,
 * revoked or malformed: 401 (RFC 6750 invalid_token), so a client never mistakes it for a reader.
 */
export function authenticate(accounts: Accounts) {
  return (request: Request, response: Response, next: NextFunction) => {
    const header = request.get('authorization');
    if (header === undefined) {
      next();
      return;
    }
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const user = token ? accounts.authenticate(token) : undefined;
    if (!user) {
      response.set('WWW-Authenticate', 'Bearer realm="communs-kg", error="invalid_token"');
      sendError(
        request,
        response,
        401,
        'Invalid credentials: the token is unknown, revoked or malformed.',
      );
      return;
    }
    response.locals.user = user;
    next();
  };
}

/** 401 without a token, 403 when the user's role is below `minimum`. */
export function requireRole(minimum: Role) {
  return (request: Request, response: Response, next: NextFunction) => {
    const user = currentUser(response);
    if (!user) {
      response.set('WWW-Authenticate', 'Bearer realm="communs-kg"');
      sendError(
        request,
        response,
        401,
        'Authentication required: send "Authorization: Bearer <token>".',
      );
      return;
    }
    if (!hasRole(user, minimum)) {
      sendError(
        request,
        response,
        403,
        `This needs the ${minimum} role; ${user.name} is ${user.role}.`,
      );
      return;
    }
    next();
  };
}
