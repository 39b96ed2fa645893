import { DataFactory, type Literal, type Term, type Store } from 'n3';
import { CK, RDF, SKOS, graphIris } from '../rdf/namespaces.js';
import { ClassIndex, byName, type EntityRef } from './classes.js';

const { namedNode } = DataFactory;
const SCHEMA = 'https://schema.org/';
const ck = (name: string) => namedNode(`${CK}${name}`);
const rdfType = namedNode(`${RDF}type`);

/** Text in French and in English, when the graph has them. */
export interface Bilingual {
  fr?: string;
  en?: string;
}

export interface Speaker extends EntityRef {
  /** The role as the event states it (ck:roleTitle of the affiliation stated at it). */
  role: Bilingual;
  organisation?: EntityRef;
}

export interface RoundTable extends EntityRef {
  ordinal?: number;
  /** "Première Table Ronde", as the page names it. */
  altLabels: Bilingual;
  moderators: EntityRef[];
  speakers: Speaker[];
}

export interface ClaimSummary extends EntityRef {
  text: string;
  /** What it says in English (schema:description), when the graph has it. */
  english?: string;
  quote: boolean;
  speaker?: EntityRef;
}

export interface TopicClaims {
  topic: EntityRef;
  claims: ClaimSummary[];
}

export interface ConferenceOverview extends EntityRef {
  description: Bilingual;
  date?: string;
  place?: EntityRef;
  organisers: EntityRef[];
  moderators: EntityRef[];
  themes: EntityRef[];
  roundTables: RoundTable[];
  /** Every topic with the claims made at the conference about it, most discussed first. */
  topics: TopicClaims[];
  /** How many claims in all (a claim on two topics is listed under both). */
  claimCount: number;
}

/**
 * The conference as a journalist would read it: the event, its round tables in order with their
 * speakers (role and organisation as stated at the event, in speaking order), and the claims made
 * there grouped by topic. Claims belong to it through their intervention (ck:partOf+) or through
 * their source document (schema:about the conference), so contributed claims show up too.
 */
export class ConferenceReader {
  private readonly classes: ClassIndex;

  constructor(
    private readonly index: Store,
    private readonly baseIri: string,
  ) {
    this.classes = new ClassIndex(index);
  }

  /** The conferences of the graph, by name. */
  list(): EntityRef[] {
    return this.classes.instancesOf(`${CK}Conference`);
  }

  read(iri: string): ConferenceOverview | undefined {
    if (!this.list().some((conference) => conference.iri === iri)) return undefined;
    const roundTables = this.subjects(ck('partOf'), iri)
      .filter((part) => this.classes.kindOf(part) === 'event' && this.has(part, 'seriesOrdinal'))
      .filter((part) => this.objects(part, ck('speaker')).length > 0)
      .map((part) => this.roundTable(part, iri))
      .sort((left, right) => (left.ordinal ?? 99) - (right.ordinal ?? 99));
    const claims = this.claimsOf(iri);
    const byTopic = new Map<string, ClaimSummary[]>();
    for (const claim of claims) {
      for (const topic of this.objects(claim.iri, ck('topic'))) {
        byTopic.set(topic, [...(byTopic.get(topic) ?? []), claim]);
      }
    }
    const topics = [...byTopic.entries()]
      .map(([topic, list]) => ({ topic: this.ref(topic), claims: list }))
      .sort(
        (left, right) =>
          right.claims.length - left.claims.length || byName(left.topic, right.topic),
      );
    const date = this.literals(iri, ck('date'))[0]?.value;
    const place = this.objects(iri, ck('place'))[0];
    return {
      ...this.ref(iri),
      description: this.bilingual(iri, namedNode(`${SCHEMA}description`)),
      date,
      place: place ? this.ref(place) : undefined,
      organisers: this.refs(this.objects(iri, ck('organiser'))),
      moderators: this.refs(this.objects(iri, ck('moderator'))),
      themes: this.refs(this.objects(iri, ck('theme'))),
      roundTables,
      topics,
      claimCount: claims.length,
    };
  }

  private roundTable(iri: string, conference: string): RoundTable {
    const ordinalOf = (node: string) => Number(this.literals(node, ck('seriesOrdinal'))[0]?.value);
    const order = new Map<string, number>();
    for (const intervention of this.subjects(ck('partOf'), iri)) {
      for (const speaker of this.objects(intervention, ck('speaker'))) {
        order.set(speaker, ordinalOf(intervention));
      }
    }
    const speakers = this.objects(iri, ck('speaker'))
      .map((speaker) => this.speaker(speaker, conference))
      .sort((left, right) => (order.get(left.iri) ?? 99) - (order.get(right.iri) ?? 99));
    const ordinal = ordinalOf(iri);
    return {
      ...this.ref(iri),
      ordinal: Number.isFinite(ordinal) ? ordinal : undefined,
      altLabels: this.bilingual(iri, namedNode(`${SKOS}altLabel`)),
      moderators: this.refs(this.objects(iri, ck('moderator'))),
      speakers,
    };
  }

  private speaker(iri: string, conference: string): Speaker {
    const affiliations = this.objects(iri, ck('affiliation'));
    const stated =
      affiliations.find((a) => this.objects(a, ck('statedAt')).includes(conference)) ??
      affiliations[0];
    const organisation = stated ? this.objects(stated, ck('organisation'))[0] : undefined;
    return {
      ...this.ref(iri),
      role: stated ? this.bilingual(stated, ck('roleTitle')) : {},
      organisation: organisation ? this.ref(organisation) : undefined,
    };
  }

  /** Claims said during the conference or taken from a document about it, in IRI order. */
  private claimsOf(conference: string): ClaimSummary[] {
    const parts = new Set([conference]);
    const pending = [conference];
    for (let current = pending.pop(); current; current = pending.pop()) {
      for (const part of this.subjects(ck('partOf'), current)) {
        if (parts.has(part)) continue;
        parts.add(part);
        pending.push(part);
      }
    }
    const sources = this.subjects(namedNode(`${SCHEMA}about`), conference);
    const claims = new Set<string>();
    for (const part of parts) {
      for (const claim of this.subjects(ck('intervention'), part)) claims.add(claim);
    }
    for (const source of sources) {
      for (const claim of this.subjects(ck('source'), source)) claims.add(claim);
    }
    const quoteTypes = this.classes.subclassesOf(`${CK}Quote`);
    const claimTypes = this.classes.subclassesOf(`${CK}Claim`);
    return [...claims]
      .filter((claim) => this.objects(claim, rdfType).some((t) => claimTypes.has(t)))
      .sort((left, right) => left.localeCompare(right, 'en', { numeric: true }))
      .map((claim) => {
        const speaker = this.objects(claim, ck('claimant'))[0];
        return {
          ...this.ref(claim),
          text: this.literals(claim, ck('text'))[0]?.value ?? '',
          english: this.bilingual(claim, namedNode(`${SCHEMA}description`)).en,
          quote: this.objects(claim, rdfType).some((type) => quoteTypes.has(type)),
          speaker: speaker ? this.ref(speaker) : undefined,
        };
      });
  }

  private get data() {
    return namedNode(graphIris(this.baseIri).data);
  }

  private ref(iri: string): EntityRef {
    return { iri, labels: this.classes.labelsOf(iri) };
  }

  private refs(iris: string[]): EntityRef[] {
    return iris.map((iri) => this.ref(iri)).sort(byName);
  }

  private has(iri: string, name: string): boolean {
    return this.index.countQuads(namedNode(iri), ck(name), null, this.data) > 0;
  }

  private objects(iri: string, predicate: Term): string[] {
    const values = this.index
      .getObjects(namedNode(iri), predicate, this.data)
      .filter((term) => term.termType === 'NamedNode')
      .map((term) => term.value);
    return [...new Set(values)].sort();
  }

  private subjects(predicate: Term, iri: string): string[] {
    const values = this.index
      .getSubjects(predicate, namedNode(iri), this.data)
      .filter((term) => term.termType === 'NamedNode')
      .map((term) => term.value);
    return [...new Set(values)].sort();
  }

  private literals(iri: string, predicate: Term): Literal[] {
    return this.index
      .getObjects(namedNode(iri), predicate, this.data)
      .filter((term): term is Literal => term.termType === 'Literal');
  }

  private bilingual(iri: string, predicate: Term): Bilingual {
    const literals = this.literals(iri, predicate);
    const inLanguage = (language: string) =>
      literals.find((literal) => literal.language === language)?.value;
    return { fr: inLanguage('fr'), en: inLanguage('en') };
  }
}
