/** Vocabulary namespaces. The ontology's own namespace is fixed; data IRIs hang off a configurable base. */
export const CK = 'https://w3id.org/communs-kg/ontology#';
export const TOPIC = 'https://w3id.org/communs-kg/topic/';
export const WD = 'http://www.wikidata.org/entity/';
export const WDT = 'http://www.wikidata.org/prop/direct/';
export const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
export const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
export const OWL = 'http://www.w3.org/2002/07/owl#';
export const XSD = 'http://www.w3.org/2001/XMLSchema#';
export const SKOS = 'http://www.w3.org/2004/02/skos/core#';
export const SH = 'http://www.w3.org/ns/shacl#';
export const OA = 'http://www.w3.org/ns/oa#';
export const DCTERMS = 'http://purl.org/dc/terms/';
export const FOAF = 'http://xmlns.com/foaf/0.1/';
export const SD = 'http://www.w3.org/ns/sparql-service-description#';
export const VOID = 'http://rdfs.org/ns/void#';
export const DCAT = 'http://www.w3.org/ns/dcat#';
export const PROV = 'http://www.w3.org/ns/prov#';

export const WIKIDATA_QUERY_SERVICE = 'https://query.wikidata.org/sparql';

export const DEFAULT_BASE_IRI = 'https://w3id.org/communs-kg/';

/** Prefixes written in Turtle/TriG output and accepted in queries typed at the CLI. */
export const PREFIXES: Readonly<Record<string, string>> = {
  ck: CK,
  topic: TOPIC,
  wd: WD,
  wdt: WDT,
  rdf: RDF,
  rdfs: RDFS,
  owl: OWL,
  xsd: XSD,
  skos: SKOS,
  schema: 'https://schema.org/',
  foaf: FOAF,
  dcterms: DCTERMS,
  prov: PROV,
  oa: OA,
};

/** The named graphs the store keeps, all under the base IRI. The default graph is their union. */
export function graphIris(baseIri: string) {
  return {
    ontology: `${baseIri}graph/ontology`,
    data: `${baseIri}graph/data`,
    wikidataView: `${baseIri}graph/wikidata-view`,
    /** PROV-O records of applied changesets; written by the server only. */
    history: `${baseIri}graph/history`,
    /** When each entity was last reviewed; written by the server only. */
    gardening: `${baseIri}graph/gardening`,
  } as const;
}
