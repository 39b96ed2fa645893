declare module '@graphy/content.xml.scribe' {
  import type { Duplex } from 'node:stream';
  /** graphy's streaming RDF/XML writer: write RDF/JS quads, read XML text. */
  export default function createRdfXmlWriter(options?: {
    prefixes?: Record<string, string>;
  }): Duplex;
}
