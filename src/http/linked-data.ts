import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Quad } from 'n3';
import type { Settings } from '../config/settings.js';
import { EntityDescriber, ONTOLOGY_IRI, documentPrefixes } from '../graph/describe.js';
import { serializeRdf } from '../rdf/serialize.js';
import type { GraphReads } from '../store/graph-reads.js';
import { ENTITY_PATH, ONTOLOGY_PATH, TOPIC_PATH, entityIri, topicIri } from './iri-paths.js';
import {
  RDF_REPRESENTATIONS,
  REPRESENTATION_NAMES,
  extensionOf,
  mediaTypeOf,
  negotiate,
  representationNamed,
  requestedFormat,
  type Representation,
} from './negotiation.js';
import { NeighbourhoodReader } from '../graph/neighbourhood.js';
import { pageLanguage } from './i18n.js';
import { entityPage } from './pages/entity.js';
import { neighbourhoodFigure } from './pages/neighbourhood-svg.js';
import { notFoundPage } from './pages/not-found.js';
import { ontologyPage } from './pages/ontology.js';
import type { AlternateDocument, RenderContext } from './pages/rdf-view.js';

export interface LinkedDataDependencies {
  store: GraphReads;
  settings: Pick<Settings, 'baseIri'>;
}

/** HTML first: a client that states no preference (`*∕*`, no Accept) is most likely a person. */
const OFFERED: readonly Representation[] = ['html', ...RDF_REPRESENTATIONS];

/** A resource this server describes, as found from a request path. */
interface Resolved {
  iri: string;
  /** The path of the resource without extension: `/id/person/henri-verdier`. */
  path: string;
  /** A representation fixed by the URL (`.ttl`), which then skips content negotiation. */
  fixed?: Representation;
}

/** The documents of a resource, each rendered only when chosen. */
interface Documents {
  html(alternates: AlternateDocument[]): string | Promise<string>;
  triples(): Quad[];
}

function alternatesOf(path: string): AlternateDocument[] {
  return RDF_REPRESENTATIONS.map((representation) => ({
    href: `${path}.${extensionOf(representation)}`,
    mediaType: mediaTypeOf(representation),
    label: REPRESENTATION_NAMES[representation],
  }));
}

/**
 * The linked-data side of the server: every entity IRI under the base (`/id/…`), the topics
 * (`/topic/…`) and the ontology (`/ontology`) dereference to an HTML page or, by content
 * negotiation, an RDF document. Negotiated answers are direct 200s with `Vary: Accept` and a
 * `Content-Location` naming the chosen document (`/id/person/x.ttl`), which also answers
 * directly, as does `?format=ttl` (see docs/linked-data.md for the 200-versus-303 choice).
 */
export function linkedDataRouter(deps: LinkedDataDependencies): Router {
  const router = express.Router();
  const { baseIri } = deps.settings;
  const describer = new EntityDescriber(deps.store, baseIri);
  const neighbourhoods = new NeighbourhoodReader(deps.store, baseIri);
  const renderContext = (response: Response): RenderContext => ({
    baseIri,
    language: pageLanguage(response),
    labels: new Map(),
    blankNodes: new Map(),
  });

  /** `person/henri-verdier.ttl` → the entity and the `.ttl` fixed, when the entity exists. */
  const resolve = async (
    below: string,
    prefix: string,
    iriOf: (below: string) => string,
  ): Promise<Resolved | { missing: string }> => {
    if (await describer.exists(iriOf(below))) {
      return { iri: iriOf(below), path: `${prefix}${below}` };
    }
    const dot = below.lastIndexOf('.');
    const fixed = dot > 0 ? representationNamed(below.slice(dot + 1)) : undefined;
    const stem = below.slice(0, dot);
    if (fixed && (await describer.exists(iriOf(stem)))) {
      return { iri: iriOf(stem), path: `${prefix}${stem}`, fixed };
    }
    return { missing: iriOf(fixed ? stem : below) };
  };

  const sendNotFound = async (response: Response, iri: string) => {
    const suggestions = await describer.suggestSimilar(iri);
    response
      .status(404)
      .type('text/html')
      .send(notFoundPage(iri, suggestions, renderContext(response)));
  };

  const serveEntity = (prefix: string, iriOf: (below: string) => string) => {
    return async (request: Request, response: Response) => {
      const below = pathBelow(request);
      const resolved = below === undefined ? undefined : await resolve(below, prefix, iriOf);
      if (!resolved || 'missing' in resolved) {
        await sendNotFound(response, resolved?.missing ?? iriOf(below ?? ''));
        return;
      }
      const description = await describer.describe(resolved.iri);
      if (!description) return await sendNotFound(response, resolved.iri);
      await respond(request, response, resolved, {
        html: async (alternates) => {
          const context = renderContext(response);
          const neighbourhood = await neighbourhoods.read(resolved.iri);
          return entityPage(
            description,
            { ...context, labels: description.labels, blankNodes: description.blankNodes },
            alternates,
            {
              url: request.originalUrl,
              neighbourhood: neighbourhoodFigure(neighbourhood, baseIri, context.language),
            },
          );
        },
        triples: () => description.triples,
      });
    };
  };

  const respond = async (
    request: Request,
    response: Response,
    resolved: Resolved,
    documents: Documents,
  ) => {
    const format = requestedFormat(request);
    if ('unknown' in format) {
      response
        .status(400)
        .type('text/plain')
        .send(
          `Unknown format "${format.unknown}". Known: ${OFFERED.map(extensionOf).join(', ')}.\n`,
        );
      return;
    }
    const alternates = alternatesOf(resolved.path);
    const fixed = resolved.fixed ?? format.representation;
    const chosen = fixed ?? negotiate(request, OFFERED);
    if (!fixed) response.vary('Accept');
    // Header values carry the paths percent-encoded: an IRI may hold any character, and Node
    // refuses (500) a header with one outside Latin-1.
    response.setHeader(
      'Link',
      alternates
        .map((a) => `<${encodeURI(a.href)}>; rel="alternate"; type="${a.mediaType}"`)
        .join(', '),
    );
    if (!chosen) {
      response
        .status(406)
        .type('text/plain')
        .send(
          `Not acceptable. ${resolved.iri} is described as ${OFFERED.map(mediaTypeOf).join(', ')}.\n`,
        );
      return;
    }
    if (!fixed) {
      response.setHeader('Content-Location', encodeURI(`${resolved.path}.${extensionOf(chosen)}`));
    }
    if (chosen === 'html') {
      response.vary('Accept-Language');
      response
        .status(200)
        .type('text/html')
        .send(await documents.html(alternates));
      return;
    }
    const triples = documents.triples();
    const body = await serializeRdf(triples, chosen, {
      prefixes: documentPrefixes(triples, baseIri),
    });
    response.status(200).type(mediaTypeOf(chosen)).send(body);
  };

  router.get('/id', (_request, response) => sendNotFound(response, `${baseIri}id/`));
  router.get(
    '/id/*path',
    serveEntity(ENTITY_PATH, (below) => entityIri(baseIri, below)),
  );
  router.get('/topic/*path', serveEntity(TOPIC_PATH, topicIri));

  const serveOntology = async (request: Request, response: Response, next: NextFunction) => {
    const extension = (request.params as Record<string, unknown>).extension;
    if (extension !== undefined && typeof extension !== 'string') return next();
    const fixed = extension === undefined ? undefined : representationNamed(extension);
    if (extension !== undefined && !fixed) return next();
    const ontology = await describer.describeOntology();
    await respond(
      request,
      response,
      { iri: ONTOLOGY_IRI, path: ONTOLOGY_PATH, fixed },
      {
        html: (alternates) =>
          ontologyPage(
            ontology,
            {
              ...renderContext(response),
              labels: ontology.labels,
              blankNodes: ontology.blankNodes,
            },
            alternates,
          ),
        triples: () => ontology.triples,
      },
    );
  };
  router.get(ONTOLOGY_PATH, serveOntology);
  router.get(`${ONTOLOGY_PATH}.:extension`, serveOntology);
  return router;
}

/** The decoded path after `/id/` or `/topic/` (Express gives the wildcard as its segments). */
function pathBelow(request: Request): string | undefined {
  const segments: unknown = (request.params as Record<string, unknown>).path;
  if (Array.isArray(segments)) return segments.join('/');
  return typeof segments === 'string' ? segments : undefined;
}
