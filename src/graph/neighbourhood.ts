import { DataFactory, type Term } from 'n3';
import { CK, RDF, graphIris } from '../rdf/namespaces.js';
import type { GraphStore } from '../store/graph-store.js';
import { ClassIndex, type EntityKind, type EntityRef } from './classes.js';

const { namedNode } = DataFactory;

/** Kinds drawn in the picture, in this order; the others (sources, places, positions) would only crowd it. */
export const DRAWN_KINDS: readonly EntityKind[] = [
  'person',
  'organisation',
  'commons',
  'claim',
  'event',
  'topic',
];
const DRAWN: ReadonlySet<EntityKind> = new Set(DRAWN_KINDS);
/** Resources that stand for a relation (a person's role in an organisation): walked through. */
const THROUGH_CLASSES = [`${CK}Affiliation`];

export interface NeighbourNode extends EntityRef {
  kind: EntityKind;
  /** 0 for the entity itself, 1 for what it links to directly, 2 one step further. */
  ring: 0 | 1 | 2;
}

export interface NeighbourEdge {
  from: string;
  to: string;
}

export interface Neighbourhood {
  nodes: NeighbourNode[];
  edges: NeighbourEdge[];
  /** Direct neighbours left out to keep the picture readable. */
  omitted: number;
}

export interface NeighbourhoodLimits {
  ring1: number;
  ring2: number;
}

/**
 * The neighbourhood of an entity among people, institutions, commons, claims, events and topics,
 * in the data graph: what it links to and what links to it (through an affiliation to reach the
 * organisation), then, one step further, what those claims and people link to; with every link
 * between the nodes kept. Bounded, so that a topic with a hundred claims still draws.
 */
export class NeighbourhoodReader {
  private readonly classes: ClassIndex;
  private readonly through: Set<string>;

  constructor(
    private readonly store: GraphStore,
    private readonly baseIri: string,
  ) {
    this.classes = new ClassIndex(store.index);
    this.through = new Set(THROUGH_CLASSES.flatMap((c) => [...this.classes.subclassesOf(c)]));
  }

  read(iri: string, limits: NeighbourhoodLimits = { ring1: 24, ring2: 16 }): Neighbourhood {
    const kinds = new Map<string, EntityKind>();
    const kindOf = (node: string) => {
      let kind = kinds.get(node);
      if (!kind) kinds.set(node, (kind = this.classes.kindOf(node)));
      return kind;
    };
    const drawn = (node: string) => node !== iri && DRAWN.has(kindOf(node));
    const order = [...DRAWN];
    const direct = this.linked(iri)
      .filter(drawn)
      .sort((left, right) => order.indexOf(kindOf(left)) - order.indexOf(kindOf(right)));
    const ring1 = direct.slice(0, limits.ring1);
    const included = new Set([iri, ...ring1]);
    const ring2: string[] = [];
    for (const node of ring1) {
      if (!['claim', 'person'].includes(kindOf(node))) continue;
      for (const next of this.linked(node)) {
        if (ring2.length >= limits.ring2) break;
        if (included.has(next) || !drawn(next) || ['event', 'topic'].includes(kindOf(next))) {
          continue;
        }
        included.add(next);
        ring2.push(next);
      }
    }
    const ringOf = (node: string): 0 | 1 | 2 => (node === iri ? 0 : ring1.includes(node) ? 1 : 2);
    const nodes = [...included].map((node) => ({
      iri: node,
      labels: this.classes.labelsOf(node),
      kind: kindOf(node),
      ring: ringOf(node),
    }));
    const edges: NeighbourEdge[] = [];
    const seen = new Set<string>();
    for (const from of included) {
      for (const to of this.linked(from, false)) {
        const key = [from, to].sort().join(' ');
        if (to === from || !included.has(to) || seen.has(key)) continue;
        seen.add(key);
        edges.push({ from, to });
      }
    }
    return { nodes, edges, omitted: direct.length - ring1.length };
  }

  /** Named resources linked to or from a node in the data graph, affiliations walked through. */
  private linked(node: string, bothWays = true): string[] {
    const data = namedNode(graphIris(this.baseIri).data);
    const found = new Set<string>();
    const add = (term: Term, depth: number) => {
      if (term.termType !== 'NamedNode' || term.value === node) return;
      if (depth === 0 && this.isThrough(term.value)) {
        for (const quad of this.store.index.getQuads(term, null, null, data)) add(quad.object, 1);
        for (const quad of this.store.index.getQuads(null, null, term, data)) add(quad.subject, 1);
        return;
      }
      found.add(term.value);
    };
    for (const quad of this.store.index.getQuads(namedNode(node), null, null, data)) {
      if (quad.predicate.value !== `${RDF}type`) add(quad.object, 0);
    }
    if (bothWays) {
      for (const quad of this.store.index.getQuads(null, null, namedNode(node), data)) {
        add(quad.subject, 0);
      }
    }
    return [...found].sort();
  }

  private isThrough(iri: string): boolean {
    return this.store.index
      .getObjects(namedNode(iri), namedNode(`${RDF}type`), null)
      .some((type) => this.through.has(type.value));
  }
}
