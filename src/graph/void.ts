import { DataFactory, type Quad, type Quad_Object, type Quad_Subject, type Store } from 'n3';
import {
  DCAT,
  DCTERMS,
  FOAF,
  PREFIXES,
  RDF,
  SD,
  VOID,
  WD,
  WIKIDATA_QUERY_SERVICE,
  XSD,
  graphIris,
} from '../rdf/namespaces.js';
import { WIKIDATA_LINK_PREDICATES } from './describe.js';

const { namedNode, literal, blankNode, quad } = DataFactory;

export const CC0 = 'https://creativecommons.org/publicdomain/zero/1.0/';
const WIKIDATA_HOME = 'https://www.wikidata.org/';
const SPARQL_PROTOCOL = 'https://www.w3.org/TR/sparql11-protocol/';

/** Prefixes for writing a dataset description in Turtle. */
export const VOID_PREFIXES: Readonly<Record<string, string>> = {
  ...PREFIXES,
  void: VOID,
  dcat: DCAT,
  sd: SD,
};

/** A downloadable serialisation of the whole dataset. */
export interface DumpDistribution {
  url: string;
  mediaType: string;
  /** A short name used in the distribution's IRI (`…#dump-ttl`). */
  name: string;
}

export interface DatasetDescriptionOptions {
  baseIri: string;
  sparqlEndpoint: string;
  dumps: DumpDistribution[];
}

/**
 * The IRI of the description's resources, under the base where `/.well-known/void` maps it
 * (RFC 8615, VoID §7): `…/.well-known/void#dataset` is the dataset itself.
 */
export function voidIri(baseIri: string, name = 'dataset'): string {
  return `${baseIri}.well-known/void#${name}`;
}

/** Counts over the union of the named graphs, where a triple stored twice counts once. */
interface UnionStatistics {
  triples: number;
  distinctSubjects: number;
  distinctObjects: number;
  entitiesByClass: Map<string, number>;
  triplesByProperty: Map<string, number>;
  wikidataLinksByPredicate: Map<string, number>;
}

function unionStatistics(quads: Quad[]): UnionStatistics {
  const seen = new Set<string>();
  const subjects = new Set<string>();
  const objects = new Set<string>();
  const instancesByClass = new Map<string, Set<string>>();
  const triplesByProperty = new Map<string, number>();
  const wikidataLinksByPredicate = new Map<string, number>();
  const increment = (counts: Map<string, number>, key: string) =>
    counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const { subject, predicate, object } of quads) {
    const key = `${subject.termType}:${subject.value} ${predicate.value} ${object.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    subjects.add(`${subject.termType}:${subject.value}`);
    objects.add(object.id);
    increment(triplesByProperty, predicate.value);
    if (predicate.value === `${RDF}type` && object.termType === 'NamedNode') {
      const instances = instancesByClass.get(object.value) ?? new Set<string>();
      instances.add(`${subject.termType}:${subject.value}`);
      instancesByClass.set(object.value, instances);
    }
    const isLink = (WIKIDATA_LINK_PREDICATES as readonly string[]).includes(predicate.value);
    if (isLink && object.termType === 'NamedNode' && object.value.startsWith(WD)) {
      increment(wikidataLinksByPredicate, predicate.value);
    }
  }
  return {
    triples: seen.size,
    distinctSubjects: subjects.size,
    distinctObjects: objects.size,
    entitiesByClass: new Map([...instancesByClass].map(([cls, set]) => [cls, set.size])),
    triplesByProperty,
    wikidataLinksByPredicate,
  };
}

const sorted = (counts: Map<string, number>) =>
  [...counts].sort(([left], [right]) => left.localeCompare(right));

/**
 * The VoID and DCAT description of the dataset held by the store: its size, class and property
 * partitions, one subset per named graph, one void:Linkset per kind of link to Wikidata, the
 * dumps (void:dataDump and dcat:Distribution) and the SPARQL endpoint. Every number is computed
 * from the store when called, so it always matches what the endpoint and the dumps serve.
 */
export function describeDataset(graph: Store, options: DatasetDescriptionOptions): Quad[] {
  const quads: Quad[] = [];
  const local = (name: string) => namedNode(voidIri(options.baseIri, name));
  const dataset = local('dataset');
  const add = (subject: Quad_Subject, predicate: string, object: Quad_Object) =>
    quads.push(quad(subject, namedNode(predicate), object));
  const count = (value: number) => literal(String(value), namedNode(`${XSD}integer`));
  const text = (value: string, language: string) => literal(value, language);

  const stats = unionStatistics(graph.getQuads(null, null, null, null));

  add(dataset, `${RDF}type`, namedNode(`${VOID}Dataset`));
  add(dataset, `${RDF}type`, namedNode(`${DCAT}Dataset`));
  add(dataset, `${DCTERMS}title`, text('communs-kg : graphe des communs numériques', 'fr'));
  add(dataset, `${DCTERMS}title`, text('communs-kg: knowledge graph of the digital commons', 'en'));
  add(
    dataset,
    `${DCTERMS}description`,
    text(
      'Graphe de connaissances ouvert du débat sur les communs numériques : personnes, ' +
        'organisations, communs, événements et propos, chaque citation rattachée à sa source.',
      'fr',
    ),
  );
  add(
    dataset,
    `${DCTERMS}description`,
    text(
      'Open knowledge graph of the digital commons debate: people, organisations, commons, ' +
        'events and statements, each quote tied to its source.',
      'en',
    ),
  );
  add(dataset, `${DCTERMS}license`, namedNode(CC0));
  add(dataset, `${VOID}uriSpace`, literal(`${options.baseIri}id/`));
  add(dataset, `${VOID}sparqlEndpoint`, namedNode(options.sparqlEndpoint));
  add(dataset, `${VOID}triples`, count(stats.triples));
  add(dataset, `${VOID}distinctSubjects`, count(stats.distinctSubjects));
  add(dataset, `${VOID}distinctObjects`, count(stats.distinctObjects));
  add(dataset, `${VOID}classes`, count(stats.entitiesByClass.size));
  add(dataset, `${VOID}properties`, count(stats.triplesByProperty.size));
  for (const namespace of vocabulariesUsed(stats.triplesByProperty.keys())) {
    add(dataset, `${VOID}vocabulary`, namedNode(namespace));
  }

  for (const [cls, entities] of sorted(stats.entitiesByClass)) {
    const partition = blankNode();
    add(dataset, `${VOID}classPartition`, partition);
    add(partition, `${VOID}class`, namedNode(cls));
    add(partition, `${VOID}entities`, count(entities));
  }
  for (const [property, triples] of sorted(stats.triplesByProperty)) {
    const partition = blankNode();
    add(dataset, `${VOID}propertyPartition`, partition);
    add(partition, `${VOID}property`, namedNode(property));
    add(partition, `${VOID}triples`, count(triples));
  }

  const graphs = graphIris(options.baseIri);
  for (const name of Object.values(graphs)) {
    const subset = local(`graph-${name.slice(name.lastIndexOf('/') + 1)}`);
    add(dataset, `${VOID}subset`, subset);
    add(subset, `${RDF}type`, namedNode(`${VOID}Dataset`));
    add(subset, `${RDF}type`, namedNode(`${SD}NamedGraph`));
    add(subset, `${SD}name`, namedNode(name));
    add(subset, `${VOID}triples`, count(graph.countQuads(null, null, null, namedNode(name))));
  }

  const wikidata = local('wikidata');
  add(wikidata, `${RDF}type`, namedNode(`${VOID}Dataset`));
  add(wikidata, `${DCTERMS}title`, text('Wikidata', 'en'));
  add(wikidata, `${FOAF}homepage`, namedNode(WIKIDATA_HOME));
  add(wikidata, `${VOID}uriSpace`, literal(WD));
  add(wikidata, `${VOID}sparqlEndpoint`, namedNode(WIKIDATA_QUERY_SERVICE));
  for (const [predicate, links] of sorted(stats.wikidataLinksByPredicate)) {
    const linkset = local(`wikidata-links-${predicate.replace(/^.*[#/]/, '')}`);
    add(dataset, `${VOID}subset`, linkset);
    add(linkset, `${RDF}type`, namedNode(`${VOID}Linkset`));
    add(linkset, `${VOID}subjectsTarget`, dataset);
    add(linkset, `${VOID}objectsTarget`, wikidata);
    add(linkset, `${VOID}linkPredicate`, namedNode(predicate));
    add(linkset, `${VOID}triples`, count(links));
  }

  const service = local('sparql');
  add(dataset, `${DCAT}accessService`, service);
  add(service, `${RDF}type`, namedNode(`${DCAT}DataService`));
  add(service, `${DCAT}endpointURL`, namedNode(options.sparqlEndpoint));
  add(service, `${DCTERMS}conformsTo`, namedNode(SPARQL_PROTOCOL));
  add(service, `${DCAT}servesDataset`, dataset);

  for (const dump of options.dumps) {
    const distribution = local(`dump-${dump.name}`);
    add(dataset, `${VOID}dataDump`, namedNode(dump.url));
    add(dataset, `${DCAT}distribution`, distribution);
    add(distribution, `${RDF}type`, namedNode(`${DCAT}Distribution`));
    add(distribution, `${DCAT}downloadURL`, namedNode(dump.url));
    add(distribution, `${DCAT}accessURL`, namedNode(dump.url));
    add(
      distribution,
      `${DCAT}mediaType`,
      namedNode(`https://www.iana.org/assignments/media-types/${dump.mediaType}`),
    );
    add(distribution, `${DCTERMS}license`, namedNode(CC0));
  }
  return groupedBySubject(quads);
}

/**
 * Quads reordered so that each subject's statements are consecutive, in order of first mention:
 * Turtle writers then print each resource as one block, the dataset first.
 */
function groupedBySubject(quads: Quad[]): Quad[] {
  const groups = new Map<string, Quad[]>();
  for (const statement of quads) {
    const key = `${statement.subject.termType}:${statement.subject.value}`;
    groups.set(key, [...(groups.get(key) ?? []), statement]);
  }
  return [...groups.values()].flat();
}

/** The namespaces (from the project's prefixes) that the dataset's properties come from. */
function vocabulariesUsed(properties: Iterable<string>): string[] {
  const namespaces = new Set<string>();
  for (const property of properties) {
    const namespace = Object.values(PREFIXES)
      .filter((candidate) => property.startsWith(candidate))
      .sort((left, right) => right.length - left.length)[0];
    if (namespace) namespaces.add(namespace);
  }
  return [...namespaces].sort();
}
