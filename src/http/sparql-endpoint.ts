import express, { type Request, type Response, type Router } from 'express';
import type { SparqlEngine } from '../sparql/engine.js';
import { RESULT_MEDIA_TYPES } from '../sparql/engine.js';
import { QueryRejectedError, QuerySyntaxError, type QueryForm } from '../sparql/policy.js';

const MAX_QUERY_BYTES = '1mb';

function resultKind(form: QueryForm): keyof typeof RESULT_MEDIA_TYPES {
  if (form === 'SELECT') return 'bindings';
  if (form === 'ASK') return 'boolean';
  return 'quads';
}

/** The query text, from the three ways the SPARQL 1.1 Protocol allows sending it. */
function queryText(request: Request): string | undefined {
  if (request.method === 'GET') {
    return typeof request.query.query === 'string' ? request.query.query : undefined;
  }
  if (request.is('application/sparql-query')) {
    return typeof request.body === 'string' ? request.body : undefined;
  }
  const body = request.body as Record<string, unknown> | undefined;
  return typeof body?.query === 'string' ? body.query : undefined;
}

/**
 * A minimal SPARQL 1.1 Protocol query endpoint: GET and both POST forms, results in the formats
 * Comunica writes, chosen by Accept (with q-values), streamed to the client.
 */
export function sparqlRouter(engine: SparqlEngine): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: MAX_QUERY_BYTES }));
  router.use(express.text({ type: 'application/sparql-query', limit: MAX_QUERY_BYTES }));

  const handle = async (request: Request, response: Response) => {
    const text = queryText(request);
    if (text === undefined) {
      response.status(400).type('text/plain').send('Missing the "query" parameter.\n');
      return;
    }
    let form: QueryForm;
    try {
      form = engine.check(text);
    } catch (error) {
      if (error instanceof QuerySyntaxError) {
        const where = error.line ? ` (line ${error.line}, column ${error.column})` : '';
        response.status(400).type('text/plain').send(`Malformed query${where}: ${error.message}\n`);
        return;
      }
      if (error instanceof QueryRejectedError) {
        response.status(400).type('text/plain').send(`${error.message}\n`);
        return;
      }
      throw error;
    }
    const offered = RESULT_MEDIA_TYPES[resultKind(form)];
    const chosen = request.accepts([...offered]);
    if (!chosen) {
      response
        .status(406)
        .type('text/plain')
        .send(`Not acceptable. ${form} results are available as: ${offered.join(', ')}\n`);
      return;
    }
    const stream = await engine.serialize(text, chosen);
    response.status(200).type(chosen);
    response.setHeader('Vary', 'Accept');
    stream.on('error', (error: Error) => response.destroy(error));
    stream.pipe(response);
  };

  router.get('/', handle);
  router.post('/', handle);
  return router;
}
