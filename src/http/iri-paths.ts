import { CK, TOPIC, WD, WDT } from '../rdf/namespaces.js';
import { ONTOLOGY_IRI } from '../graph/describe.js';

/**
 * The mapping between the graph's IRIs and this server's paths, as Pubby's dataset base does:
 * `<base>id/…` is served at `/id/…` whatever host the server runs on, the fixed vocabulary
 * (`…/ontology#Term`) at `/ontology#Term` and the fixed topics (`…/topic/x`) at `/topic/x`.
 */

export const ENTITY_PATH = '/id/';
export const TOPIC_PATH = '/topic/';
export const ONTOLOGY_PATH = '/ontology';

/** The IRI that a path below `/id/` stands for (`person/henri-verdier` → `<base>id/person/…`). */
export function entityIri(baseIri: string, pathBelowId: string): string {
  return `${baseIri}id/${pathBelowId}`;
}

export function topicIri(pathBelowTopic: string): string {
  return `${TOPIC}${pathBelowTopic}`;
}

/** The local path where this server describes an IRI, or undefined when it lives elsewhere. */
export function localPath(iri: string, baseIri: string): string | undefined {
  // The vocabulary and the topics come first: under the default base they are also under it.
  if (iri === ONTOLOGY_IRI) return ONTOLOGY_PATH;
  if (iri.startsWith(CK)) return `${ONTOLOGY_PATH}#${encodeURIComponent(iri.slice(CK.length))}`;
  if (iri.startsWith(TOPIC)) return `${TOPIC_PATH}${encodeURI(iri.slice(TOPIC.length))}`;
  const entities = `${baseIri}id/`;
  if (iri.startsWith(entities)) return `${ENTITY_PATH}${encodeURI(iri.slice(entities.length))}`;
  return undefined;
}

/** The human-readable page of a Wikidata item or property, for links from HTML. */
export function wikidataPage(iri: string): string | undefined {
  if (iri.startsWith(WD)) return `https://www.wikidata.org/wiki/${iri.slice(WD.length)}`;
  if (iri.startsWith(WDT)) return `https://www.wikidata.org/wiki/Property:${iri.slice(WDT.length)}`;
  return undefined;
}

/**
 * Where a link to an IRI should point: the local page, the Wikidata page, or the IRI itself when
 * it is a web address. Other schemes (`javascript:`, `urn:`…) get no link at all.
 */
export function hrefFor(iri: string, baseIri: string): string | undefined {
  return (
    localPath(iri, baseIri) ?? wikidataPage(iri) ?? (/^https?:\/\//i.test(iri) ? iri : undefined)
  );
}
