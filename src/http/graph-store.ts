import express, { type Request, type Response, type Router } from 'express';
import { DataFactory, type Quad_Graph } from 'n3';
import type { Changesets } from '../graph/changesets.js';
import type { Dataset, Delta } from '../graph/dataset.js';
import { RDF_FORMATS, formatFromMediaType, type RdfFormat } from '../rdf/formats.js';
import { parseRdf, RdfSyntaxError } from '../rdf/parse.js';
import { serializeRdf, UnserializableError } from '../rdf/serialize.js';
import { randomUUID } from 'node:crypto';
import { requireRole, signedIn } from './auth.js';
import { sendChangesetError, sendPending, writeMessage } from './write-results.js';
import { acceptWithoutCharset, requireUtf8Body } from './charset.js';

export interface GraphStoreDeps {
  dataset: Dataset;
  changesets: Changesets;
  baseIri: string;
  bodyLimitBytes: number;
}

/** Formats a graph is written in for GET, by preference when the client accepts anything. */
const READABLE: RdfFormat[] = ['turtle', 'ntriples', 'nquads', 'trig', 'jsonld', 'rdfxml'];

class GraphStoreError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** `?default` or `?graph=IRI` — exactly one of them (indirect graph identification). */
function targetGraph(request: Request): { graph: Quad_Graph; label: string } {
  const hasDefault = 'default' in request.query;
  const name = request.query.graph;
  if (hasDefault === (name !== undefined)) {
    throw new GraphStoreError(400, 'Name the graph with exactly one of ?default or ?graph=IRI.');
  }
  if (hasDefault) return { graph: DataFactory.defaultGraph(), label: 'the default graph' };
  if (typeof name !== 'string' || !/^[a-z][a-z0-9+.-]*:\S*$/i.test(name)) {
    throw new GraphStoreError(400, `?graph must be one absolute IRI, got ${JSON.stringify(name)}.`);
  }
  return { graph: DataFactory.namedNode(name), label: `graph <${name}>` };
}

async function readBody(request: Request, graph: Quad_Graph, baseIri: string) {
  const contentType = request.get('content-type') ?? '';
  const format = formatFromMediaType(contentType);
  if (!format) {
    const accepted = Object.values(RDF_FORMATS)
      .map((f) => f.mediaType)
      .join(', ');
    throw new GraphStoreError(415, `Unsupported Content-Type "${contentType}": send ${accepted}.`);
  }
  const text = typeof request.body === 'string' ? request.body : '';
  const base = graph.termType === 'NamedNode' ? graph.value : baseIri;
  return parseRdf(text, { format, baseIri: base, sourceName: 'request body' });
}

/**
 * The SPARQL 1.1 Graph Store HTTP Protocol with indirect graph identification. GET reads any
 * graph; PUT, POST and DELETE need the admin token. `?default` is the store's own default graph,
 * not the union that queries see (as in Fuseki, the union only applies to queries).
 */
export function graphStoreRouter(deps: GraphStoreDeps): Router {
  const router = express.Router();
  router.use((request, _response, next) => {
    acceptWithoutCharset(request);
    next();
  });
  const write = [requireRole('contributor'), requireUtf8Body];
  const body = express.text({ type: () => true, limit: deps.bodyLimitBytes });

  /**
   * Carries out a write as the user may: applied (true) for an admin, else a pending changeset,
   * answered here with 202 (false).
   */
  const change = async (request: Request, response: Response, compute: () => Promise<Delta>) => {
    const result = await deps.changesets.write(
      signedIn(response),
      compute,
      writeMessage(request, `Graph Store Protocol ${request.method}`),
    );
    if (!result.applied && result.changeset) {
      sendPending(response, result.changeset);
      return false;
    }
    return true;
  };

  const guard =
    (handler: (request: Request, response: Response) => Promise<void> | void) =>
    async (request: Request, response: Response) => {
      try {
        await handler(request, response);
      } catch (error) {
        if (sendChangesetError(request, response, error)) return;
        if (error instanceof GraphStoreError) {
          response.status(error.status).type('text/plain').send(`${error.message}\n`);
        } else if (error instanceof RdfSyntaxError) {
          response.status(400).type('text/plain').send(`Nothing was stored: ${error.message}\n`);
        } else if (error instanceof UnserializableError) {
          response.status(406).type('text/plain').send(`${error.message}\n`);
        } else {
          throw error;
        }
      }
    };

  router.get(
    '/',
    guard(async (request, response) => {
      const { graph, label } = targetGraph(request);
      if (graph.termType === 'NamedNode' && !(await deps.dataset.hasGraph(graph))) {
        throw new GraphStoreError(404, `No ${label} in this store.`);
      }
      const offered = READABLE.map((f) => RDF_FORMATS[f].mediaType);
      const chosen = request.accepts(offered);
      if (!chosen)
        throw new GraphStoreError(406, `Not acceptable: use one of ${offered.join(', ')}.`);
      const format = formatFromMediaType(chosen) as RdfFormat;
      const text = await serializeRdf(await deps.dataset.quadsOf(graph), format);
      response.setHeader('Vary', 'Accept');
      response.status(200).type(chosen).send(text);
    }),
  );

  /** PUT replaces the graph, POST merges into it; 201 when that creates a named graph. */
  const store = (replace: boolean) =>
    guard(async (request, response) => {
      const { graph } = targetGraph(request);
      const quads = await readBody(request, graph, deps.baseIri);
      const existed = await deps.dataset.hasGraph(graph);
      const applied = await change(request, response, () =>
        replace ? deps.dataset.deltaOfReplace(graph, quads) : deps.dataset.deltaOfAdd(graph, quads),
      );
      if (applied) response.status(existed || graph.termType === 'DefaultGraph' ? 204 : 201).end();
    });
  router.put('/', write, body, store(true));
  // POST to the graph store itself creates a graph with a fresh IRI (GSP §5.5).
  const createGraph = guard(async (request, response) => {
    const graph = DataFactory.namedNode(`${deps.baseIri}graph/posted/${randomUUID()}`);
    const quads = await readBody(request, graph, deps.baseIri);
    if (!(await change(request, response, () => deps.dataset.deltaOfAdd(graph, quads)))) return;
    // The Location is the new graph's IRI; read it back with ?graph=<that IRI>.
    response.status(201).location(graph.value).end();
  });
  const merge = store(false);
  router.post('/', write, body, (request: Request, response: Response) =>
    'default' in request.query || request.query.graph !== undefined
      ? merge(request, response)
      : createGraph(request, response),
  );

  router.delete(
    '/',
    write,
    guard(async (request, response) => {
      const { graph, label } = targetGraph(request);
      if (graph.termType === 'NamedNode' && !(await deps.dataset.hasGraph(graph))) {
        throw new GraphStoreError(404, `No ${label} in this store.`);
      }
      if (await change(request, response, () => deps.dataset.deltaOfDrop(graph))) {
        response.status(204).end();
      }
    }),
  );
  return router;
}
