import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Writes need the admin token: 401 without credentials, 403 with wrong ones, and 403 for
 * everyone when no admin token is configured (writes are then off).
 */
export function requireAdminToken(adminToken: string | undefined) {
  const expected = adminToken ? digest(adminToken) : undefined;
  return (request: Request, response: Response, next: NextFunction) => {
    if (!expected) {
      response
        .status(403)
        .type('text/plain')
        .send('Writes are disabled on this server: no admin token is configured.\n');
      return;
    }
    const header = request.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      response
        .status(401)
        .set('WWW-Authenticate', 'Bearer realm="communs-kg"')
        .type('text/plain')
        .send('Authentication required: send "Authorization: Bearer <token>".\n');
      return;
    }
    if (!timingSafeEqual(digest(match[1]), expected)) {
      response.status(403).type('text/plain').send('This token may not write here.\n');
      return;
    }
    next();
  };
}
