import express, { type Request, type Response, type Router } from 'express';
import cors from 'cors';
import { RESULT_MEDIA_TYPES, resultKind } from '../sparql/media-types.js';
import {
  prepareQuery,
  QueryRejectedError,
  QuerySyntaxError,
  type DatasetOverride,
  type PreparedQuery,
  type QueryPolicy,
} from '../sparql/policy.js';
import {
  QueryEvaluationError,
  QueryPoolBusyError,
  QueryTimeoutError,
  RemoteEndpointError,
  type QueryHandle,
} from '../sparql/worker-pool.js';
import type { QueryRunner } from '../sparql/query-runner.js';
import { serviceDescription } from './service-description.js';
import type { QueryPageHandler } from './ui.js';
import { acceptWithoutCharset, requireUtf8Body } from './charset.js';

export interface SparqlEndpointDeps {
  queries: QueryRunner;
  policy: QueryPolicy;
  baseIri: string;
  bodyLimitBytes: number;
  graphNames: () => Promise<string[]>;
  unionDefaultGraph: boolean;
  /** The page a browser gets at `GET /sparql` without a query: the web interface's query page. */
  htmlPage: QueryPageHandler;
}

/** `format=` values, per kind of result, for clients that cannot set Accept. */
const FORMAT_NAMES: Record<string, Record<string, string>> = {
  bindings: {
    json: 'application/sparql-results+json',
    xml: 'application/sparql-results+xml',
    csv: 'text/csv',
    tsv: 'text/tab-separated-values',
  },
  boolean: { json: 'application/sparql-results+json', xml: 'application/sparql-results+xml' },
  quads: {
    ttl: 'text/turtle',
    turtle: 'text/turtle',
    nt: 'application/n-triples',
    ntriples: 'application/n-triples',
    nq: 'application/n-quads',
    nquads: 'application/n-quads',
    trig: 'application/trig',
    jsonld: 'application/ld+json',
    json: 'application/ld+json',
    rdfxml: 'application/rdf+xml',
    xml: 'application/rdf+xml',
  },
};

/** A protocol parameter from the query string or the form body, as a list. */
function parameter(request: Request, name: string): string[] {
  const fromBody =
    request.method === 'POST' && request.is('application/x-www-form-urlencoded')
      ? (request.body as Record<string, unknown>)[name]
      : undefined;
  const values = [request.query[name], fromBody].flat().filter((v) => v !== undefined);
  return values.map(String);
}

class ProtocolError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The query text, from the three ways the SPARQL 1.1 Protocol allows sending it. */
function queryText(request: Request): string | undefined {
  if (request.method === 'POST' && request.is('application/sparql-query')) {
    return typeof request.body === 'string' ? request.body : '';
  }
  const values = parameter(request, 'query');
  if (values.length > 1) throw new ProtocolError(400, 'Send exactly one "query" parameter.');
  return values[0];
}

function chooseMediaType(request: Request, prepared: PreparedQuery): string {
  const kind = resultKind(prepared.form);
  const offered: readonly string[] = RESULT_MEDIA_TYPES[kind];
  const [format] = parameter(request, 'format');
  if (format !== undefined) {
    const named =
      FORMAT_NAMES[kind]?.[format.toLowerCase()] ?? (offered.includes(format) ? format : undefined);
    if (!named) {
      const names = Object.keys(FORMAT_NAMES[kind] ?? {}).join(', ');
      throw new ProtocolError(
        406,
        `Unknown format "${format}" for ${prepared.form}: use one of ${names}.`,
      );
    }
    return named;
  }
  const chosen = request.accepts([...offered]);
  if (!chosen) {
    throw new ProtocolError(
      406,
      `Not acceptable. ${prepared.form} results are available as: ${offered.join(', ')}.`,
    );
  }
  return chosen;
}

function sendPlain(response: Response, status: number, message: string): void {
  response.status(status).type('text/plain').send(`${message}\n`);
}

/**
 * The SPARQL 1.1 Protocol query operation: GET and both POST forms, the protocol's dataset
 * parameters, results chosen by Accept (q-values) or `format`, evaluated in the worker pool and
 * streamed to the client as they are produced.
 */
export function sparqlRouter(deps: SparqlEndpointDeps): Router {
  const router = express.Router();
  router.use(cors({ methods: ['GET', 'POST'], maxAge: 86400 }));
  router.use(requireUtf8Body);
  router.use((request, _response, next) => {
    acceptWithoutCharset(request);
    next();
  });
  router.use(express.urlencoded({ extended: false, limit: deps.bodyLimitBytes }));
  router.use(express.text({ type: 'application/sparql-query', limit: deps.bodyLimitBytes }));

  const handle = (request: Request, response: Response) => {
    let prepared: PreparedQuery;
    let mediaType: string;
    try {
      const text = queryText(request);
      if (text === undefined) {
        if (request.method === 'GET' && Object.keys(request.query).length === 0) {
          describeService(request, response, deps);
          return;
        }
        throw new ProtocolError(400, 'Missing the "query" parameter.');
      }
      const dataset: DatasetOverride = {
        defaultGraphs: parameter(request, 'default-graph-uri'),
        namedGraphs: parameter(request, 'named-graph-uri'),
      };
      prepared = prepareQuery(text, deps.policy, deps.baseIri, dataset);
      mediaType = chooseMediaType(request, prepared);
    } catch (error) {
      if (error instanceof QuerySyntaxError) {
        const where = error.line ? ` (line ${error.line}, column ${error.column})` : '';
        sendPlain(response, 400, `Malformed query${where}: ${error.message}`);
      } else if (error instanceof QueryRejectedError) {
        sendPlain(response, 400, error.message);
      } else if (error instanceof ProtocolError) {
        sendPlain(response, error.status, error.message);
      } else {
        throw error;
      }
      return;
    }
    runQuery(request, response, deps.queries, prepared, mediaType);
  };

  router.get('/', handle);
  router.post('/', handle);
  return router;
}

function runQuery(
  request: Request,
  response: Response,
  queries: QueryRunner,
  prepared: PreparedQuery,
  mediaType: string,
): void {
  response.setHeader('Vary', 'Accept');
  if (prepared.rowLimit) response.setHeader('X-Communs-Row-Limit', String(prepared.rowLimit));
  let started = false;
  const start = () => {
    if (!started) {
      started = true;
      response.status(200).type(mediaType);
    }
  };
  let handle: QueryHandle;
  try {
    handle = queries.run(
      { ...prepared, mediaType },
      {
        write: (chunk) => {
          start();
          return response.write(chunk);
        },
        end: () => {
          start();
          response.end();
        },
        fail: (error) => {
          if (response.headersSent) {
            // Part of the result is out: cut the connection so the client cannot take it for whole.
            response.destroy(error);
          } else if (error instanceof QueryTimeoutError) {
            sendPlain(response, 503, `Query stopped: ${error.message}.`);
          } else if (error instanceof RemoteEndpointError) {
            // The remote failed, not the query: 504 if it kept silent, 502 otherwise.
            sendPlain(
              response,
              error.timedOut ? 504 : 502,
              `Query could not be evaluated: ${error.message}.`,
            );
          } else if (error instanceof QueryEvaluationError) {
            sendPlain(response, 400, `Query could not be evaluated: ${error.message}`);
          } else {
            sendPlain(response, 500, 'Internal error');
          }
        },
      },
    );
  } catch (error) {
    if (error instanceof QueryPoolBusyError) {
      response.setHeader('Retry-After', '5');
      sendPlain(response, 503, `Server busy: ${error.message}.`);
      return;
    }
    throw error;
  }
  response.on('drain', () => handle.resume());
  response.on('close', () => {
    if (!response.writableFinished) handle.cancel();
  });
  request.on('aborted', () => handle.cancel());
}

function describeService(request: Request, response: Response, deps: SparqlEndpointDeps): void {
  const endpoint = `${request.protocol}://${request.get('host')}${request.baseUrl}`;
  const chosen = request.accepts(['text/html', 'text/turtle', 'application/n-triples']);
  response.setHeader('Vary', 'Accept');
  if (chosen === 'text/html') {
    deps.htmlPage(request, response, endpoint);
    return;
  }
  const format = chosen === 'application/n-triples' ? 'ntriples' : 'turtle';
  void deps
    .graphNames()
    .then((names) => serviceDescription(endpoint, names, deps.unionDefaultGraph, format))
    .then((text) => response.type(chosen || 'text/turtle').send(text));
}
