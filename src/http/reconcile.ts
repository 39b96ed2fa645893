import express, { type Request, type Response, type Router } from 'express';
import { CK } from '../rdf/namespaces.js';
import type { ReconciliationQuery, Reconciler } from '../graph/reconciliation.js';
import { escapeHtml } from './html.js';

export interface ReconcileDeps {
  reconciler: Reconciler;
  baseIri: string;
  bodyLimitBytes: number;
}

/** Answers as JSON, or as JSONP when `callback` names a function (older OpenRefine versions). */
function reply(request: Request, response: Response, body: unknown, status = 200): void {
  const callback = request.query.callback;
  if (typeof callback === 'string' && /^[A-Za-z_$][\w$.]{0,63}$/.test(callback)) {
    response
      .status(status)
      .type('application/javascript')
      .send(`${callback}(${JSON.stringify(body)});`);
    return;
  }
  response.status(status).json(body);
}

/** The `queries` batch, from a form field, a query parameter or a JSON body. */
function readBatch(request: Request): Record<string, ReconciliationQuery> | undefined {
  const body = request.body as Record<string, unknown> | undefined;
  const raw = body?.queries ?? request.query.queries;
  if (raw === undefined) return undefined;
  let parsed: unknown = raw;
  if (typeof raw === 'string') {
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      throw new BadBatch(`"queries" is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadBatch(
      '"queries" must be an object of queries by key, e.g. {"q0": {"query": "…"}}',
    );
  }
  const batch = parsed as Record<string, unknown>;
  const keys = Object.keys(batch);
  if (keys.length > 100) throw new BadBatch('at most 100 queries per batch');
  for (const key of keys) {
    const query = batch[key] as Partial<ReconciliationQuery> | null;
    if (typeof query !== 'object' || query === null || typeof query.query !== 'string') {
      throw new BadBatch(`query "${key}" needs a "query" string`);
    }
    if (query.limit !== undefined && !Number.isInteger(query.limit)) {
      throw new BadBatch(`query "${key}": "limit" must be an integer`);
    }
    const properties: unknown = query.properties;
    if (
      properties !== undefined &&
      (!Array.isArray(properties) ||
        !properties.every(
          (p: unknown) =>
            typeof p === 'object' && p !== null && typeof (p as { pid?: unknown }).pid === 'string',
        ))
    ) {
      throw new BadBatch(`query "${key}": "properties" must be an array of {pid, v}`);
    }
    const type: unknown = query.type;
    if (
      type !== undefined &&
      typeof type !== 'string' &&
      !(Array.isArray(type) && type.every((t: unknown) => typeof t === 'string'))
    ) {
      throw new BadBatch(`query "${key}": "type" must be a type id or a list of them`);
    }
  }
  return batch as Record<string, ReconciliationQuery>;
}

class BadBatch extends Error {}

/**
 * The W3C Entity Reconciliation Service API (0.2, as OpenRefine uses it) at /reconcile: the
 * manifest, batches of queries with type and property constraints, suggest services for
 * entities, types and properties, and an HTML preview.
 */
export function reconcileRouter(deps: ReconcileDeps): Router {
  const router = express.Router();
  const { reconciler } = deps;
  const form = express.urlencoded({ extended: false, limit: deps.bodyLimitBytes });
  const json = express.json({ limit: deps.bodyLimitBytes });

  const manifest = async (request: Request) => {
    const origin = `${request.protocol}://${request.get('host') ?? 'localhost'}`;
    return {
      versions: ['0.2'],
      name: 'communs-kg: people, organisations and digital commons',
      identifierSpace: `${deps.baseIri}id/`,
      schemaSpace: CK,
      defaultTypes: await reconciler.defaultTypes(),
      view: { url: `${deps.baseIri}id/{{id}}` },
      preview: { url: `${origin}/reconcile/preview?id={{id}}`, width: 400, height: 160 },
      suggest: {
        entity: { service_url: origin, service_path: '/reconcile/suggest/entity' },
        type: { service_url: origin, service_path: '/reconcile/suggest/type' },
        property: { service_url: origin, service_path: '/reconcile/suggest/property' },
      },
      batchSize: 50,
    };
  };

  const answer = async (request: Request, response: Response) => {
    let batch: Record<string, ReconciliationQuery> | undefined;
    try {
      batch = readBatch(request);
    } catch (error) {
      if (!(error instanceof BadBatch)) throw error;
      reply(request, response, { error: error.message }, 400);
      return;
    }
    if (!batch) {
      reply(request, response, await manifest(request));
      return;
    }
    const results: Record<string, { result: unknown[] }> = {};
    for (const [key, query] of Object.entries(batch)) {
      results[key] = { result: await reconciler.reconcile(query) };
    }
    reply(request, response, results);
  };
  router.get('/', answer);
  router.post('/', form, json, answer);

  router.get('/suggest/entity', async (request, response) => {
    const prefix = String(request.query.prefix ?? '');
    const type = typeof request.query.type === 'string' ? request.query.type : undefined;
    const result = (await reconciler.suggestEntities(prefix, type)).map(
      ({ id, name, description }) => ({
        id,
        name,
        ...(description ? { description } : {}),
      }),
    );
    reply(request, response, { result });
  });

  router.get('/suggest/type', async (request, response) => {
    reply(request, response, {
      result: await reconciler.suggestTypes(String(request.query.prefix ?? '')),
    });
  });

  router.get('/suggest/property', (request, response) => {
    const prefix = String(request.query.prefix ?? '').toLowerCase();
    const result = RECONCILABLE_PROPERTIES.filter(
      (p) => p.id.toLowerCase().startsWith(prefix) || p.name.toLowerCase().includes(prefix),
    );
    reply(request, response, { result });
  });

  router.get('/preview', async (request, response) => {
    const entity = await reconciler.entity(String(request.query.id ?? ''));
    if (!entity) {
      response.status(404).type('text/plain').send('No such entity.\n');
      return;
    }
    const wikidata = entity.wikidata
      ? `<p>Wikidata: <a href="https://www.wikidata.org/wiki/${escapeHtml(entity.wikidata)}">${escapeHtml(entity.wikidata)}</a></p>`
      : '';
    response
      .type('text/html')
      .send(
        `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(entity.name)}</title></head>` +
          `<body><h1><a href="${escapeHtml(entity.iri)}">${escapeHtml(entity.name)}</a></h1>` +
          `<p>${entity.type.map((t) => escapeHtml(t.name)).join(', ')}</p>` +
          (entity.description ? `<p>${escapeHtml(entity.description)}</p>` : '') +
          `${wikidata}</body></html>`,
      );
  });
  return router;
}

/** The properties a query may constrain (`properties: [{pid, v}]`). */
const RECONCILABLE_PROPERTIES = [
  { id: 'wikidata', name: 'Wikidata item (Q-id)' },
  { id: 'affiliation', name: 'affiliation: organisation (name)' },
  { id: 'memberOf', name: 'member of (name)' },
];
