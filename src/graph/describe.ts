import { DataFactory, Store, type Literal, type Quad, type Term } from 'n3';
import { CK, OA, OWL, PREFIXES, RDF, RDFS, SKOS, TOPIC, WD, graphIris } from '../rdf/namespaces.js';
import type { GraphReads } from '../store/graph-reads.js';
import { isIriRef } from '../store/ntriples.js';
import { entityScope, existenceScope, ontologyScope, spaceScope } from './scopes.js';
import { readLabels } from './classes.js';

const { namedNode, quad: makeQuad } = DataFactory;

/** The ontology document; its terms are `ONTOLOGY_IRI#Term` (the ck: namespace). */
export const ONTOLOGY_IRI = CK.replace(/#$/, '');

const rdfType = namedNode(`${RDF}type`);
const rdfsLabel = namedNode(`${RDFS}label`);
const text = namedNode(`${CK}text`);
const textVariant = namedNode(`${CK}textVariant`);
const claimant = namedNode(`${CK}claimant`);
const askedBy = namedNode(`${CK}askedBy`);
const mentions = namedNode(`${CK}mentions`);
const topic = namedNode(`${CK}topic`);
const source = namedNode(`${CK}source`);
const intervention = namedNode(`${CK}intervention`);
const selector = namedNode(`${CK}selector`);
const pullQuote = namedNode(`${CK}pullQuote`);
const exact = namedNode(`${OA}exact`);
const prefix = namedNode(`${OA}prefix`);
const suffix = namedNode(`${OA}suffix`);

/** Predicates whose object, when it is a Wikidata item, is a link to Wikidata. */
export const WIKIDATA_LINK_PREDICATES = [`${OWL}sameAs`, `${SKOS}exactMatch`] as const;

/** Labels of a resource: French and English, and any other as a last resort. */
export interface Labels {
  fr?: string;
  en?: string;
  other?: string;
}

/** Where an utterance sits in its source: the Web Annotation TextQuoteSelector. */
export interface TextQuote {
  prefix: string;
  exact: string;
  suffix: string;
}

/** What a page shows of a claim or a question, with the IRIs of what it links to. */
export interface UtteranceSummary {
  iri: string;
  types: string[];
  text?: Literal;
  textVariants: Literal[];
  pullQuote: boolean;
  /** The claimant of a claim, or the person asking a question. */
  speaker?: string;
  source?: string;
  intervention?: string;
  topics: string[];
  mentions: string[];
  quote?: TextQuote;
}

/** The statements of a resource as stored, and what is needed to display them. */
export interface ResourceView {
  /** Quads with the resource as subject, in every graph (the graph tells data from derived view). */
  statements: Quad[];
  /** Statements about the blank nodes reachable from those (selectors, OWL unions, RDF lists). */
  blankNodes: Map<string, Quad[]>;
  /** Labels of the IRIs the view names (types, predicates, objects, linked resources). */
  labels: Map<string, Labels>;
}

export interface EntityDescription extends ResourceView {
  iri: string;
  types: string[];
  /** Wikidata items the entity is linked to (owl:sameAs, skos:exactMatch). */
  wikidataItems: string[];
  /** Set when the entity is itself an utterance (it has a ck:text). */
  utterance?: UtteranceSummary;
  /** Claims the entity made and questions it asked. */
  utterancesBy: UtteranceSummary[];
  /** Utterances that mention the entity or have it as topic. */
  utterancesAbout: UtteranceSummary[];
  /** Other statements pointing at the entity (an affiliation naming an organisation, …). */
  referencedBy: Quad[];
  /** The RDF description served to RDF clients, as triples of the default graph. */
  triples: Quad[];
}

export type OntologyTermKind =
  'class' | 'objectProperty' | 'datatypeProperty' | 'annotationProperty' | 'individual';

export interface OntologyTerm {
  iri: string;
  localName: string;
  kind: OntologyTermKind;
  statements: Quad[];
}

export interface OntologyDescription extends ResourceView {
  /** The terms of the ck: namespace, in their kind's order then by local name. */
  terms: OntologyTerm[];
  /** The SKOS topics and their scheme, served under /topic/. */
  topics: string[];
  /** The whole ontology graph (vocabulary and topic scheme) as triples. */
  triples: Quad[];
}

export interface EntitySuggestion {
  iri: string;
  labels: Labels;
}

const TERM_KINDS: ReadonlyArray<[OntologyTermKind, string]> = [
  ['class', `${OWL}Class`],
  ['objectProperty', `${OWL}ObjectProperty`],
  ['datatypeProperty', `${OWL}DatatypeProperty`],
  ['annotationProperty', `${OWL}AnnotationProperty`],
];

const byIri = (left: string, right: string) => left.localeCompare(right, 'en', { numeric: true });

/** Drops the graph: RDF documents describe resources with plain triples. */
function asTriple(quad: Quad): Quad {
  return makeQuad(quad.subject, quad.predicate, quad.object);
}

/**
 * Describes the resources of the graph for the linked-data pages and documents. Each call reads a
 * view of the graph scoped to what it shows (graph/scopes.ts), so descriptions follow updates and
 * work the same on the embedded and a remote store; nothing here knows HTTP.
 */
export class EntityDescriber {
  constructor(
    private readonly reads: GraphReads,
    private readonly baseIri: string,
  ) {}

  /** Whether the graph says anything about the IRI (as a subject, in any graph). */
  async exists(iri: string): Promise<boolean> {
    if (!isIriRef(iri)) return false;
    return this.over(existenceScope(this.baseIri, iri)).then((d) => d.exists(iri));
  }

  /** See DescriptionReader#describe; undefined when the graph does not know the IRI. */
  async describe(iri: string): Promise<EntityDescription | undefined> {
    if (!isIriRef(iri)) return undefined;
    return (await this.over(entityScope(this.baseIri, iri))).describe(iri);
  }

  async describeOntology(): Promise<OntologyDescription> {
    return (await this.over(ontologyScope(this.baseIri))).describeOntology();
  }

  async suggestSimilar(iri: string, limit = 5): Promise<EntitySuggestion[]> {
    const space = iri.startsWith(TOPIC) ? TOPIC : `${this.baseIri}id/`;
    return (await this.over(spaceScope(this.baseIri, space))).suggestSimilar(iri, limit);
  }

  private async over(scope: string): Promise<DescriptionReader> {
    return new DescriptionReader(await this.reads.view(scope), this.baseIri);
  }
}

/** The descriptions, read synchronously from a view that holds what they show. */
class DescriptionReader {
  constructor(
    private readonly index: Store,
    private readonly baseIri: string,
  ) {}

  /** Whether the graph says anything about the IRI (as a subject, in any graph). */
  exists(iri: string): boolean {
    return this.index.countQuads(namedNode(iri), null, null, null) > 0;
  }

  /**
   * The description of an entity: its own statements in every graph (data and derived Wikidata
   * view), the blank nodes they reach (claim selectors), and the utterances by or about it with
   * their text, type, speaker and label. Undefined when the graph does not know the IRI.
   */
  describe(iri: string): EntityDescription | undefined {
    if (!this.exists(iri)) return undefined;
    const subject = namedNode(iri);
    const statements = this.index.getQuads(subject, null, null, null);
    const blankNodes = this.blankNodesReachedFrom(statements);
    const types = this.namedObjects(iri, rdfType);
    const wikidataItems = WIKIDATA_LINK_PREDICATES.flatMap((predicate) =>
      this.namedObjects(iri, namedNode(predicate)),
    ).filter((object) => object.startsWith(WD));
    const isUtterance = this.index.countQuads(subject, text, null, null) > 0;
    const utterancesBy = this.utterancesLinkedBy([claimant, askedBy], iri);
    const utterancesAbout = this.utterancesLinkedBy([mentions, topic], iri);
    const fromUtterances = new Set([...utterancesBy, ...utterancesAbout].map((u) => u.iri));
    const referencedBy = this.index
      .getQuads(null, null, subject, null)
      .filter((quad) => !fromUtterances.has(quad.subject.value))
      .sort((left, right) => byIri(left.subject.value, right.subject.value));

    const description: EntityDescription = {
      iri,
      statements,
      blankNodes,
      labels: new Map(),
      types,
      wikidataItems,
      utterance: isUtterance ? this.summarizeUtterance(iri) : undefined,
      utterancesBy,
      utterancesAbout,
      referencedBy,
      triples: this.entityTriples(iri, statements, blankNodes, [
        ...utterancesBy,
        ...utterancesAbout,
      ]),
    };
    description.labels = this.labelsFor(iriNamedIn(description));
    return description;
  }

  /** The ck: vocabulary term by term, with the topic scheme and the ontology graph's triples. */
  describeOntology(): OntologyDescription {
    const graph = graphIris(this.baseIri).ontology;
    const quads = this.index.getQuads(null, null, null, namedNode(graph));
    const subjects = new Set(
      quads
        .filter((quad) => quad.subject.termType === 'NamedNode')
        .map((quad) => quad.subject.value),
    );
    const terms = [...subjects]
      .filter((iri) => iri.startsWith(CK) && iri.length > CK.length)
      .map((iri) => this.ontologyTerm(iri, graph))
      .sort(
        (left, right) =>
          termKindOrder(left.kind) - termKindOrder(right.kind) ||
          byIri(left.localName, right.localName),
      );
    const header = this.index.getQuads(namedNode(ONTOLOGY_IRI), null, null, namedNode(graph));
    const statements = [...header, ...terms.flatMap((term) => term.statements)];
    const topics = [...subjects].filter((iri) => iri.startsWith(TOPIC)).sort(byIri);
    const view: ResourceView = {
      statements,
      blankNodes: this.blankNodesReachedFrom(statements),
      labels: new Map(),
    };
    view.labels = this.labelsFor([
      ...terms.map((term) => term.iri),
      ...iriNamedInView(view),
      ...topics,
    ]);
    return { ...view, terms, topics, triples: quads.map(asTriple) };
  }

  /**
   * Existing entities whose IRI looks like the one asked for: topics for a topic, otherwise
   * entities of the same kind (`id/person/…`) first, ranked by edit distance between slugs.
   */
  suggestSimilar(iri: string, limit = 5): EntitySuggestion[] {
    const space = iri.startsWith(TOPIC) ? TOPIC : `${this.baseIri}id/`;
    // Slugs are short: comparing a very long one (a 16 KB path) with every entity's would hold
    // the main thread for seconds, so only its start counts.
    const asked = iri.startsWith(space) ? iri.slice(space.length) : iri;
    const wanted = splitEntityPath(asked.slice(0, MAX_SLUG_COMPARED));
    const candidates = this.index
      .getSubjects(null, null, null)
      .filter((term) => term.termType === 'NamedNode' && term.value.startsWith(space))
      .map((term) => ({ iri: term.value, ...splitEntityPath(term.value.slice(space.length)) }));
    const sameKind = candidates.filter((candidate) => candidate.kind === wanted.kind);
    const pool = sameKind.length > 0 ? sameKind : candidates;
    return pool
      .map((candidate) => ({
        iri: candidate.iri,
        distance: normalizedEditDistance(wanted.slug, candidate.slug),
      }))
      .sort((left, right) => left.distance - right.distance || byIri(left.iri, right.iri))
      .slice(0, limit)
      .map(({ iri: found }) => ({ iri: found, labels: this.labelsOf(found) }));
  }

  /** French, English and fallback labels (rdfs:label, else skos:prefLabel). */
  labelsOf(iri: string): Labels {
    return readLabels(this.index, iri);
  }

  private labelsFor(iris: Iterable<string>): Map<string, Labels> {
    const labels = new Map<string, Labels>();
    for (const iri of iris) if (!labels.has(iri)) labels.set(iri, this.labelsOf(iri));
    return labels;
  }

  private namedObjects(iri: string, predicate: Term): string[] {
    const values = this.index
      .getObjects(namedNode(iri), predicate, null)
      .filter((term) => term.termType === 'NamedNode')
      .map((term) => term.value);
    return [...new Set(values)].sort(byIri);
  }

  private literalObjects(iri: string, predicate: Term): Literal[] {
    return this.index
      .getObjects(namedNode(iri), predicate, null)
      .filter((term): term is Literal => term.termType === 'Literal');
  }

  /** A blank-node closure, as in a Concise Bounded Description (cycles are followed once). */
  private blankNodesReachedFrom(statements: Quad[]): Map<string, Quad[]> {
    const reached = new Map<string, Quad[]>();
    const pending = statements.map((quad) => quad.object);
    for (let object = pending.pop(); object; object = pending.pop()) {
      if (object.termType !== 'BlankNode' || reached.has(object.value)) continue;
      const quads = this.index.getQuads(object, null, null, null);
      reached.set(object.value, quads);
      pending.push(...quads.map((quad) => quad.object));
    }
    return reached;
  }

  private utterancesLinkedBy(predicates: Term[], iri: string): UtteranceSummary[] {
    const subjects = new Set(
      predicates.flatMap((predicate) =>
        this.index.getSubjects(predicate, namedNode(iri), null).map((term) => term.value),
      ),
    );
    return [...subjects].sort(byIri).map((subject) => this.summarizeUtterance(subject));
  }

  private summarizeUtterance(iri: string): UtteranceSummary {
    const selectorNode = this.index.getObjects(namedNode(iri), selector, null)[0];
    const quoteValue = (predicate: Term) =>
      selectorNode ? this.index.getObjects(selectorNode, predicate, null)[0]?.value : undefined;
    const exactText = quoteValue(exact);
    return {
      iri,
      types: this.namedObjects(iri, rdfType),
      text: this.literalObjects(iri, text)[0],
      textVariants: this.literalObjects(iri, textVariant),
      pullQuote: this.literalObjects(iri, pullQuote).some((literal) => literal.value === 'true'),
      speaker: this.namedObjects(iri, claimant)[0] ?? this.namedObjects(iri, askedBy)[0],
      source: this.namedObjects(iri, source)[0],
      intervention: this.namedObjects(iri, intervention)[0],
      topics: this.namedObjects(iri, topic),
      mentions: this.namedObjects(iri, mentions),
      quote:
        exactText === undefined
          ? undefined
          : {
              prefix: quoteValue(prefix) ?? '',
              exact: exactText,
              suffix: quoteValue(suffix) ?? '',
            },
    };
  }

  /**
   * The RDF document of an entity: its statements and blank-node closure, plus for each utterance
   * by or about it the link to it, its type, label, text, speaker, source and selector, so that an
   * RDF client gets in one request the quotes the HTML page shows (topics and intervention are one
   * dereference away, on the utterance itself).
   */
  private entityTriples(
    iri: string,
    statements: Quad[],
    blankNodes: Map<string, Quad[]>,
    utterances: UtteranceSummary[],
  ): Quad[] {
    const document = new Store();
    const add = (quads: Quad[]) => document.addQuads(quads.map(asTriple));
    add(statements);
    for (const quads of blankNodes.values()) add(quads);
    const linkPredicates = [claimant, askedBy, mentions, topic];
    for (const utterance of utterances) {
      const subject = namedNode(utterance.iri);
      add(linkPredicates.flatMap((p) => this.index.getQuads(subject, p, namedNode(iri), null)));
      const summary = [rdfType, rdfsLabel, text, claimant, askedBy, source, selector].flatMap(
        (predicate) => this.index.getQuads(subject, predicate, null, null),
      );
      add(summary);
      for (const quads of this.blankNodesReachedFrom(summary).values()) add(quads);
    }
    return document.getQuads(null, null, null, null);
  }

  private ontologyTerm(iri: string, graph: string): OntologyTerm {
    const types = this.namedObjects(iri, rdfType);
    const kind = TERM_KINDS.find(([, type]) => types.includes(type))?.[0] ?? 'individual';
    return {
      iri,
      localName: iri.slice(CK.length),
      kind,
      statements: this.index.getQuads(namedNode(iri), null, null, namedNode(graph)),
    };
  }
}

function termKindOrder(kind: OntologyTermKind): number {
  const index = TERM_KINDS.findIndex(([candidate]) => candidate === kind);
  return index < 0 ? TERM_KINDS.length : index;
}

/** Every IRI an entity description names, whose label a page may show. */
function iriNamedIn(description: EntityDescription): string[] {
  const utterances = [
    ...(description.utterance ? [description.utterance] : []),
    ...description.utterancesBy,
    ...description.utterancesAbout,
  ];
  return [
    description.iri,
    ...iriNamedInView(description),
    ...description.types,
    ...description.referencedBy.flatMap((quad) => [quad.subject.value, quad.predicate.value]),
    ...utterances.flatMap((utterance) => [
      utterance.iri,
      ...utterance.types,
      ...utterance.topics,
      ...utterance.mentions,
      ...[utterance.speaker, utterance.source, utterance.intervention].filter(
        (value): value is string => value !== undefined,
      ),
    ]),
  ];
}

function iriNamedInView(view: Pick<ResourceView, 'statements' | 'blankNodes'>): string[] {
  return [...view.statements, ...[...view.blankNodes.values()].flat()].flatMap((quad) =>
    [quad.predicate, quad.object]
      .filter((term) => term.termType === 'NamedNode')
      .map((term) => term.value),
  );
}

function splitEntityPath(path: string): { kind: string; slug: string } {
  const slash = path.indexOf('/');
  return slash < 0
    ? { kind: '', slug: path }
    : { kind: path.slice(0, slash), slug: path.slice(slash + 1) };
}

/** How much of a requested path `suggestSimilar` compares with the entities' slugs. */
const MAX_SLUG_COMPARED = 200;

/** Levenshtein distance divided by the longer length: 0 for equal slugs, 1 for unrelated ones. */
export function normalizedEditDistance(left: string, right: string): number {
  const longer = Math.max(left.length, right.length);
  if (longer === 0) return 0;
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (left[i - 1] === right[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return (previous[right.length] ?? longer) / longer;
}

/**
 * Turtle prefixes for a document: the project's, plus one per kind of entity it names under the
 * base (`person:` for `<base>id/person/`), so that descriptions read like the files in data/.
 */
export function documentPrefixes(quads: Iterable<Quad>, baseIri: string): Record<string, string> {
  const prefixes: Record<string, string> = { ...PREFIXES };
  const space = `${baseIri}id/`;
  for (const quad of quads) {
    for (const term of [quad.subject, quad.object]) {
      if (term.termType !== 'NamedNode' || !term.value.startsWith(space)) continue;
      const kind = splitEntityPath(term.value.slice(space.length)).kind;
      if (/^[a-z][a-z0-9-]*[a-z0-9]$/.test(kind) && !(kind in prefixes)) {
        prefixes[kind] = `${space}${kind}/`;
      }
    }
  }
  return prefixes;
}
