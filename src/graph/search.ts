import { DataFactory, type Literal, type Store } from 'n3';
import { CK, FOAF, RDFS, SKOS, TOPIC, graphIris } from '../rdf/namespaces.js';
import { ClassIndex, type EntityKind } from './classes.js';
import type { Labels } from './describe.js';

const { namedNode } = DataFactory;
const SCHEMA = 'https://schema.org/';

/** Predicates whose literals name an entity. */
export const NAME_PREDICATES = [
  `${RDFS}label`,
  `${SKOS}prefLabel`,
  `${SKOS}altLabel`,
  `${SCHEMA}name`,
  `${FOAF}name`,
];
/** Predicates whose literals are what a claim says or what an entity is. */
export const TEXT_PREDICATES = [`${CK}text`, `${CK}textVariant`, `${SCHEMA}description`];

export interface SearchHit {
  iri: string;
  labels: Labels;
  kind: EntityKind;
  /** Whether the words were found in a name or in a text (a quote, a description). */
  field: 'name' | 'text';
  /** The literal the words were found in. */
  matched: string;
  language?: string;
  score: number;
}

/**
 * Folds text for comparison: decomposed, accents dropped, lower case. "Stéphanie" and
 * "STEPHANIE" fold alike; one character stays one character when it carried accents only.
 */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a text, folded (letters and digits; everything else separates them). */
export function searchWords(text: string): string[] {
  return fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Accent- and case-insensitive full-text search over the names (labels, alternative labels) and
 * the texts (quotes, descriptions) of the graph's entities. Every word of the query must start a
 * word of one literal; names rank above texts, whole words above prefixes. It matches in
 * JavaScript over a view of the graph: nothing the user types reaches SPARQL.
 */
export class EntitySearch {
  private readonly classes: ClassIndex;

  constructor(
    private readonly index: Store,
    private readonly baseIri: string,
  ) {
    this.classes = new ClassIndex(index);
  }

  search(query: string, limit = 50): SearchHit[] {
    const wanted = [...new Set(searchWords(query))];
    if (wanted.length === 0) return [];
    const graphs = graphIris(this.baseIri);
    const best = new Map<string, Omit<SearchHit, 'labels' | 'kind'>>();
    const visit = (predicates: string[], field: SearchHit['field'], weight: number) => {
      for (const predicate of predicates) {
        for (const graph of [graphs.data, graphs.ontology]) {
          const quads = this.index.getQuads(null, namedNode(predicate), null, graph);
          for (const quad of quads) {
            if (quad.subject.termType !== 'NamedNode' || quad.object.termType !== 'Literal') {
              continue;
            }
            const iri = quad.subject.value;
            if (!this.isEntity(iri)) continue;
            const literal = quad.object as Literal;
            const score = matchScore(wanted, searchWords(literal.value));
            if (score === 0) continue;
            const total = score * weight;
            const previous = best.get(iri);
            if (previous && !outranks(total, literal, previous)) continue;
            best.set(iri, {
              iri,
              field,
              matched: literal.value,
              language: literal.language || undefined,
              score: total,
            });
          }
        }
      }
    };
    visit(NAME_PREDICATES, 'name', 2);
    visit(TEXT_PREDICATES, 'text', 1);
    return [...best.values()]
      .map((hit) => ({
        ...hit,
        labels: this.classes.labelsOf(hit.iri),
        kind: this.classes.kindOf(hit.iri),
      }))
      .sort(
        (left, right) =>
          right.score - left.score ||
          (left.labels.fr ?? left.iri).localeCompare(right.labels.fr ?? right.iri, 'fr'),
      )
      .slice(0, limit);
  }

  /** Entities and topics: not the vocabulary, the history records or the graphs themselves. */
  private isEntity(iri: string): boolean {
    return (
      (iri.startsWith(`${this.baseIri}id/`) && !iri.startsWith(`${this.baseIri}id/changeset/`)) ||
      (iri.startsWith(TOPIC) && iri.length > TOPIC.length)
    );
  }
}

/**
 * How well query words match a literal's words: 0 unless each query word starts some word of
 * the literal; then 1 per query word, plus 1 for each that is a whole word.
 */
function matchScore(wanted: string[], words: string[]): number {
  let score = 0;
  for (const query of wanted) {
    if (words.includes(query)) score += 2;
    else if (words.some((word) => word.startsWith(query))) score += 1;
    else return 0;
  }
  return score;
}

/**
 * Whether a match beats the best one found so far for its entity: a higher score, or the same
 * score in French (the graph's first language), then the text first in order. Never the order a
 * store gives its quads in.
 */
function outranks(score: number, literal: Literal, previous: Omit<SearchHit, 'labels' | 'kind'>) {
  if (score !== previous.score) return score > previous.score;
  const french = literal.language === 'fr';
  if (french !== (previous.language === 'fr')) return french;
  return literal.value.localeCompare(previous.matched, 'fr') < 0;
}
