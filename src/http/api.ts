import express, { type Request, type Response, type Router } from 'express';
import { DataFactory, type Quad } from 'n3';
import { AccountError, hasRole, type Accounts } from '../graph/accounts.js';
import type { Changeset, Changesets, ChangesetStatus } from '../graph/changesets.js';
import type { Dataset, Delta } from '../graph/dataset.js';
import { graphIris, PREFIXES } from '../rdf/namespaces.js';
import { parseRdf, RdfSyntaxError } from '../rdf/parse.js';
import { formatFromMediaType, type RdfFormat } from '../rdf/formats.js';
import { displayTerm } from '../rdf/terms.js';
import {
  OperationRefusedError,
  prepareUpdate,
  QueryRejectedError,
  QuerySyntaxError,
  type QueryPolicy,
} from '../sparql/policy.js';
import { UpdateError } from '../sparql/update.js';
import { atomFeed } from './atom.js';
import { currentUser, requireRole, signedIn } from './auth.js';
import { sendError } from './errors.js';
import { openApiDocument } from './openapi.js';
import { sendChangesetError } from './write-results.js';

export interface ApiDeps {
  dataset: Dataset;
  changesets: Changesets;
  accounts: Accounts;
  policy: QueryPolicy;
  baseIri: string;
  bodyLimitBytes: number;
  /** Entities not reviewed for this many months are listed as due for gardening. */
  reviewPeriodMonths: number;
}

/** A request the API refuses, with its status. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The collaboration API under /api (JSON): changesets (submit, list, show with a diff, accept,
 * reject, revert), history, recent changes (JSON and Atom), gardening, users and tokens.
 */
export function apiRouter(deps: ApiDeps): Router {
  const router = express.Router();
  router.use(express.json({ limit: deps.bodyLimitBytes }));
  const graphs = graphIris(deps.baseIri);

  const handle =
    (handler: (request: Request, response: Response) => Promise<void> | void) =>
    async (request: Request, response: Response) => {
      try {
        await handler(request, response);
      } catch (error) {
        if (sendChangesetError(request, response, error)) return;
        if (error instanceof ApiError || error instanceof AccountError) {
          sendError(request, response, error.status, error.message);
        } else if (error instanceof RdfSyntaxError) {
          sendError(request, response, 400, `Nothing was submitted: ${error.message}`, {
            line: error.line,
            column: error.column,
          });
        } else if (error instanceof QuerySyntaxError) {
          sendError(request, response, 400, `Malformed update: ${error.message}`, {
            line: error.line,
            column: error.column,
          });
        } else if (error instanceof OperationRefusedError) {
          sendError(request, response, 403, error.message);
        } else if (error instanceof QueryRejectedError || error instanceof UpdateError) {
          sendError(request, response, 400, `Update refused: ${error.message}`);
        } else {
          throw error;
        }
      }
    };

  const idOf = (request: Request): number => {
    const id = Number(request.params.id);
    if (!Number.isSafeInteger(id) || id < 1) {
      throw new ApiError(404, `no changeset ${request.params.id}`);
    }
    return id;
  };
  const field = (request: Request, name: string): string | undefined => {
    const value = (request.body as Record<string, unknown> | undefined)?.[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw new ApiError(400, `"${name}" must be a string`);
    return value;
  };

  router.get('/openapi.json', (_request, response) => {
    response.json(openApiDocument());
  });

  router.get('/me', requireRole('contributor'), (_request, response) => {
    response.json(currentUser(response));
  });

  // ---- changesets ------------------------------------------------------------------------------

  router.post(
    '/changesets',
    requireRole('contributor'),
    handle(async (request, response) => {
      const user = signedIn(response);
      const message = field(request, 'message') ?? '';
      const source = field(request, 'source');
      const direct = (request.body as { direct?: unknown }).direct === true;
      const delta = await deltaFromRequest(request, deps, graphs.data);
      const changeset = await deps.changesets.submit(user, delta, message, { source, direct });
      response.status(201).location(`/api/changesets/${changeset.id}`).json(present(changeset));
    }),
  );

  router.get(
    '/changesets',
    handle((request, response) => {
      const status = request.query.status;
      if (status !== undefined && !['pending', 'accepted', 'rejected'].includes(String(status))) {
        throw new ApiError(400, 'status must be pending, accepted or rejected');
      }
      const { limit, offset } = paging(request);
      const author = typeof request.query.author === 'string' ? request.query.author : undefined;
      const page = deps.changesets.list({
        status: status as ChangesetStatus | undefined,
        author,
        limit,
        offset,
      });
      response.json({
        total: page.total,
        limit,
        offset,
        changesets: page.changesets.map(summary),
      });
    }),
  );

  router.get(
    '/changesets/:id',
    handle((request, response) => {
      const changeset = deps.changesets.get(idOf(request));
      if (!changeset) throw new ApiError(404, `no changeset ${request.params.id}`);
      response.json(present(changeset));
    }),
  );

  router.post(
    '/changesets/:id/accept',
    requireRole('moderator'),
    handle(async (request, response) => {
      const changeset = await deps.changesets.accept(
        idOf(request),
        signedIn(response),
        field(request, 'reason'),
      );
      response.json(present(changeset));
    }),
  );

  router.post(
    '/changesets/:id/reject',
    requireRole('moderator'),
    handle(async (request, response) => {
      const reason = field(request, 'reason');
      if (!reason?.trim()) throw new ApiError(400, 'a rejection needs a "reason"');
      const changeset = await deps.changesets.reject(idOf(request), signedIn(response), reason);
      response.json(present(changeset));
    }),
  );

  router.post(
    '/changesets/:id/revert',
    requireRole('contributor'),
    handle(async (request, response) => {
      const changeset = await deps.changesets.revert(
        idOf(request),
        signedIn(response),
        field(request, 'message'),
      );
      response.status(201).location(`/api/changesets/${changeset.id}`).json(present(changeset));
    }),
  );

  // ---- history and recent changes ---------------------------------------------------------------

  router.get(
    '/history',
    handle((request, response) => {
      const entity = request.query.entity;
      if (typeof entity !== 'string' || !/^https?:\/\/\S+$/.test(entity)) {
        throw new ApiError(400, 'give the entity IRI: /api/history?entity=<IRI>');
      }
      response.json({ entity, changesets: deps.changesets.historyOf(entity).map(summary) });
    }),
  );

  router.get(
    '/changes',
    handle((request, response) => {
      const { limit } = paging(request);
      response.json({ changes: deps.changesets.recent(limit).map(summary) });
    }),
  );

  router.get(
    '/changes.atom',
    handle((request, response) => {
      const { limit } = paging(request);
      const origin = `${request.protocol}://${request.get('host') ?? 'localhost'}`;
      response
        .type('application/atom+xml')
        .send(atomFeed(deps.changesets.recent(limit), origin, deps.baseIri));
    }),
  );

  // ---- gardening ---------------------------------------------------------------------------------

  router.get(
    '/gardening/due',
    handle(async (request, response) => {
      const months = Number(request.query.months ?? deps.reviewPeriodMonths);
      if (!Number.isFinite(months) || months < 0) throw new ApiError(400, 'months must be ≥ 0');
      const since = new Date();
      since.setMonth(since.getMonth() - months);
      const entities = await deps.changesets.staleEntities(since);
      response.json({ since: since.toISOString(), months, total: entities.length, entities });
    }),
  );

  router.post(
    '/gardening/reviewed',
    requireRole('moderator'),
    handle(async (request, response) => {
      const entity = field(request, 'entity');
      if (!entity || !/^https?:\/\/\S+$/.test(entity)) {
        throw new ApiError(400, 'give the "entity" IRI');
      }
      const at = await deps.changesets.markReviewed(entity, signedIn(response));
      response.json({ entity, lastReviewed: at, reviewer: signedIn(response).name });
    }),
  );

  // ---- users and tokens --------------------------------------------------------------------------

  router.get('/users', requireRole('admin'), (_request, response) => {
    response.json({ users: deps.accounts.users() });
  });

  router.post(
    '/users',
    requireRole('admin'),
    handle((request, response) => {
      const name = field(request, 'name') ?? '';
      const role = field(request, 'role') ?? '';
      const { user, token } = deps.accounts.addUser(name, role);
      response.status(201).json({ user, token, note: 'The token is shown once: keep it now.' });
    }),
  );

  router.post(
    '/users/:name/tokens',
    requireRole('contributor'),
    handle((request, response) => {
      const user = signedIn(response);
      const name = String(request.params.name);
      if (user.name !== name && !hasRole(user, 'admin')) {
        throw new ApiError(403, 'only an admin may create a token for someone else');
      }
      const created = deps.accounts.createToken(name, field(request, 'label') ?? 'api');
      response.status(201).json({ ...created, note: 'The token is shown once: keep it now.' });
    }),
  );

  router.get(
    '/users/:name/tokens',
    requireRole('contributor'),
    handle((request, response) => {
      const user = signedIn(response);
      const name = String(request.params.name);
      if (user.name !== name && !hasRole(user, 'admin')) {
        throw new ApiError(403, "only an admin may list someone else's tokens");
      }
      response.json({ tokens: deps.accounts.tokensOf(name) });
    }),
  );

  router.delete(
    '/tokens/:id',
    requireRole('contributor'),
    handle((request, response) => {
      const user = signedIn(response);
      const info = deps.accounts.token(Number(request.params.id));
      if (!info) throw new ApiError(404, `no token ${request.params.id}`);
      if (info.user !== user.name && !hasRole(user, 'admin')) {
        throw new ApiError(403, "only an admin may revoke someone else's token");
      }
      response.json(deps.accounts.revokeToken(info.id));
    }),
  );

  router.use((request: Request, response: Response) => {
    sendError(request, response, 404, `no API route ${request.method} ${request.originalUrl}`);
  });
  return router;
}

function paging(request: Request): { limit: number; offset: number } {
  const limit = request.query.limit === undefined ? 50 : Number(request.query.limit);
  const offset = request.query.offset === undefined ? 0 : Number(request.query.offset);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new ApiError(400, 'limit must be an integer from 1 to 500');
  }
  if (!Number.isInteger(offset) || offset < 0) throw new ApiError(400, 'offset must be ≥ 0');
  return { limit, offset };
}

/**
 * A submission: `{ message, source?, add?, remove?, format? }` with RDF texts (Turtle by default;
 * TriG, N-Triples, N-Quads, JSON-LD as text or object, RDF/XML), triples going to the data graph;
 * or `{ message, source?, update }` with a SPARQL Update turned into a changeset.
 */
async function deltaFromRequest(
  request: Request,
  deps: ApiDeps,
  dataGraph: string,
): Promise<Delta> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  if (typeof body.update === 'string') {
    const update = prepareUpdate(body.update, deps.policy, deps.baseIri);
    return deps.dataset.exclusive(() => deps.dataset.deltaOfUpdate(update));
  }
  const formatName = typeof body.format === 'string' ? body.format : 'text/turtle';
  const format = formatFromMediaType(formatName) as RdfFormat | undefined;
  if (!format) throw new ApiError(415, `unknown RDF format "${formatName}"`);
  const read = async (name: 'add' | 'remove'): Promise<Quad[]> => {
    const value = body[name];
    if (value === undefined) return [];
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const quads = await parseRdf(text, { format, baseIri: deps.baseIri, sourceName: name });
    const graph = DataFactory.namedNode(dataGraph);
    return quads.map((q) =>
      q.graph.termType === 'DefaultGraph'
        ? DataFactory.quad(q.subject, q.predicate, q.object, graph)
        : q,
    );
  };
  return { additions: await read('add'), deletions: await read('remove') };
}

function summary(changeset: Changeset) {
  const { additions, deletions, ...rest } = changeset;
  return { ...rest, added: additions.length, removed: deletions.length };
}

/**
 * A term of a diff line. A literal's text is escaped as Turtle escapes it (JSON's escapes are
 * Turtle's), so that a quote or a line break in a contribution cannot end its literal and forge
 * another statement, or another line, in what a moderator reads.
 */
const diffTerm = (term: Quad['object']) => {
  const shown = displayTerm(term, PREFIXES);
  if (term.termType !== 'Literal') return shown;
  return JSON.stringify(term.value) + shown.slice(term.value.length + 2);
};

/** A changeset with a readable diff: "+"/"-" lines in Turtle-like terms, by graph. */
function present(changeset: Changeset) {
  const line = (sign: string, q: Quad) =>
    `${sign} ${[q.subject, q.predicate, q.object].map(diffTerm).join(' ')}` +
    (q.graph.termType === 'NamedNode' ? `  # in <${q.graph.value}>` : '');
  return {
    ...summary(changeset),
    diff: [
      ...changeset.deletions.map((q) => line('-', q)),
      ...changeset.additions.map((q) => line('+', q)),
    ],
  };
}
