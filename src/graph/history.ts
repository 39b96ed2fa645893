import {
  DataFactory,
  type Quad,
  type Quad_Object,
  type Quad_Subject,
  type Term,
  type Literal,
} from 'n3';
import { CK, DCTERMS, FOAF, graphIris, PROV, RDF, RDFS, XSD } from '../rdf/namespaces.js';
import { freshBlankNode } from '../rdf/quads.js';

const { namedNode, literal, quad } = DataFactory;

export const changesetIri = (baseIri: string, id: number) => `${baseIri}id/changeset/${id}`;
export const userIri = (baseIri: string, name: string) =>
  `${baseIri}id/user/${encodeURIComponent(name)}`;

export interface AppliedChangeset {
  id: number;
  author: string;
  reviewer?: string;
  message: string;
  source?: string;
  reverts?: number;
  submittedAt: string;
  appliedAt: string;
  /** What the change really did to the graph (additions already there are not counted). */
  added: Quad[];
  removed: Quad[];
  /** Named entities whose description changed. */
  touched: Term[];
}

/**
 * An instant as an xsd:dateTime in canonical form: no trailing zeros in the fraction of a second
 * (`…56.420Z` is written `…56.42Z`, `…56.000Z` is `…56Z`). Stores that keep values rather than
 * lexical forms (Oxigraph, Virtuoso) give back only that form; a non-canonical one would make the
 * query workers keep the literal aside and answer every query through Comunica, much slower.
 */
export function canonicalInstant(iso: string): Literal {
  const canonical = iso.replace(/(\.\d*?)0+Z$/, '$1Z').replace(/\.Z$/, 'Z');
  return literal(canonical, namedNode(`${XSD}dateTime`));
}

/**
 * The PROV-O description of an applied changeset, for the history graph: who wrote it and who
 * reviewed it, when, why, from which source, and each statement it added or removed (as an
 * rdf:Statement with the graph it belongs to), so that SPARQL can answer "who asserted this claim?".
 */
export function describeChangeset(baseIri: string, change: AppliedChangeset): Quad[] {
  const graph = namedNode(graphIris(baseIri).history);
  const subject = namedNode(changesetIri(baseIri, change.id));
  const out: Quad[] = [];
  const add = (s: Quad_Subject, p: string, o: Quad_Object) =>
    out.push(quad(s, namedNode(p), o, graph));
  const agent = (name: string) => {
    const iri = namedNode(userIri(baseIri, name));
    add(iri, `${RDF}type`, namedNode(`${PROV}Agent`));
    add(iri, `${FOAF}accountName`, literal(name));
    return iri;
  };

  add(subject, `${RDF}type`, namedNode(`${CK}Changeset`));
  add(subject, `${RDF}type`, namedNode(`${PROV}Activity`));
  add(subject, `${RDFS}label`, literal(`Changeset ${change.id}`, 'en'));
  add(subject, `${DCTERMS}description`, literal(change.message));
  const author = agent(change.author);
  add(subject, `${CK}author`, author);
  add(subject, `${PROV}wasAssociatedWith`, author);
  if (change.reviewer) {
    const reviewer = agent(change.reviewer);
    add(subject, `${CK}reviewer`, reviewer);
    add(subject, `${PROV}wasAssociatedWith`, reviewer);
  }
  add(subject, `${PROV}startedAtTime`, canonicalInstant(change.submittedAt));
  add(subject, `${PROV}endedAtTime`, canonicalInstant(change.appliedAt));
  if (change.source) add(subject, `${DCTERMS}source`, namedNode(change.source));
  if (change.reverts !== undefined) {
    add(subject, `${CK}reverts`, namedNode(changesetIri(baseIri, change.reverts)));
  }
  for (const entity of change.touched) add(subject, `${CK}touches`, entity as Quad_Object);
  const statements = (property: string, quads: Quad[]) => {
    for (const q of quads) {
      const node = freshBlankNode();
      add(subject, property, node);
      add(node, `${RDF}type`, namedNode(`${RDF}Statement`));
      add(node, `${RDF}subject`, q.subject as Quad_Object);
      add(node, `${RDF}predicate`, q.predicate as Quad_Object);
      add(node, `${RDF}object`, q.object);
      if (q.graph.termType === 'NamedNode') add(node, `${CK}inGraph`, q.graph);
    }
  };
  statements(`${CK}addedStatement`, change.added);
  statements(`${CK}removedStatement`, change.removed);
  return out;
}

/** The gardening record of an entity: when it was last reviewed, and by whom. */
export function reviewQuads(baseIri: string, entity: Term, reviewer: string, at: string): Quad[] {
  const graph = namedNode(graphIris(baseIri).gardening);
  return [
    quad(entity as Quad_Subject, namedNode(`${CK}lastReviewed`), canonicalInstant(at), graph),
    quad(
      entity as Quad_Subject,
      namedNode(`${CK}lastReviewedBy`),
      namedNode(userIri(baseIri, reviewer)),
      graph,
    ),
  ];
}
