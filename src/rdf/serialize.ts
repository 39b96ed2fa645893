import { readFile } from 'node:fs/promises';
import { Writer, type Quad } from 'n3';
import { unionAsTriples } from './quads.js';
import type jsonldTypes from 'jsonld';
import { RDF_FORMATS, type RdfFormat } from './formats.js';
import { PREFIXES } from './namespaces.js';
import { PROJECT_ROOT } from '../paths.js';

export interface SerializeOptions {
  prefixes?: Record<string, string>;
  /** The JSON-LD context to compact with; by default the project's ontology/context.jsonld. */
  jsonldContext?: Record<string, unknown>;
}

/**
 * Serialises quads. Triple-only syntaxes (Turtle, N-Triples) receive the union of all graphs,
 * without duplicates; TriG, N-Quads and JSON-LD keep the named graphs.
 */
export async function serializeRdf(
  quads: Iterable<Quad>,
  format: RdfFormat,
  options: SerializeOptions = {},
): Promise<string> {
  const list = RDF_FORMATS[format].carriesGraphs ? [...quads] : unionAsTriples(quads);
  if (format === 'jsonld') return serializeJsonLd(list, options);
  if (format === 'rdfxml') return serializeRdfXml(list, options.prefixes ?? PREFIXES);
  const prefixes = format === 'turtle' || format === 'trig' ? (options.prefixes ?? PREFIXES) : {};
  const writer = new Writer({ format: RDF_FORMATS[format].mediaType, prefixes });
  writer.addQuads(list);
  return new Promise((resolve, reject) =>
    writer.end((error, result: string) => (error ? reject(error) : resolve(result))),
  );
}

let projectContext: Record<string, unknown> | undefined;

export async function loadProjectContext(): Promise<Record<string, unknown>> {
  if (!projectContext) {
    const file = JSON.parse(await readFile(`${PROJECT_ROOT}ontology/context.jsonld`, 'utf8'));
    projectContext = file['@context'] as Record<string, unknown>;
  }
  return projectContext;
}

async function serializeJsonLd(quads: Quad[], options: SerializeOptions): Promise<string> {
  const nquads = await serializeRdf(quads, 'nquads');
  const { default: jsonld } = await import('jsonld');
  // Native types off: literals keep their exact lexical form, so a round trip is lossless.
  const expanded = await jsonld.fromRDF(nquads, {
    format: 'application/n-quads',
    useNativeTypes: false,
  });
  const context = options.jsonldContext ?? (await loadProjectContext());
  const compacted = await jsonld.compact(expanded, context as jsonldTypes.ContextDefinition);
  return `${JSON.stringify(compacted, null, 2)}\n`;
}

/** Raised when a graph cannot be written in a syntax, e.g. a predicate RDF/XML cannot name. */
export class UnserializableError extends Error {}

/**
 * RDF/XML must spell every predicate as an XML qualified name; an IRI ending in "#" or "/", or
 * whose local part starts with a digit, cannot be written. The writer would skip such triples, so
 * they are refused up front rather than silently lost.
 */
async function serializeRdfXml(quads: Quad[], prefixes: Record<string, string>): Promise<string> {
  const unnameable = quads.find((q) => !/[\p{L}_][\p{L}\p{N}_.-]*$/u.test(q.predicate.value));
  if (unnameable) {
    throw new UnserializableError(
      `RDF/XML cannot express the predicate <${unnameable.predicate.value}>; use another format`,
    );
  }
  const { default: createRdfXmlWriter } = await import('@graphy/content.xml.scribe');
  return new Promise((resolve, reject) => {
    const writer = createRdfXmlWriter({ prefixes });
    let text = '';
    writer.on('data', (chunk: string | Buffer) => (text += chunk.toString()));
    writer.on('error', reject);
    writer.on('end', () => resolve(text));
    for (const quad of quads) writer.write(quad);
    writer.end();
  });
}
