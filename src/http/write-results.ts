import type { Request, Response } from 'express';
import { ChangesetError, type Changeset } from '../graph/changesets.js';
import { Writer, type Quad } from 'n3';
import { sendError } from './errors.js';

/** The message a write over the SPARQL or Graph Store protocol carries (`?message=`), if any. */
export function writeMessage(request: Request, fallback: string): string {
  const given =
    request.query.message ?? (request.body as Record<string, unknown> | undefined)?.message;
  return typeof given === 'string' && given.trim() ? given.trim() : fallback;
}

/**
 * A write that became a pending changeset rather than a change: 202 Accepted, the changeset's
 * URL in Location, and a short JSON body saying what happens next.
 */
export function sendPending(response: Response, changeset: Changeset): void {
  const location = `/api/changesets/${changeset.id}`;
  response.status(202).location(location).json({
    changeset: changeset.id,
    status: changeset.status,
    location,
    message: 'Submitted for review: a moderator will accept or reject it.',
  });
}

/** Answers a refused changeset with its status, and the violations or missing statements. */
export function sendChangesetError(request: Request, response: Response, error: unknown): boolean {
  if (!(error instanceof ChangesetError)) return false;
  const details: Record<string, unknown> = {};
  if (error.violations) details.violations = error.violations;
  if (error.missing) details.missing = error.missing.map((q) => quadLabel(q));
  if (request.baseUrl.startsWith('/api')) {
    sendError(request, response, error.status, error.message, details);
    return true;
  }
  const lines = [
    ...(error.violations ?? []).map(
      (v) => `- ${v.focusNode}${v.path ? ` ${v.path}` : ''}: ${v.message}`,
    ),
    ...(error.missing ?? []).map((q) => `- not in the graph: ${quadLabel(q)}`),
  ];
  sendError(request, response, error.status, [error.message, ...lines].join('\n'));
  return true;
}

/** A quad as its N-Quads line, without the final dot. */
const quadLabel = (q: Quad) =>
  new Writer({ format: 'N-Quads' })
    .quadToString(q.subject, q.predicate, q.object, q.graph)
    .trim()
    .replace(/ \.$/, '');
