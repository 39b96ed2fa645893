import { DataFactory, type Literal, type Store } from 'n3';
import { CK, graphIris } from '../rdf/namespaces.js';
import { ClassIndex, type EntityRef } from './classes.js';

const { namedNode } = DataFactory;

/** A literal statement of an entity, as a correction form shows it. */
export interface LiteralStatement {
  predicate: EntityRef;
  value: string;
  language?: string;
  datatype?: string;
}

/**
 * What the contribution forms offer: the people who can be quoted, the topics, the entities a
 * claim can mention, the source documents, the entities that can be corrected and their literal
 * statements in the data graph.
 */
export class Catalogue {
  private readonly classes: ClassIndex;

  constructor(
    private readonly index: Store,
    private readonly baseIri: string,
  ) {
    this.classes = new ClassIndex(index);
  }

  people(): EntityRef[] {
    return this.classes.instancesOf(`${CK}Person`);
  }

  topics(): EntityRef[] {
    return this.classes.instancesOf(`${CK}Topic`);
  }

  /** People, organisations and commons: what a claim may mention. */
  mentionable(): EntityRef[] {
    return this.classes.instancesOf(`${CK}Person`, `${CK}Organisation`, `${CK}DigitalCommons`);
  }

  /** Interventions (where a claim was said), each with its speakers. */
  interventions(): (EntityRef & { speakers: string[] })[] {
    const speaker = namedNode(`${CK}speaker`);
    return this.classes.instancesOf(`${CK}Intervention`).map((ref) => ({
      ...ref,
      speakers: this.index.getObjects(namedNode(ref.iri), speaker, null).map((term) => term.value),
    }));
  }

  sources(): EntityRef[] {
    return this.classes.instancesOf(`${CK}SourceDocument`);
  }

  /** Entities of the data graph a contributor may correct: people, institutions, commons, events, claims. */
  correctable(): EntityRef[] {
    return this.classes
      .instancesOf(
        `${CK}Person`,
        `${CK}Organisation`,
        `${CK}DigitalCommons`,
        `${CK}Event`,
        `${CK}Claim`,
      )
      .filter((ref) => ref.iri.startsWith(`${this.baseIri}id/`));
  }

  /** The literal statements of an entity in the data graph (labels, texts, descriptions…). */
  literalStatements(iri: string): LiteralStatement[] {
    const data = namedNode(graphIris(this.baseIri).data);
    return this.index
      .getQuads(namedNode(iri), null, null, data)
      .filter((quad) => quad.object.termType === 'Literal')
      .map((quad) => {
        const literal = quad.object as Literal;
        return {
          predicate: {
            iri: quad.predicate.value,
            labels: this.classes.labelsOf(quad.predicate.value),
          },
          value: literal.value,
          language: literal.language || undefined,
          datatype: literal.language ? undefined : literal.datatype.value,
        };
      })
      .sort(
        (left, right) =>
          left.predicate.iri.localeCompare(right.predicate.iri) ||
          (left.language ?? '').localeCompare(right.language ?? ''),
      );
  }

  labelled(iri: string): EntityRef {
    return { iri, labels: this.classes.labelsOf(iri) };
  }
}
