import type { Request } from 'express';
import { RDF_FORMATS, formatFromExtension, type RdfFormat } from '../rdf/formats.js';

/** A form a resource can be served in: the HTML page or one RDF serialisation. */
export type Representation = 'html' | RdfFormat;

/** Every RDF format the project writes, in the order preferred when a client accepts any. */
export const RDF_REPRESENTATIONS = Object.keys(RDF_FORMATS) as RdfFormat[];

/** What to call each representation in links and messages. */
export const REPRESENTATION_NAMES: Readonly<Record<Representation, string>> = {
  html: 'HTML',
  turtle: 'Turtle',
  trig: 'TriG',
  ntriples: 'N-Triples',
  nquads: 'N-Quads',
  jsonld: 'JSON-LD',
  rdfxml: 'RDF/XML',
};

/** Media types a representation answers to; the first is the one it is served as. */
function mediaTypesOf(representation: Representation): string[] {
  if (representation === 'html') return ['text/html', 'application/xhtml+xml'];
  const canonical = RDF_FORMATS[representation].mediaType;
  // Plain JSON clients get JSON-LD, which is JSON.
  return representation === 'jsonld' ? [canonical, 'application/json'] : [canonical];
}

export function mediaTypeOf(representation: Representation): string {
  return mediaTypesOf(representation)[0] ?? 'application/octet-stream';
}

/** The file extension of a representation's own URL (`.ttl`, `.jsonld`, `.html`). */
export function extensionOf(representation: Representation): string {
  if (representation === 'html') return 'html';
  return RDF_FORMATS[representation].extensions[0] ?? representation;
}

/**
 * Reads an extension or a `?format=` value: a file extension (`ttl`, `nt`, `jsonld`, `html`) or
 * a format name (`turtle`, `ntriples`).
 */
export function representationNamed(name: string): Representation | undefined {
  const wanted = name.toLowerCase();
  if (wanted === 'html' || wanted === 'htm') return 'html';
  if ((RDF_REPRESENTATIONS as string[]).includes(wanted)) return wanted as RdfFormat;
  return formatFromExtension(wanted);
}

/**
 * The offered representation the client prefers, by `Accept` and its q-values; the first offered
 * one when the client states no preference (no `Accept`, or `*∕*`). Undefined: nothing acceptable.
 */
export function negotiate(
  request: Request,
  offered: readonly Representation[],
): Representation | undefined {
  const candidates = offered.flatMap((representation) =>
    mediaTypesOf(representation).map((mediaType) => ({ representation, mediaType })),
  );
  const chosen = request.accepts(candidates.map((candidate) => candidate.mediaType));
  return candidates.find((candidate) => candidate.mediaType === chosen)?.representation;
}

/** The `?format=` of a request: absent, a known representation, or an error to report. */
export function requestedFormat(
  request: Request,
): { representation?: Representation } | { unknown: string } {
  const value = request.query.format;
  if (value === undefined) return {};
  const representation = typeof value === 'string' ? representationNamed(value) : undefined;
  return representation ? { representation } : { unknown: String(value) };
}
