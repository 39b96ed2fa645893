import express, { type Request, type Response, type Router } from 'express';
import type sparqljs from 'sparqljs';
import type { Changesets } from '../graph/changesets.js';
import type { Dataset } from '../graph/dataset.js';
import {
  OperationRefusedError,
  prepareUpdate,
  QueryRejectedError,
  QuerySyntaxError,
  type QueryPolicy,
} from '../sparql/policy.js';
import { UpdateError } from '../sparql/update.js';
import { requireRole, signedIn } from './auth.js';
import { requireUtf8Body } from './charset.js';
import { sendChangesetError, sendPending, writeMessage } from './write-results.js';

export interface UpdateEndpointDeps {
  dataset: Dataset;
  changesets: Changesets;
  policy: QueryPolicy;
  baseIri: string;
  bodyLimitBytes: number;
}

function updateText(request: Request): string | undefined {
  if (request.is('application/sparql-update')) {
    return typeof request.body === 'string' ? request.body : '';
  }
  const value = (request.body as Record<string, unknown> | undefined)?.update;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The protocol's using-graph-uri / using-named-graph-uri stand for USING clauses; SPARQL 1.1
 * Protocol §2.2.3 makes giving both them and USING/WITH in the request an error.
 */
function applyUsingParameters(update: sparqljs.Update, request: Request): void {
  const list = (name: string) =>
    [request.query[name], (request.body as Record<string, unknown> | undefined)?.[name]]
      .flat()
      .filter((v): v is string => typeof v === 'string');
  const defaults = list('using-graph-uri');
  const named = list('using-named-graph-uri');
  if (defaults.length === 0 && named.length === 0) return;
  for (const operation of update.updates) {
    if (!('updateType' in operation) || operation.updateType !== 'insertdelete') continue;
    if (operation.using || operation.graph) {
      throw new QueryRejectedError('using-graph-uri cannot be combined with USING or WITH');
    }
    const iri = (value: string) => ({ termType: 'NamedNode', value }) as sparqljs.IriTerm;
    operation.using = { default: defaults.map(iri), named: named.map(iri) };
  }
}

/**
 * SPARQL 1.1 Update over HTTP. An admin's update is applied at once (204, recorded as a
 * changeset); a contributor's or moderator's becomes a pending changeset (202 and its Location).
 */
export function updateRouter(deps: UpdateEndpointDeps): Router {
  const router = express.Router();
  router.post(
    '/',
    requireRole('contributor'),
    requireUtf8Body,
    express.urlencoded({ extended: false, limit: deps.bodyLimitBytes }),
    express.text({ type: 'application/sparql-update', limit: deps.bodyLimitBytes }),
    async (request: Request, response: Response) => {
      const text = updateText(request);
      if (text === undefined) {
        response.status(400).type('text/plain').send('Missing the "update" parameter.\n');
        return;
      }
      try {
        const update = prepareUpdate(text, deps.policy, deps.baseIri);
        applyUsingParameters(update, request);
        const result = await deps.changesets.write(
          signedIn(response),
          () => deps.dataset.deltaOfUpdate(update),
          writeMessage(request, 'SPARQL Update'),
        );
        if (!result.applied && result.changeset) {
          sendPending(response, result.changeset);
          return;
        }
        response.status(204).end();
      } catch (error) {
        if (sendChangesetError(request, response, error)) return;
        let message: string;
        if (error instanceof OperationRefusedError) {
          response.status(403).type('text/plain').send(`${error.message}\n`);
          return;
        }
        if (error instanceof QuerySyntaxError) {
          const where = error.line ? ` (line ${error.line}, column ${error.column})` : '';
          message = `Malformed update${where}: ${error.message}`;
        } else if (error instanceof QueryRejectedError || error instanceof UpdateError) {
          message = `Update refused, nothing was changed: ${error.message}`;
        } else {
          throw error;
        }
        response.status(400).type('text/plain').send(`${message}\n`);
      }
    },
  );
  return router;
}
