/**
 * What the runner talks to: the server over HTTP (the real target) or, to check the harness
 * itself, Comunica in-process. Replies look like HTTP replies either way.
 */
import type { Quad } from 'n3';

export interface Reply {
  status: number;
  contentType: string | null;
  body: string;
  /** The Location header, when there is one. */
  location?: string | null;
}

export interface Target {
  readonly name: string;
  /** Whether protocol-level tests (ht:Request exchanges, service description) can run. */
  readonly url?: string;
  /** Empties the store: every graph, the default graph included. */
  reset(): Promise<void>;
  /**
   * Loads an RDF document into the default graph (graph null) or a named graph; `append` adds to
   * the graph (Graph Store POST) instead of replacing it (PUT).
   */
  load(graph: string | null, text: string, mediaType: string, append: boolean): Promise<Reply>;
  /** Runs a query; `baseIri` is the query document's IRI, `accept` an Accept header value. */
  query(text: string, baseIri: string, accept: string): Promise<Reply>;
  update(text: string, baseIri: string): Promise<Reply>;
  /** Every quad of the store: its default graph, and its named graphs (at least `graphs`). */
  dump(graphs: readonly string[]): Promise<Quad[]>;
  close(): Promise<void>;
}

/** Media types of the files the suite loads as data. */
export function dataMediaType(path: string): string {
  const extension = path.replace(/^.*\./, '').toLowerCase();
  const types: Record<string, string> = {
    ttl: 'text/turtle',
    nt: 'application/n-triples',
    nq: 'application/n-quads',
    trig: 'application/trig',
    rdf: 'application/rdf+xml',
    jsonld: 'application/ld+json',
  };
  const type = types[extension];
  if (!type) throw new Error(`no media type for data file ${path}`);
  return type;
}

/**
 * A query or update document with its base IRI stated in it, since the protocol has no other way
 * to give one. BASE may open any prologue and a later BASE resolves against it, so this is safe.
 */
export function withBase(text: string, baseIri: string): string {
  return `BASE <${baseIri}>\n${text}`;
}
