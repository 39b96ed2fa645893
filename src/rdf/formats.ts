/** The RDF serialisations the project reads and writes, keyed by a short name. */
export type RdfFormat = 'turtle' | 'trig' | 'ntriples' | 'nquads' | 'jsonld' | 'rdfxml';

interface FormatInfo {
  mediaType: string;
  /** File extensions, the first one canonical. */
  extensions: readonly string[];
  /** Whether the syntax can carry named graphs. */
  carriesGraphs: boolean;
}

export const RDF_FORMATS: Readonly<Record<RdfFormat, FormatInfo>> = {
  turtle: { mediaType: 'text/turtle', extensions: ['ttl'], carriesGraphs: false },
  trig: { mediaType: 'application/trig', extensions: ['trig'], carriesGraphs: true },
  ntriples: { mediaType: 'application/n-triples', extensions: ['nt'], carriesGraphs: false },
  nquads: { mediaType: 'application/n-quads', extensions: ['nq'], carriesGraphs: true },
  jsonld: { mediaType: 'application/ld+json', extensions: ['jsonld', 'json'], carriesGraphs: true },
  rdfxml: {
    mediaType: 'application/rdf+xml',
    extensions: ['rdf', 'rdfxml', 'owl'],
    carriesGraphs: false,
  },
};

/** Media types accepted as aliases when reading a request body. */
const MEDIA_TYPE_ALIASES: Readonly<Record<string, RdfFormat>> = {
  'application/x-turtle': 'turtle',
  'text/n3': 'turtle',
  'text/plain': 'ntriples',
  'application/json': 'jsonld',
  'application/xml': 'rdfxml',
  'text/xml': 'rdfxml',
};

export function formatFromMediaType(mediaType: string): RdfFormat | undefined {
  const bare = mediaType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    (Object.keys(RDF_FORMATS) as RdfFormat[]).find((f) => RDF_FORMATS[f].mediaType === bare) ??
    MEDIA_TYPE_ALIASES[bare]
  );
}

export function formatFromExtension(extension: string): RdfFormat | undefined {
  const wanted = extension.replace(/^\./, '').toLowerCase();
  return (Object.keys(RDF_FORMATS) as RdfFormat[]).find((format) =>
    RDF_FORMATS[format].extensions.includes(wanted),
  );
}

export function formatFromPath(path: string): RdfFormat | undefined {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : formatFromExtension(path.slice(dot + 1));
}
