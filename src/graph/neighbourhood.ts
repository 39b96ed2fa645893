import { DataFactory, Store, type Term } from 'n3';
import { CK, RDF, graphIris } from '../rdf/namespaces.js';
import type { GraphReads } from '../store/graph-reads.js';
import { isIriRef } from '../store/ntriples.js';
import { linksScope, relationsScope } from './scopes.js';
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
const THROUGH_CLASS = `${CK}Affiliation`;

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
  constructor(
    private readonly reads: GraphReads,
    private readonly baseIri: string,
  ) {}

  /**
   * Three views: the entity's links, those of its direct neighbours (to find the second ring),
   * those of the second ring (for the links between drawn nodes).
   */
  async read(
    iri: string,
    limits: NeighbourhoodLimits = { ring1: 24, ring2: 16 },
  ): Promise<Neighbourhood> {
    if (!isIriRef(iri)) return { nodes: [], edges: [], omitted: 0 };
    let links = new Links(new Store(), this.baseIri);
    /** The view of some nodes' links, then of the relations among them, added to `links`. */
    const readLinks = async (nodes: string[]) => {
      if (nodes.length === 0) return;
      links = links.with(await this.reads.view(linksScope(this.baseIri, nodes)));
      const relations = links.relationsAround(nodes);
      if (relations.length === 0) return;
      links = links.with(await this.reads.view(relationsScope(this.baseIri, relations)));
    };
    await readLinks([iri]);
    const drawn = (node: string) => node !== iri && DRAWN.has(links.kindOf(node));
    const order = [...DRAWN];
    const direct = links
      .linked(iri)
      .filter(drawn)
      .sort(
        (left, right) => order.indexOf(links.kindOf(left)) - order.indexOf(links.kindOf(right)),
      );
    const ring1 = direct.slice(0, limits.ring1);
    const included = new Set([iri, ...ring1]);
    await readLinks(ring1);
    const ring2: string[] = [];
    for (const node of ring1) {
      if (!['claim', 'person'].includes(links.kindOf(node))) continue;
      for (const next of links.linked(node)) {
        if (ring2.length >= limits.ring2) break;
        const kind = links.kindOf(next);
        if (included.has(next) || !drawn(next) || ['event', 'topic'].includes(kind)) continue;
        included.add(next);
        ring2.push(next);
      }
    }
    await readLinks(ring2);
    return links.picture(iri, included, ring1, direct.length - ring1.length);
  }
}

/** The links of the nodes a view holds, read synchronously. */
class Links {
  private readonly classes: ClassIndex;
  private readonly through: Set<string>;
  private readonly kinds = new Map<string, EntityKind>();

  constructor(
    private readonly index: Store,
    private readonly baseIri: string,
  ) {
    this.classes = new ClassIndex(index);
    this.through = this.classes.subclassesOf(THROUGH_CLASS);
  }

  /** These links and a further view's (the same store on the embedded backend). */
  with(more: Store): Links {
    if (more === this.index || more.size === 0) return this;
    if (this.index.size === 0) return new Links(more, this.baseIri);
    const union = new Store(this.index.getQuads(null, null, null, null));
    union.addQuads(more.getQuads(null, null, null, null));
    return new Links(union, this.baseIri);
  }

  /** The relation resources (affiliations) linked to or from the nodes. */
  relationsAround(nodes: string[]): string[] {
    const data = namedNode(graphIris(this.baseIri).data);
    const found = new Set<string>();
    for (const node of nodes) {
      const term = namedNode(node);
      const ends = [
        ...this.index.getObjects(term, null, data),
        ...this.index.getSubjects(null, term, data),
      ];
      for (const end of ends) {
        if (end.termType === 'NamedNode' && this.isThrough(end.value)) found.add(end.value);
      }
    }
    return [...found];
  }

  kindOf(node: string): EntityKind {
    let kind = this.kinds.get(node);
    if (!kind) this.kinds.set(node, (kind = this.classes.kindOf(node)));
    return kind;
  }

  picture(iri: string, included: Set<string>, ring1: string[], omitted: number): Neighbourhood {
    const ringOf = (node: string): 0 | 1 | 2 => (node === iri ? 0 : ring1.includes(node) ? 1 : 2);
    const nodes = [...included].map((node) => ({
      iri: node,
      labels: this.classes.labelsOf(node),
      kind: this.kindOf(node),
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
    return { nodes, edges, omitted };
  }

  /** Named resources linked to or from a node in the data graph, affiliations walked through. */
  linked(node: string, bothWays = true): string[] {
    const data = namedNode(graphIris(this.baseIri).data);
    const found = new Set<string>();
    const add = (term: Term, depth: number) => {
      if (term.termType !== 'NamedNode' || term.value === node) return;
      if (depth === 0 && this.isThrough(term.value)) {
        for (const quad of this.index.getQuads(term, null, null, data)) add(quad.object, 1);
        for (const quad of this.index.getQuads(null, null, term, data)) add(quad.subject, 1);
        return;
      }
      found.add(term.value);
    };
    for (const quad of this.index.getQuads(namedNode(node), null, null, data)) {
      if (quad.predicate.value !== `${RDF}type`) add(quad.object, 0);
    }
    if (bothWays) {
      for (const quad of this.index.getQuads(null, null, namedNode(node), data)) {
        add(quad.subject, 0);
      }
    }
    return [...found].sort();
  }

  private isThrough(iri: string): boolean {
    return this.index
      .getObjects(namedNode(iri), namedNode(`${RDF}type`), null)
      .some((type) => this.through.has(type.value));
  }
}
