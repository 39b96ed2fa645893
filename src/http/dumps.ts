import express, { type Request, type Response, type Router } from 'express';
import type { Settings } from '../config/settings.js';
import { documentPrefixes } from '../graph/describe.js';
import { VOID_PREFIXES, describeDataset, type DumpDistribution } from '../graph/void.js';
import type { RdfFormat } from '../rdf/formats.js';
import { serializeRdf } from '../rdf/serialize.js';
import { projectScope } from '../graph/scopes.js';
import type { GraphReads } from '../store/graph-reads.js';
import {
  RDF_REPRESENTATIONS,
  extensionOf,
  mediaTypeOf,
  negotiate,
  requestedFormat,
} from './negotiation.js';

export interface DumpsDependencies {
  store: GraphReads;
  settings: Pick<Settings, 'baseIri'>;
}

export const DUMP_PATH = '/export/dump';
export const VOID_PATH = '/.well-known/void';
const DUMP_FILE_NAME = 'communs-kg';

/** The dump of each RDF format, at `/export/dump.<extension>`. */
export function dumpPaths(): Array<{ format: RdfFormat; path: string }> {
  return RDF_REPRESENTATIONS.map((format) => ({
    format,
    path: `${DUMP_PATH}.${extensionOf(format)}`,
  }));
}

/** The server's own origin as the client reached it, for absolute URLs in the VoID. */
function origin(request: Request): string {
  return `${request.protocol}://${request.get('host') ?? 'localhost'}`;
}

/**
 * Whole-graph downloads and the dataset's description. Dumps are serialised from the store on
 * each request, so they always hold what /sparql answers over. Turtle and N-Triples carry the
 * union of the named graphs; TriG, N-Quads and JSON-LD keep the graphs.
 */
export function dumpsRouter(deps: DumpsDependencies): Router {
  const router = express.Router();
  const { store } = deps;
  const { baseIri } = deps.settings;

  for (const { format, path } of dumpPaths()) {
    router.get(path, async (_request: Request, response: Response) => {
      const quads = (await store.view(projectScope(baseIri))).getQuads(null, null, null, null);
      const body = await serializeRdf(quads, format, {
        prefixes: documentPrefixes(quads, baseIri),
      });
      response
        .status(200)
        .type(mediaTypeOf(format))
        .setHeader(
          'Content-Disposition',
          `attachment; filename="${DUMP_FILE_NAME}.${extensionOf(format)}"`,
        )
        .send(body);
    });
  }

  router.get(VOID_PATH, async (request: Request, response: Response) => {
    const format = requestedFormat(request);
    if ('unknown' in format || format.representation === 'html') {
      const known = RDF_REPRESENTATIONS.map(extensionOf).join(', ');
      response.status(400).type('text/plain').send(`Unknown format. Known: ${known}.\n`);
      return;
    }
    const chosen = format.representation ?? negotiate(request, RDF_REPRESENTATIONS);
    if (!format.representation) response.vary('Accept');
    if (!chosen || chosen === 'html') {
      const offered = RDF_REPRESENTATIONS.map(mediaTypeOf).join(', ');
      response
        .status(406)
        .type('text/plain')
        .send(`Not acceptable. VoID is served as ${offered}.\n`);
      return;
    }
    const here = origin(request);
    const dumps: DumpDistribution[] = dumpPaths().map(({ format: dumpFormat, path }) => ({
      url: `${here}${path}`,
      mediaType: mediaTypeOf(dumpFormat),
      name: extensionOf(dumpFormat),
    }));
    const description = describeDataset(await store.view(projectScope(baseIri)), {
      baseIri,
      sparqlEndpoint: `${here}/sparql`,
      dumps,
    });
    const body = await serializeRdf(description, chosen, {
      prefixes: { ...VOID_PREFIXES },
      jsonldContext: { ...VOID_PREFIXES },
    });
    response.status(200).type(mediaTypeOf(chosen)).send(body);
  });
  return router;
}
