import { DataFactory, type Literal, type Store } from 'n3';
import { CK, RDF, RDFS, SKOS } from '../rdf/namespaces.js';
import type { Labels } from './describe.js';

const { namedNode } = DataFactory;
const rdfType = namedNode(`${RDF}type`);
const subClassOf = namedNode(`${RDFS}subClassOf`);
const rdfsLabel = namedNode(`${RDFS}label`);
const prefLabel = namedNode(`${SKOS}prefLabel`);

/** The kinds of entities the web pages tell apart (by colour, by list). */
export type EntityKind =
  'person' | 'organisation' | 'commons' | 'claim' | 'event' | 'topic' | 'other';

/** The root class of each kind; its subclasses (read from the ontology) belong to it too. */
const KIND_ROOTS: ReadonlyArray<[EntityKind, string]> = [
  ['person', `${CK}Person`],
  ['organisation', `${CK}Organisation`],
  ['commons', `${CK}DigitalCommons`],
  ['claim', `${CK}Utterance`],
  ['claim', `${CK}Claim`],
  ['event', `${CK}Event`],
  ['topic', `${CK}Topic`],
  ['topic', `${SKOS}Concept`],
];

/** An entity named in a list or a picture: its IRI and labels. */
export interface EntityRef {
  iri: string;
  labels: Labels;
}

/** The sort key of a reference: its French label, else English, else its IRI. */
export const refName = (ref: EntityRef) =>
  ref.labels.fr ?? ref.labels.en ?? ref.labels.other ?? ref.iri;

export const byName = (left: EntityRef, right: EntityRef) =>
  refName(left).localeCompare(refName(right), 'fr', { sensitivity: 'base' });

/**
 * Class-aware reads of the index: the subclasses of a class (rdfs:subClassOf*, as the ontology
 * states them), the instances of a class and its subclasses, the kind of an entity, and labels.
 */
export class ClassIndex {
  constructor(private readonly index: Store) {}

  /** The class and every class below it. */
  subclassesOf(classIri: string): Set<string> {
    const found = new Set([classIri]);
    const pending = [classIri];
    for (let current = pending.pop(); current; current = pending.pop()) {
      for (const sub of this.index.getSubjects(subClassOf, namedNode(current), null)) {
        if (sub.termType === 'NamedNode' && !found.has(sub.value)) {
          found.add(sub.value);
          pending.push(sub.value);
        }
      }
    }
    return found;
  }

  /** Named instances of a class or of its subclasses, with their labels, by name. */
  instancesOf(...classIris: string[]): EntityRef[] {
    const iris = new Set<string>();
    for (const classIri of classIris) {
      for (const type of this.subclassesOf(classIri)) {
        for (const subject of this.index.getSubjects(rdfType, namedNode(type), null)) {
          if (subject.termType === 'NamedNode') iris.add(subject.value);
        }
      }
    }
    return [...iris].map((iri) => ({ iri, labels: this.labelsOf(iri) })).sort(byName);
  }

  /** The kind of an entity, from its types and their superclasses. */
  kindOf(iri: string): EntityKind {
    const types = new Set(
      this.index.getObjects(namedNode(iri), rdfType, null).map((term) => term.value),
    );
    for (const [kind, root] of KIND_ROOTS) {
      for (const type of this.subclassesOf(root)) if (types.has(type)) return kind;
    }
    return 'other';
  }

  labelsOf(iri: string): Labels {
    return readLabels(this.index, iri);
  }
}

/** French, English and fallback labels of a resource (rdfs:label, else skos:prefLabel). */
export function readLabels(index: Store, iri: string): Labels {
  const subject = namedNode(iri);
  const literals = [
    ...index.getObjects(subject, rdfsLabel, null),
    ...index.getObjects(subject, prefLabel, null),
  ].filter((term): term is Literal => term.termType === 'Literal');
  const inLanguage = (language: string) =>
    literals.find((literal) => literal.language === language)?.value;
  // The fallback does not depend on the order a store gives its quads in.
  const [fallback] = literals
    .map((literal) => literal.value)
    .sort((left, right) => left.localeCompare(right, 'fr'));
  return { fr: inLanguage('fr'), en: inLanguage('en'), other: fallback };
}
